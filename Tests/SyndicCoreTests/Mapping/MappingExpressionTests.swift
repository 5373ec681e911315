import Testing
@testable import SyndicCore

struct MappingExpressionTests {
    // MARK: - Valid expressions

    @Test(arguments: [
        ("name", MappingExpression(attribute: "name")),
        ("sku_2", MappingExpression(attribute: "sku_2")),
        ("name~fr_FR", MappingExpression(attribute: "name", locale: "fr_FR")),
        ("description~mobile", MappingExpression(attribute: "description", scope: "mobile")),
        ("description~mobile_phone", MappingExpression(attribute: "description", scope: "mobile_phone")),
        ("name~fr", MappingExpression(attribute: "name", scope: "fr")),
        ("description~fr_FR~ecommerce", MappingExpression(attribute: "description", locale: "fr_FR", scope: "ecommerce")),
        ("title~zh_Hans_CN", MappingExpression(attribute: "title", locale: "zh_Hans_CN")),
        ("title~fil_PH", MappingExpression(attribute: "title", locale: "fil_PH")),
        ("price@EUR", MappingExpression(attribute: "price", suffix: .amount(currency: "EUR"))),
        ("Price~de_DE@currency", MappingExpression(attribute: "Price", locale: "de_DE", suffix: .currency)),
        ("Length~de_DE@unit", MappingExpression(attribute: "Length", locale: "de_DE", suffix: .unit)),
        ("weight~de_DE~print@unit", MappingExpression(attribute: "weight", locale: "de_DE", scope: "print", suffix: .unit)),
    ])
    func parsesValidExpression(_ text: String, _ expected: MappingExpression) throws {
        let expression = try MappingExpression.parse(text)
        #expect(expression == expected)
        #expect(expression.text == text)
    }

    // MARK: - Invalid expressions

    @Test(arguments: [
        ("", #""": "" is not an attribute code (letters, digits, _)"#),
        ("bad-code", #""bad-code": "bad-code" is not an attribute code (letters, digits, _)"#),
        ("naïve", #""naïve": "naïve" is not an attribute code (letters, digits, _)"#),
        ("~fr_FR", #""~fr_FR": "" is not an attribute code (letters, digits, _)"#),
        ("price@eur", #""price@eur": after @ expected a currency code (EUR), currency or unit, got "eur""#),
        ("price@EURO", #""price@EURO": after @ expected a currency code (EUR), currency or unit, got "EURO""#),
        ("price@", #""price@": after @ expected a currency code (EUR), currency or unit, got """#),
        ("price@EUR@USD", #""price@EUR@USD": after @ expected a currency code (EUR), currency or unit, got "EUR@USD""#),
        ("weight@Unit", #""weight@Unit": after @ expected a currency code (EUR), currency or unit, got "Unit""#),
        ("a~b~c~d", #""a~b~c~d": at most code~locale~scope, got 4 parts"#),
        ("name~fr~ecommerce", #""name~fr~ecommerce": "fr" is not a locale like fr_FR"#),
        ("name~ecommerce~fr_FR", #""name~ecommerce~fr_FR": "ecommerce" is not a locale like fr_FR"#),
        ("name~fr_FR~e-com", #""name~fr_FR~e-com": "e-com" is not a scope code"#),
        ("name~fr-FR", #""name~fr-FR": "fr-FR" is neither a locale (fr_FR) nor a scope code"#),
        ("name~", #""name~": "" is neither a locale (fr_FR) nor a scope code"#),
    ])
    func rejectsInvalidExpression(_ text: String, _ message: String) {
        #expect(throws: MappingError(message)) { try MappingExpression.parse(text) }
    }

    @Test func errorDescriptionIsItsMessage() {
        let error = MappingError("\"x@y\": bad")
        #expect(error.description == "\"x@y\": bad")
        #expect("\(error)" == error.message)
    }

    // MARK: - Codes and locales

    @Test(arguments: [
        ("fr_FR", true), ("en_US", true), ("fil_PH", true), ("zh_Hans_CN", true),
        ("fr", false), ("FR_fr", false), ("fr_fr", false), ("fr_FRA", false), ("f_FR", false),
        ("fr-FR", false), ("zh_Ha1s_CN", false), ("a_b_c_DE", false), ("", false), ("fr_", false),
    ])
    func recognizesLocale(_ text: String, _ isLocale: Bool) {
        #expect(MappingExpression.isLocale(text) == isLocale)
    }

    @Test(arguments: [
        ("name", true), ("Name_2", true), ("_x", true), ("123", true),
        ("", false), ("e-com", false), ("a b", false), ("é", false), ("a~b", false), ("a@b", false),
    ])
    func recognizesCode(_ text: String, _ isCode: Bool) {
        #expect(MappingExpression.isCode(text) == isCode)
    }
}
