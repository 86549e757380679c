import FHIRModel
import FHIRTestSupport
import FHIRValidation
import Foundation
import Testing

/// The derived NDJSON files of profiles/r4 (core extensions, core constraint profiles, core SearchParameters) must
/// not drift from the official definitions.
@Suite("Derived definition data")
struct CoreExtensionDataTests {
    enum Derived: String, CaseIterable, Sendable {
        case extensions, profiles, search

        var file: String {
            switch self {
            case .extensions: "extensions/extensions.ndjson"
            case .profiles: "profiles/profiles.ndjson"
            case .search: "search/search-parameters.ndjson"
            }
        }
        var command: String {
            switch self {
            case .extensions: "core-extensions"
            case .profiles: "core-profiles"
            case .search: "search-parameters"
            }
        }
        func generate() throws -> [UInt8] {
            let importer = ProfileImporter()
            switch self {
            case .extensions: return try importer.importExtensions(Conformance.definitions)
            case .profiles: return try importer.importConstraintProfiles(Conformance.definitions)
            case .search: return try importer.importSearchParameters(Conformance.definitions)
            }
        }
    }

    @Test(
        "regenerating a derived file of profiles/r4 from the official definitions gives the committed file",
        arguments: Derived.allCases)
    func regenerationMatches(derived: Derived) throws {
        let generated = try derived.generate()
        let onDisk = Conformance.bytes(Conformance.structures.appendingPathComponent(derived.file))
        #expect(onDisk.count == generated.count)
        #expect(onDisk == generated, "run booking-gateway profiles \(derived.command)")
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
