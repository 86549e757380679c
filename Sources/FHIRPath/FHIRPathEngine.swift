import FHIRModel
import Foundation

/// Compiles and evaluates FHIRPath (R4, normative N1, with the FHIR-specific functions) over the element tree.
///
/// One engine is shared by all threads: compiled expressions are cached by text behind a lock, and an
/// evaluation touches no shared mutable state.
///
/// ```swift
/// let engine = FHIRPathEngine(structures: registry)
/// let ok = try engine.evaluateBoolean("start.exists() = end.exists()", focus: appointment)
/// ```
public final class FHIRPathEngine: Sendable {
    /// Type definitions for `is`/`as`/`ofType` (with inheritance) and for `conformsTo()` on core types.
    public let structures: StructureRegistry
    /// The hook behind `memberOf()`; without one, `memberOf()` gives empty.
    public let terminology: (any FHIRPathTerminology)?
    /// The hook behind `conformsTo()`; without one, only core type profiles are answered.
    public let profiles: (any FHIRPathProfileChecker)?
    private let cache = ExpressionCache()

    /// - Parameters:
    ///   - structures: the loaded type definitions.
    ///   - terminology: answers `memberOf()` (default none: empty).
    ///   - profiles: answers `conformsTo()` (default none: core type profiles only).
    public init(
        structures: StructureRegistry, terminology: (any FHIRPathTerminology)? = nil,
        profiles: (any FHIRPathProfileChecker)? = nil
    ) {
        self.structures = structures
        self.terminology = terminology
        self.profiles = profiles
    }

    /// Parses `expression`, or returns the cached parse of the same text.
    /// - Throws: ``FHIRPathError/syntax(message:position:)`` for bad text, ``FHIRPathError/semantic(message:)``
    ///   for unknown functions, wrong argument counts and unknown type names.
    public func compile(_ expression: String) throws(FHIRPathError) -> FHIRPathExpression {
        try cache.expression(expression) { text throws(FHIRPathError) in
            FHIRPathExpression(
                text: text, root: try Parser.parse(text),
                usesClock: text.contains("now(") || text.contains("today(") || text.contains("timeOfDay("))
        }
    }

    /// Evaluates `expression` with `focus` as `$this` and `%context`.
    ///
    /// - Parameters:
    ///   - focus: the starting element; may be a sub-element of `resource` (as for invariants).
    ///   - resource: `%resource` (default: `focus`).
    ///   - rootResource: `%rootResource`, the Bundle or container holding `resource` (default: `resource`);
    ///     `resolve()` looks for entries and contained resources there.
    ///   - variables: user variables by name without `%`.
    /// - Returns: the result collection, in order.
    /// - Throws: ``FHIRPathError`` (syntax or semantic from compilation, execution from evaluation).
    public func evaluate(
        _ expression: String, focus: Element, resource: Element? = nil, rootResource: Element? = nil,
        variables: [String: [FHIRPathValue]] = [:]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        try evaluate(
            compile(expression), focus: focus, resource: resource, rootResource: rootResource, variables: variables)
    }

    /// Evaluates a compiled expression; see ``evaluate(_:focus:resource:rootResource:variables:)-(String,_,_,_,_)``.
    public func evaluate(
        _ expression: FHIRPathExpression, focus: Element, resource: Element? = nil, rootResource: Element? = nil,
        variables: [String: [FHIRPathValue]] = [:]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        let res = resource ?? focus
        let focusValue: [FHIRPathValue] = [.node(focus)]
        var context = EvaluationContext(
            structures: structures, terminology: terminology, profiles: profiles, resource: res,
            rootResource: rootResource ?? res, context: focusValue, variables: variables)
        if expression.usesClock {
            context.clockMilliseconds = Int((Date().timeIntervalSince1970 * 1000).rounded(.down))
        }
        return try Evaluator(context: context).evaluate(expression.root, scope: Scope(this: focusValue))
    }

    /// Evaluates and reads the result as one Boolean: nil when empty; the value of a single Boolean;
    /// true for any other single item (singleton evaluation).
    /// - Throws: ``FHIRPathError``, and an execution error when the result has several items.
    public func evaluateBoolean(
        _ expression: String, focus: Element, resource: Element? = nil, rootResource: Element? = nil,
        variables: [String: [FHIRPathValue]] = [:]
    ) throws(FHIRPathError) -> Bool? {
        let result = try evaluate(
            expression, focus: focus, resource: resource, rootResource: rootResource, variables: variables)
        guard let first = result.first else { return nil }
        guard result.count == 1 else { throw .execution(message: "expected one Boolean, got \(result.count) items") }
        if case .boolean(let b) = first.systemValue { return b }
        return true
    }
}
