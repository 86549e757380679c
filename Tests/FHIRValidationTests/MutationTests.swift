import FHIRModel
import FHIRTestSupport
import FHIRValidation
import Foundation
import Testing

/// Mutated copies of official examples each give exactly the expected issue at the expected location.
@Suite("Mutations")
struct MutationTests {
    let validator = ValidatorFixture.validator

    func onlyError(_ resource: Element, profiles: [String] = [], using v: Validator? = nil) -> ValidationIssue? {
        let errors = ValidatorFixture.errors((v ?? validator).validate(resource, profiles: profiles))
        #expect(errors.count == 1, "\(errors)")
        return errors.first
    }

    @Test("a missing required element (Appointment.participant 1..*)")
    func cardinality() throws {
        var a = try ValidatorFixture.example("Appointment-example.json")
        a.children.removeAll { $0.name == "participant" }
        let issue = try #require(onlyError(a))
        #expect(issue.expression == "Appointment")
        #expect(issue.code == .structure && issue.message.contains("participant: minimum required = 1"))
    }

    @Test("too many of a non-repeating element (Slot.schedule twice)")
    func maxCardinality() throws {
        var s = try ValidatorFixture.example("Slot-example.json")
        let schedule = try #require(s.child("schedule"))
        s.children.append(schedule)
        let issue = try #require(onlyError(s))
        #expect(issue.expression == "Slot" && issue.message.contains("schedule: max allowed = 1, but found 2"))
    }

    @Test("a code outside a required binding (Appointment.status)")
    func requiredBinding() throws {
        var a = try ValidatorFixture.example("Appointment-example.json")
        a.setPrimitive("status", type: "code", "done")
        let issue = try #require(onlyError(a))
        #expect(issue.expression == "Appointment.status" && issue.code == .codeInvalid)
    }

    @Test("a Coding outside a required binding (Slot participant status in AppointmentResponse)")
    func requiredBindingCodeable() throws {
        var r = try ValidatorFixture.example("AppointmentResponse-example.json")
        r.setPrimitive("participantStatus", type: "code", "maybe")
        let issue = try #require(onlyError(r))
        #expect(issue.expression == "AppointmentResponse.participantStatus")
    }

    @Test("an unknown element built in code")
    func unknownElement() throws {
        var a = try ValidatorFixture.example("Appointment-example.json")
        a.modifyChild("participant", at: 1) {
            $0.children.append(Element(name: "colour", type: "string", value: "red"))
        }
        let issue = try #require(onlyError(a))
        #expect(issue.expression == "Appointment.participant[1].colour" && issue.code == .structure)
    }

    @Test("a bad date (Patient.birthDate 1974-02-30)")
    func badDate() throws {
        var p = try ValidatorFixture.example("Patient-example.json")
        p.setPrimitive("birthDate", type: "date", "1974-02-30")
        let issue = try #require(onlyError(p))
        #expect(issue.expression == "Patient.birthDate" && issue.code == .value)
    }

    @Test("a wrong reference target (Appointment.participant.actor → Observation)")
    func referenceTarget() throws {
        var a = try ValidatorFixture.example("Appointment-example.json")
        a.modifyChild("participant", at: 1) { p in
            p.modifyChild("actor") { $0.setPrimitive("reference", type: "string", "Observation/example") }
        }
        let issue = try #require(onlyError(a))
        #expect(issue.expression == "Appointment.participant[1].actor")
        #expect(issue.message.contains("Found Observation"))
    }

    @Test("a wrong type in a choice (Observation-free: Extension value on a booking extension)")
    func wrongChoiceType() throws {
        var s = try ValidatorFixture.example("Slot-example.json")
        s.children.insert(
            Element(
                name: "extension", type: "Extension",
                children: [
                    Element(
                        name: "url", type: "uri",
                        value: "https://booking-gateway.dev/fhir/StructureDefinition/slot-capacity"),
                    Element(name: "value", type: "string", value: "three"),
                ]), at: 1)
        let issue = try #require(onlyError(s))
        #expect(issue.expression == "Slot.extension[0].value.ofType(string)" && issue.code == .structure)
    }

    @Test("a broken slice and a wrong fixed value (test profile with identifier slicing and fixed gender)")
    func sliceAndFixed() throws {
        let dir = try TestProfiles.folder()
        let v = try Validator(registry: Conformance.registry, structures: Conformance.structures, extraFolders: [dir])
        var p = try ValidatorFixture.example("Patient-example.json")
        p.setPrimitive("gender", type: "code", "male")
        #expect(ValidatorFixture.errors(v.validate(p, profiles: [TestProfiles.patientURL])).isEmpty)

        var wrongFixed = p
        wrongFixed.setPrimitive("gender", type: "code", "female")
        let fixed = try #require(onlyError(wrongFixed, profiles: [TestProfiles.patientURL], using: v))
        #expect(fixed.expression == "Patient.gender" && fixed.code == .value)

        var noMRN = p
        noMRN.modifyChild("identifier") { $0.modifyChild("system") { $0.value = "urn:oid:1.2.3" } }
        let slice = try #require(onlyError(noMRN, profiles: [TestProfiles.patientURL], using: v))
        #expect(slice.expression == "Patient" && slice.message.contains("identifier:mrn: minimum required = 1"))
    }

    @Test("a script in the narrative (txt-1, checked natively)")
    func narrativeScript() throws {
        var p = try ValidatorFixture.example("Patient-example.json")
        p.modifyChild("text") { text in
            text.modifyChild("div") {
                $0.value = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p onclick=\"x()\">Hi</p></div>"
            }
        }
        let issue = try #require(onlyError(p))
        #expect(issue.expression == "Patient.text.div" && issue.constraintKey == "txt-1")
    }

    @Test("an invariant violated, and an invariant that throws, with a stub evaluator")
    func invariants() throws {
        let v = Validator(store: validator.store, evaluator: StubEvaluator())
        let a = try ValidatorFixture.example("Appointment-example.json")
        let issues = v.validate(a)
        let errors = ValidatorFixture.errors(issues)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.constraintKey == "app-3" && errors.first?.expression == "Appointment")
        let warnings = issues.filter { $0.code == .processing }
        #expect(warnings.count == 1 && warnings.first?.constraintKey == "app-2")
        #expect(!issues.contains { $0.code == .notSupported && $0.message.contains("invariant") })
    }

    @Test("an invariant whose expression gives an empty result fails (per-1 on a date against a dateTime)")
    func emptyInvariantResultFails() throws {
        // `start <= end` compares a day with a time of that day: not comparable, so empty, so per-1 is not true.
        var a = try ValidatorFixture.example("Appointment-example.json")
        a.children.append(
            Element(
                name: "requestedPeriod", type: "Period",
                children: [
                    Element(name: "start", type: "dateTime", value: "2013-12-10"),
                    Element(name: "end", type: "dateTime", value: "2013-12-10T09:00:00Z"),
                ]))
        let issue = onlyError(a)
        #expect(issue?.constraintKey == "per-1" && issue?.expression == "Appointment.requestedPeriod[0]")

        a.modifyChild("requestedPeriod") { $0.modifyChild("start") { $0.value = "2013-12-09" } }
        #expect(ValidatorFixture.errors(validator.validate(a)).isEmpty)
    }
}

/// Fails app-3, throws on app-2, accepts everything else.
struct StubEvaluator: ConstraintEvaluator {
    struct Failure: Error {}
    func evaluate(expression: String, focus: Element, resource: Element, rootResource: Element) throws -> Bool {
        if expression.hasPrefix("(start.exists() and end.exists()) or") { return false }
        if expression == "start.exists() = end.exists()" { throw Failure() }
        return true
    }
}

/// A test profile on Patient: identifier sliced by system (slice `mrn`, 1..1), gender fixed to `male`.
enum TestProfiles {
    static let patientURL = "http://example.org/StructureDefinition/test-patient"

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("validator-profiles-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let sd = """
            {"resourceType": "StructureDefinition", "url": "\(patientURL)", "name": "TestPatient",
             "status": "draft", "kind": "resource", "abstract": false, "type": "Patient",
             "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Patient", "derivation": "constraint",
             "differential": {"element": [
               {"id": "Patient.identifier", "path": "Patient.identifier",
                "slicing": {"discriminator": [{"type": "value", "path": "system"}], "rules": "open"}},
               {"id": "Patient.identifier:mrn", "path": "Patient.identifier", "sliceName": "mrn", "min": 1, "max": "1"},
               {"id": "Patient.identifier:mrn.system", "path": "Patient.identifier.system", "min": 1,
                "fixedUri": "urn:oid:1.2.36.146.595.217.0.1"},
               {"id": "Patient.gender", "path": "Patient.gender", "fixedCode": "male"}
             ]}}
            """
        try Data(sd.utf8).write(to: dir.appendingPathComponent("StructureDefinition-test-patient.json"))
        return dir
    }
}
