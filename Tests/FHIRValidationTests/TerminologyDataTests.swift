import FHIRTestSupport
import FHIRValidation
import Foundation
import Testing

/// profiles/r4/terminology is derived from the official ValueSets and CodeSystems and must not drift.
@Suite("Terminology data")
struct TerminologyDataTests {
    @Test("regenerating profiles/r4/terminology from the official definitions gives the committed file")
    func regenerationMatches() throws {
        let generated = try TerminologyImporter().importDirectory(Conformance.definitions)
        let onDisk = Conformance.bytes(
            Conformance.structures.appendingPathComponent("terminology").appendingPathComponent(
                TerminologyImporter.fileName))
        #expect(onDisk.count == generated.count)
        #expect(onDisk == generated, "run booking-gateway profiles terminology")
    }

    @Test("bound value sets are expanded, external ones are marked unexpandable")
    func expansions() throws {
        let t = ValidatorFixture.validator.store.terminology
        guard
            case .codes(let keys, let codes) = try #require(
                t.valueSet("http://hl7.org/fhir/ValueSet/appointmentstatus|4.0.1"))
        else {
            Issue.record("appointmentstatus is not expanded")
            return
        }
        #expect(codes.contains("booked") && codes.count == 10)
        #expect(keys.contains("http://hl7.org/fhir/appointmentstatus|noshow"))
        guard case .unexpandable = try #require(t.valueSet("http://hl7.org/fhir/ValueSet/all-languages")) else {
            Issue.record("all-languages (BCP-47) should not be expandable offline")
            return
        }
        // is-a filter over a local hierarchy, and a concept list of an external system (UCUM).
        guard case .codes(_, let ages) = try #require(t.valueSet("http://hl7.org/fhir/ValueSet/age-units")) else {
            Issue.record("age-units is a concept list and must expand")
            return
        }
        #expect(ages.contains("a") && !ages.contains("m"))
    }
}
