import FHIRModel
import FHIRPath

/// The FHIRPath engine as the validator's invariant evaluator: a constraint holds unless its expression
/// evaluates to `false` (an empty result passes, as for the core invariants whose subject is absent).
public struct FHIRPathConstraintEvaluator: ConstraintEvaluator {
    public let engine: FHIRPathEngine

    public init(engine: FHIRPathEngine) {
        self.engine = engine
    }

    public func evaluate(expression: String, focus: Element, resource: Element, rootResource: Element) throws -> Bool {
        try engine.evaluateBoolean(expression, focus: focus, resource: resource, rootResource: rootResource) != false
    }
}
