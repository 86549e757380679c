import FHIRModel
import FHIRPath

/// The FHIRPath engine as the validator's invariant evaluator: a constraint holds when its expression evaluates
/// to `true`; `false` and an empty result fail (the HL7 Java validator's reading too: an empty result says the
/// rule could not be shown to hold, e.g. per-1 comparing a date with a time of that day).
public struct FHIRPathConstraintEvaluator: ConstraintEvaluator {
    public let engine: FHIRPathEngine

    public init(engine: FHIRPathEngine) {
        self.engine = engine
    }

    public func evaluate(expression: String, focus: Element, resource: Element, rootResource: Element) throws -> Bool {
        try engine.evaluateBoolean(expression, focus: focus, resource: resource, rootResource: rootResource) == true
    }
}
