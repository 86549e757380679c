import FHIRModel
import FHIRTestSupport
import FHIRValidation
import Foundation
import Testing

/// Rules on conformance resources: SearchParameters and CapabilityStatements against the core SearchParameters
/// (profiles/r4/search), and a differential-only StructureDefinition's authoring rules.
@Suite("Conformance resource rules")
struct ConformanceResourceRuleTests {
    static func read(_ json: String) throws -> Element {
        try FHIRJSONReader(registry: Conformance.registry).readResource(Array(json.utf8))
    }

    static func errors(_ json: String) throws -> [ValidationIssue] {
        ValidatorFixture.errors(ValidatorFixture.validator.validate(try read(json)))
    }

    @Test("regenerating profiles/r4/search from the official definitions gives the committed file")
    func regenerationMatches() throws {
        let generated = try ProfileImporter().importSearchParameters(Conformance.definitions)
        let onDisk = Conformance.bytes(
            Conformance.structures.appendingPathComponent("search").appendingPathComponent("search-parameters.ndjson"))
        #expect(onDisk == generated, "run booking-gateway profiles search-parameters")
        #expect(ValidatorFixture.validator.store.searchParameters.count == 1_400)
    }

    @Test("a SearchParameter derived from a core one keeps its type and narrows its base; paths start at a base")
    func derivedSearchParameter() throws {
        let sp = """
            {"resourceType":"SearchParameter","url":"http://example.org/SearchParameter/when","name":"When",
             "status":"active","description":"d","code":"when","derivedFrom":"http://hl7.org/fhir/SearchParameter/Appointment-date",
             "base":["Appointment","Slot"],"type":"TYPE","expression":"EXPR"}
            """
        let good = try Self.errors(
            sp.replacingOccurrences(of: "TYPE", with: "date").replacingOccurrences(
                of: "EXPR", with: "Appointment.start"
            )
            .replacingOccurrences(of: #","Slot""#, with: ""))
        #expect(good.isEmpty, "\(good)")

        let bad = try Self.errors(
            sp.replacingOccurrences(of: "TYPE", with: "token").replacingOccurrences(
                of: "EXPR", with: "Appointment.start | (Schedule.planningHorizon)"))
        #expect(bad.count == 3, "\(bad)")
        #expect(
            bad.contains { $0.expression == "SearchParameter" && $0.message.contains("The type token is different") })
        #expect(
            bad.contains {
                $0.expression == "SearchParameter" && $0.message.contains("resource type Slot is not listed")
            })
        #expect(
            bad.contains {
                $0.expression == "SearchParameter.expression" && $0.message.contains("the name 'Schedule' is not valid")
            })
    }

    @Test("every core SearchParameter's expression starts at one of its bases, but for one example's defect")
    func coreSearchParameters() throws {
        let names = Conformance.files(in: Conformance.definitions, extension: "json").filter {
            $0.hasPrefix("SearchParameter-")
        }
        #expect(names.count == 1_400)
        var wrong: [String] = []
        for name in names {
            // Read leniently: one official SearchParameter has an id longer than 64 characters.
            let issues = ValidatorFixture.validator.validate(
                bytes: Conformance.bytes(Conformance.definitions.appendingPathComponent(name)), format: .json,
                registry: Conformance.registry
            )
            .filter { $0.message.contains("search expression") }
            if !issues.isEmpty { wrong.append("\(name): \(issues[0].message)") }
        }
        // The one finding is a defect of the example itself: its base is Patient, its expression starts at
        // DocumentReference.
        #expect(wrong.count == 1, "\(wrong.prefix(5))")
        #expect(wrong.first?.hasPrefix("SearchParameter-example-extension.json: ") == true, "\(wrong)")
    }

    @Test("a CapabilityStatement's search parameter has its definition's type")
    func capabilityStatement() throws {
        let cs = """
            {"resourceType":"CapabilityStatement","status":"active","date":"2026-01-01","kind":"instance",
             "implementation":{"description":"x"},"fhirVersion":"4.0.1","format":["json"],
             "rest":[{"mode":"server","resource":[{"type":"Appointment","searchParam":[
               {"name":"date","definition":"http://hl7.org/fhir/SearchParameter/Appointment-date","type":"TYPE"}]}]}]}
            """
        #expect(try Self.errors(cs.replacingOccurrences(of: "TYPE", with: "date")).isEmpty)
        let bad = try Self.errors(cs.replacingOccurrences(of: "TYPE", with: "token"))
        #expect(bad.count == 1, "\(bad)")
        #expect(bad.first?.expression == "CapabilityStatement.rest[0].resource[0].searchParam[0]")
        #expect(bad.first?.message.contains("type is date, but type here is token") == true)
    }

    static let profile = """
        {"resourceType":"StructureDefinition","url":"http://example.org/StructureDefinition/p","name":"P",
         "status":"active","kind":"resource","abstract":false,"type":"Patient",
         "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient","derivation":"constraint",
         "differential":{"element":[ELEMENTS]}}
        """

    @Test("a differential in the base's order, slices going back to their element, gives no finding")
    func differentialInOrder() throws {
        let elements = """
            {"id":"Patient.extension","path":"Patient.extension","slicing":{"discriminator":[{"type":"value","path":"url"}],"rules":"open"}},
            {"id":"Patient.extension:a","path":"Patient.extension","sliceName":"a"},
            {"id":"Patient.extension:a.value[x]","path":"Patient.extension.value[x]","type":[{"code":"string"}]},
            {"id":"Patient.extension:b","path":"Patient.extension","sliceName":"b"},
            {"id":"Patient.extension:b.url","path":"Patient.extension.url"},
            {"id":"Patient.identifier","path":"Patient.identifier","min":1},
            {"id":"Patient.identifier.system","path":"Patient.identifier.system","min":1},
            {"id":"Patient.gender","path":"Patient.gender","binding":{"strength":"required","valueSet":"http://hl7.org/fhir/ValueSet/administrative-gender"}},
            {"id":"Patient.birthDate","path":"Patient.birthDate","min":1}
            """
        let errors = try Self.errors(Self.profile.replacingOccurrences(of: "ELEMENTS", with: elements))
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test("an element listed before one that comes earlier in the base is not matched: at it, and for the profile")
    func differentialOutOfOrder() throws {
        let elements = """
            {"id":"Patient.birthDate","path":"Patient.birthDate","min":1},
            {"id":"Patient.identifier","path":"Patient.identifier","min":1}
            """
        let errors = try Self.errors(Self.profile.replacingOccurrences(of: "ELEMENTS", with: elements))
        #expect(errors.count == 2, "\(errors)")
        #expect(
            errors.contains {
                $0.expression == "StructureDefinition.differential.element[0]"
                    && $0.message.hasPrefix("No match found for Patient.birthDate")
            })
        #expect(
            errors.contains { $0.expression == "StructureDefinition" && $0.message.contains("(id: Patient.birthDate)") }
        )
    }

    @Test("a binding on a type that cannot be coded is an error; on a code it is not")
    func bindingOnDate() throws {
        let elements = """
            {"id":"Patient.birthDate","path":"Patient.birthDate","binding":{"strength":"required","valueSet":"http://hl7.org/fhir/ValueSet/administrative-gender"}}
            """
        let errors = try Self.errors(Self.profile.replacingOccurrences(of: "ELEMENTS", with: elements))
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.expression == "StructureDefinition.differential.element[0]")
        #expect(errors.first?.message.contains("types [date]") == true)
    }

    @Test("slicing the root of a profile is reported at the element and as a snapshot error, besides sdf-20")
    func rootSlicing() throws {
        let elements = """
            {"id":"Patient","path":"Patient","slicing":{"discriminator":[{"type":"value","path":"id"}],"rules":"open"}}
            """
        let errors = try Self.errors(Self.profile.replacingOccurrences(of: "ELEMENTS", with: elements))
        #expect(
            errors.contains {
                $0.expression == "StructureDefinition.differential.element[0]" && $0.message.contains("root")
            })
        #expect(
            errors.contains { $0.expression == "StructureDefinition" && $0.message.contains("slicing at the root") })
        #expect(errors.contains { $0.constraintKey == "sdf-20" })
        #expect(errors.count == 3, "\(errors)")
    }
}
