/// A type name in `is`, `as` and `ofType`: `Quantity`, `FHIR.string`, `System.String`.
struct TypeSpecifier: Sendable, Hashable, CustomStringConvertible {
    /// `FHIR`, `System`, or nil when not qualified.
    var namespace: String?
    var name: String

    var description: String { namespace.map { "\($0).\(name)" } ?? name }
}

/// Binary operators, by the spec's precedence groups.
enum BinaryOperator: String, Sendable {
    case multiply = "*"
    case divide = "/"
    case div, mod
    case add = "+"
    case subtract = "-"
    case concatenate = "&"
    case union = "|"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case equal = "="
    case equivalent = "~"
    case notEqual = "!="
    case notEquivalent = "!~"
    case `in`, contains
    case and
    case or, xor
    case implies
}

/// The parsed form of an expression, evaluated directly by ``Evaluator``.
indirect enum ExpressionNode: Sendable {
    /// A literal (`{}` is the empty collection).
    case literal([FHIRPathValue])
    case this
    case index
    case total
    /// `%name`.
    case variable(String)
    /// An identifier navigated from `base`, or from `$this` when `base` is nil (a path head).
    case member(base: ExpressionNode?, name: String)
    /// A function call on `base` (nil: on `$this`).
    case call(base: ExpressionNode?, function: FunctionName, arguments: [ExpressionNode])
    /// A type function (`is`, `as`, `ofType`) whose argument is a type.
    case typeCall(base: ExpressionNode?, function: FunctionName, type: TypeSpecifier)
    case indexer(ExpressionNode, ExpressionNode)
    case negate(ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode)
    /// A construct that parses but cannot be evaluated (a time literal with a zone): an execution error.
    case failure(String)
    /// `x is T` (isTest true) or `x as T`.
    case typeOperator(isTest: Bool, ExpressionNode, TypeSpecifier)
}
