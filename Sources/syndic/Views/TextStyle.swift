import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// ANSI colours, used only when standard output is a terminal and NO_COLOR is unset.
struct TextStyle {
    let enabled: Bool

    /// Colours on a TTY only.
    static var terminal: TextStyle {
        TextStyle(enabled: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }

    static let plain = TextStyle(enabled: false)

    func green(_ text: String) -> String { wrap(text, "32") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func cyan(_ text: String) -> String { wrap(text, "36") }
    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
