import FHIRModel
import FHIRPath
import FHIRTestSupport
import FHIRValidation
import Foundation
import Testing

/// memberOf() and conformsTo() answered by the validator's terminology and profiles.
@Suite("FHIRPath adapters")
struct FHIRPathAdapterTests {
    static let evaluator = FHIRPathConstraintEvaluator(
        structures: Conformance.registry, store: ValidatorFixture.validator.store)

    static func patient(gender: String) throws -> Element {
        try FHIRJSONReader(registry: Conformance.registry).readResource(
            Array(#"{"resourceType":"Patient","gender":"\#(gender)"}"#.utf8))
    }

    @Test("memberOf() uses the offline expansion; unknown value sets are empty")
    func memberOf() throws {
        let engine = Self.evaluator.engine
        let p = try Self.patient(gender: "female")
        let vs = "http://hl7.org/fhir/ValueSet/administrative-gender"
        #expect(try engine.evaluate("gender.memberOf('\(vs)')", focus: p) == [.boolean(true)])
        #expect(try engine.evaluate("'banana'.memberOf('\(vs)')", focus: p) == [.boolean(false)])
        #expect(try engine.evaluate("gender.memberOf('http://example.org/unknown')", focus: p).isEmpty)
    }

    @Test("conformsTo() validates against the profile")
    func conformsTo() throws {
        let engine = Self.evaluator.engine
        let p = try Self.patient(gender: "female")
        #expect(
            try engine.evaluate("conformsTo('http://hl7.org/fhir/StructureDefinition/Patient')", focus: p) == [
                .boolean(true)
            ])
        #expect(
            try engine.evaluate("conformsTo('http://hl7.org/fhir/StructureDefinition/DomainResource')", focus: p) == [
                .boolean(true)
            ])
        #expect(
            try engine.evaluate("conformsTo('http://hl7.org/fhir/StructureDefinition/Observation')", focus: p) == [
                .boolean(false)
            ])
        // An unknown profile gives an empty result.
        #expect(try engine.evaluate("conformsTo('http://example.org/StructureDefinition/none')", focus: p).isEmpty)
        // A datatype conforms to its own core type and to the types it specialises, as with the plain engine.
        let o = try FHIRJSONReader(registry: Conformance.registry).readResource(
            Array(
                #"{"resourceType":"Condition","subject":{"reference":"Patient/1"},"onsetAge":{"value":3,"unit":"a","system":"http://unitsofmeasure.org","code":"a"}}"#
                    .utf8))
        for type in ["Age", "Quantity"] {
            let url = "http://hl7.org/fhir/StructureDefinition/\(type)"
            #expect(try engine.evaluate("onset.conformsTo('\(url)')", focus: o) == [.boolean(true)], "\(type)")
        }
        #expect(
            try engine.evaluate("onset.conformsTo('http://hl7.org/fhir/StructureDefinition/Duration')", focus: o) == [
                .boolean(false)
            ])
    }

    @Test("Validator.withFHIRPath evaluates invariants (no 'skipped' information)")
    func factory() throws {
        let v = Validator.withFHIRPath(store: ValidatorFixture.validator.store, registry: Conformance.registry)
        let issues = v.validate(try Self.patient(gender: "female"))
        #expect(!issues.contains { $0.code == .notSupported && $0.message.contains("invariant") })
        #expect(issues.filter(\.isError).isEmpty)
    }
}
