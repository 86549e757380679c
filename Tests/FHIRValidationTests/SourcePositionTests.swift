import FHIRModel
import FHIRTestSupport
import FHIRValidation
import Testing

/// Issues on JSON input carry the line and column of their element (or of the nearest existing ancestor).
@Suite("Source positions")
struct SourcePositionTests {
    static let json = """
        {
          "resourceType": "Appointment",
          "status": "done",
          "participant": [
            {"actor": {"reference": "Patient/1"}, "status": "accepted"},
            {"actor": {"reference": "Observation/1"}, "status": "accepted"}
          ]
        }
        """

    @Test("a binding error, a reference target error and a missing element are placed")
    func placed() throws {
        let issues = ValidatorFixture.validator.validate(
            bytes: Array(Self.json.utf8), format: .json, registry: Conformance.registry)
        let errors = ValidatorFixture.errors(issues)
        // The status, the actor's target and app-3 (a done appointment needs its start and end).
        #expect(errors.count == 3, "\(errors)")
        #expect(errors.contains { $0.constraintKey == "app-3" })
        let status = try #require(errors.first { $0.expression == "Appointment.status" })
        #expect(status.line == 3 && status.column == 3)
        let actor = try #require(errors.first { $0.expression == "Appointment.participant[1].actor" })
        #expect(actor.line == 6 && actor.column == 6)
    }

    @Test("an element that is missing gets its parent's position")
    func missing() throws {
        let text = "{\n  \"resourceType\": \"Slot\",\n  \"status\": \"free\",\n  \"start\": \"2024-01-01T09:00:00Z\"\n}"
        let issues = ValidatorFixture.validator.validate(
            bytes: Array(text.utf8), format: .json, registry: Conformance.registry)
        let errors = ValidatorFixture.errors(issues)
        #expect(errors.count == 2, "\(errors)")  // schedule and end are 1..1
        #expect(errors.allSatisfy { $0.expression == "Slot" && $0.line == 1 && $0.column == 1 })
    }
}
