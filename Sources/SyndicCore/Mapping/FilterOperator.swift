/// An Akeneo attribute filter operator; the schema accepts exactly these (`ResourceSchemas.filterOperators`).
public enum FilterOperator: String, CaseIterable, Hashable, Sendable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case `in` = "IN"
    case notIn = "NOT IN"
    case empty = "EMPTY"
    case notEmpty = "NOT EMPTY"
    case contains = "CONTAINS"
    case doesNotContain = "DOES NOT CONTAIN"
    case startsWith = "STARTS WITH"
    case between = "BETWEEN"
    case notBetween = "NOT BETWEEN"

    /// For a negative operator, the positive one it negates (`!=` → `=`); nil otherwise.
    ///
    /// Akeneo evaluates a negative operator as "the value exists and the positive one does not
    /// hold": a product without the value matches neither `=` nor `!=`.
    public var negated: FilterOperator? {
        switch self {
        case .notEqual: .equal
        case .notIn: .in
        case .doesNotContain: .contains
        case .notBetween: .between
        default: nil
        }
    }

    /// What the operator's value must be.
    enum Operand { case none, single, list, pair }

    var operand: Operand {
        switch self {
        case .empty, .notEmpty: .none
        case .in, .notIn: .list
        case .between, .notBetween: .pair
        default: .single
        }
    }
}

/// Why a product filter cannot be evaluated.
public struct FilterError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
