import FHIRModel
import FHIRTestSupport
import FHIRValidation
import Foundation
import Testing

/// profiles/r4/extensions is derived from the official extension definitions and must not drift.
@Suite("Core extension data")
struct CoreExtensionDataTests {
    @Test("regenerating profiles/r4/extensions from the official definitions gives the committed file")
    func regenerationMatches() throws {
        let generated = try ProfileImporter().importExtensions(Conformance.definitions)
        let onDisk = Conformance.bytes(
            Conformance.structures.appendingPathComponent("extensions").appendingPathComponent("extensions.ndjson"))
        #expect(onDisk.count == generated.count)
        #expect(onDisk == generated, "run booking-gateway profiles core-extensions")
    }

    @Test("regenerating profiles/r4/profiles from the official definitions gives the committed file")
    func profilesRegenerationMatches() throws {
        let generated = try ProfileImporter().importConstraintProfiles(Conformance.definitions)
        let onDisk = Conformance.bytes(
            Conformance.structures.appendingPathComponent("profiles").appendingPathComponent("profiles.ndjson"))
        #expect(onDisk.count == generated.count)
        #expect(onDisk == generated, "run booking-gateway profiles core-profiles")
    }

    @Test("core extensions are checked: a wrong value type and a wrong context are errors")
    func checked() throws {
        let store = ValidatorFixture.validator.store
        let url = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
        #expect(store.profile(url)?.contexts.map(\.expression) == ["Patient"])
        var p = try ValidatorFixture.example("Patient-example.json")
        p.children.insert(
            Element(
                name: "extension", type: "Extension",
                children: [
                    Element(name: "url", type: "uri", value: url),
                    Element(name: "value", type: "string", value: "Rome"),
                ]), at: 1)
        let errors = ValidatorFixture.errors(ValidatorFixture.validator.validate(p))
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.expression == "Patient.extension[0].value.ofType(string)")

        var s = try ValidatorFixture.example("Slot-example.json")
        s.children.insert(
            Element(
                name: "extension", type: "Extension",
                children: [
                    Element(name: "url", type: "uri", value: url),
                    Element(
                        name: "value", type: "Address",
                        children: [Element(name: "city", type: "string", value: "Rome")]),
                ]), at: 1)
        let contextErrors = ValidatorFixture.errors(ValidatorFixture.validator.validate(s))
        #expect(contextErrors.count == 1, "\(contextErrors)")
        #expect(contextErrors.first?.message.contains("is not allowed to be used at this point") == true)
    }
}
