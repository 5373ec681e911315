import Foundation

/// Who runs a command, for history: `SYNDIC_USER`, else the login name.
enum CommandUser {
    /// The user's name, or `uid N` when the system knows no name for it.
    static func current() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["SYNDIC_USER"] ?? environment["USER"] ?? environment["LOGNAME"] { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}
