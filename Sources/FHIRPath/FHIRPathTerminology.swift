/// Terminology used by `memberOf()`; the validator plugs its bundled ValueSets in here.
public protocol FHIRPathTerminology: Sendable {
    /// Whether `value` (a `code`, `Coding` or `CodeableConcept` node, or a System string) is in the value set
    /// with canonical `valueSetURL`; nil when the answer is unknown (unknown value set, unsupported type).
    func memberOf(_ value: FHIRPathValue, valueSetURL: String) -> Bool?
}
