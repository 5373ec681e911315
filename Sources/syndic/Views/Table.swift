import SyndicCore

/// Left-aligned plain-text tables. Cells are made safe for a terminal first (control
/// characters show as U+FFFD, tabs and line feeds as spaces: see ``TerminalText``), so that
/// no cell can act on the terminal or break the layout.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        let rows = rows.map { $0.map(TerminalText.safeLine) }
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
