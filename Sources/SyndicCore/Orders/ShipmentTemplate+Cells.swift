extension ShipmentTemplate {
    /// `cell` without the blanks around it: the characters Foundation's
    /// `CharacterSet.whitespaces` holds (space, tab, no-break space and the other spaces of
    /// Unicode; not line breaks), removed one Unicode scalar at a time from both ends, as
    /// `trimmingCharacters(in: .whitespaces)` does. Written by hand: it runs on every cell of
    /// a file, and a cell with nothing to trim comes back as it is, without a copy.
    static func trimmed(_ cell: String) -> String {
        let scalars = cell.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isBlank(scalars[start]) { scalars.formIndex(after: &start) }
        while start < end {
            let last = scalars.index(before: end)
            guard isBlank(scalars[last]) else { break }
            end = last
        }
        if start == scalars.startIndex && end == scalars.endIndex { return cell }
        return String(scalars[start..<end])
    }

    /// Whether `scalar` is in `CharacterSet.whitespaces`: U+0020, tab, U+00A0, U+1680,
    /// U+2000 through U+200B, U+202F, U+205F and U+3000.
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09: true
        case 0..<0x80: false
        case 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
