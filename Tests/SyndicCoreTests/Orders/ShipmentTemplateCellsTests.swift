import Foundation
import Testing
@testable import SyndicCore

/// The cells of a shipment file lose the blanks around them exactly as Foundation's
/// `trimmingCharacters(in: .whitespaces)` takes them off: spaces of every kind and tabs, not
/// line breaks nor other invisible characters.
@Suite struct ShipmentTemplateCellsTests {
    /// `cell` as Foundation trims it.
    static func foundation(_ cell: String) -> String {
        cell.trimmingCharacters(in: .whitespaces)
    }

    @Test(arguments: [
        "", " ", "\t", "  \t  ", "A123", " A123 ", "\tA 1 2 3\t", "\u{A0}O-1\u{A0}", "\u{2028}O-1\u{2028}",
        "\u{2029}x", "\n x \n", "\r\nx\r\n", " \u{301}x", "x \u{301}", "e\u{301} ", " 😀 ", "😀", " 👩‍👩‍👧 ", "\u{200B}x\u{200B}",
        "\u{180E}x\u{180E}", "\u{3000}x\u{3000}", "\u{FEFF}x\u{FEFF}", "\u{1680}\u{2000}\u{200A}x\u{202F}\u{205F}",
        "\u{85}x\u{85}", "\u{B}x\u{C}", "\u{1F}x", "a b", " \u{A0} \t ", "\u{2000}", "ß ",
    ])
    func cellsAreTrimmedAsFoundationTrimsThem(_ cell: String) {
        #expect(ShipmentTemplate.trimmed(cell).unicodeScalars.elementsEqual(Self.foundation(cell).unicodeScalars),
                "\(cell.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    /// Every scalar of the first planes around a value, and alone.
    @Test func everyScalarAroundAValueIsTrimmedAsFoundationTrimsIt() {
        var mismatches: [String] = []
        for value in UInt32(0)...0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let blank = String(Character(scalar))
            for cell in [blank + "v" + blank, blank + blank, blank]
            where !ShipmentTemplate.trimmed(cell).unicodeScalars.elementsEqual(Self.foundation(cell).unicodeScalars) {
                mismatches.append("U+" + String(value, radix: 16))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    /// The blanks are the scalars of `CharacterSet.whitespaces`, all of them and only them.
    @Test func theBlanksAreFoundationsWhitespaces() {
        let whitespaces = CharacterSet.whitespaces
        var blanks: [UInt32] = []
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if ShipmentTemplate.isBlank(scalar) { blanks.append(value) }
            if ShipmentTemplate.isBlank(scalar) != whitespaces.contains(scalar) { mismatches.append("U+" + String(value, radix: 16)) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        #expect(blanks.contains(0x20) && blanks.contains(0x09) && blanks.contains(0xA0) && !blanks.contains(0x0A))
    }

    /// A cell with nothing to trim comes back as it is.
    @Test func aCellWithoutBlanksIsReturnedAsItIs() {
        let cell = "d3c712bc-8be3-222b-e6aa-f57bd1a0e4f6"
        #expect(ShipmentTemplate.trimmed(cell) == cell)
        #expect(ShipmentTemplate.trimmed("  \(cell)\t") == cell)
    }
}
