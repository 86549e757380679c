import FHIRModel

/// Evaluates invariant (constraint) expressions; the FHIRPath engine implements it.
///
/// The validator calls it once per constraint and element. A thrown error becomes a warning on that element
/// (`processing`), never a crash. With no evaluator, invariants are skipped and one information issue says so.
public protocol ConstraintEvaluator: Sendable {
    /// Whether `expression` holds (true) or is violated (false).
    /// - Parameters:
    ///   - expression: the FHIRPath expression of the constraint.
    ///   - focus: the element the constraint is on (`%context`, `$this`).
    ///   - resource: the resource holding it (`%resource`; a contained resource for elements inside one).
    ///   - rootResource: the outermost resource (`%rootResource`: the container of a contained resource).
    /// - Throws: any error; the validator reports it as a warning.
    func evaluate(expression: String, focus: Element, resource: Element, rootResource: Element) throws -> Bool
}
