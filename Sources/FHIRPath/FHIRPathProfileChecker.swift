import FHIRModel

/// Profile checks used by `conformsTo()`; the validator plugs in here.
public protocol FHIRPathProfileChecker: Sendable {
    /// Whether `element` conforms to the StructureDefinition with canonical `profileURL`; nil when unknown.
    func conformsTo(_ element: Element, profileURL: String) -> Bool?
}
