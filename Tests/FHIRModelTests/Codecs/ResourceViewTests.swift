import FHIRModel
import FHIRTestSupport
import Foundation
import Testing

/// Typed views read the official examples and write back what the codecs accept.
@Suite("Typed resource views")
struct ResourceViewTests {
    let codec = FHIRCodec(registry: Conformance.registry)

    func example(_ name: String) throws -> Element {
        try codec.read(Conformance.bytes(Conformance.examplesJSON.appendingPathComponent(name)), format: .json)
    }

    @Test("Appointment fields")
    func appointment() throws {
        let a = try #require(AppointmentResource(try example("Appointment-example.json")))
        #expect(a.status == .booked)
        #expect(a.start?.text == "2013-12-10T09:00:00Z")
        #expect(a.participants.count == 3)
        #expect(a.participants[1].actor?.reference == "Practitioner/example")
        #expect(a.participants[1].status == .accepted)
        #expect(a.serviceTypes.first?.code == "52")
        #expect(AppointmentResource(try example("Slot-example.json")) == nil)
    }

    @Test("building an Appointment gives FHIR JSON in definition order that reads back equal")
    func buildAppointment() throws {
        var a = AppointmentResource()
        a.participants = [.init(actor: Reference("Patient/p1"), status: .needsAction)]
        a.end = FHIRDateTime("2025-03-30T10:30:00+02:00")
        a.start = FHIRDateTime("2025-03-30T10:00:00+02:00")
        a.status = .booked
        a.slots = [Reference("Slot/s1")]
        a.identifiers = [Identifier(system: "urn:cup", value: "N1")]
        a.id = "a1"
        let json = FHIRJSONWriter(registry: Conformance.registry).string(a.element)
        #expect(
            json.hasPrefix(
                #"{"resourceType":"Appointment","id":"a1","identifier":[{"system":"urn:cup","value":"N1"}],"status":"booked","start""#
            ))
        let back = try #require(AppointmentResource(try codec.read(Array(json.utf8), format: .json)))
        #expect(back.participants == a.participants)
        #expect(back.slots == [Reference("Slot/s1")])
    }

    @Test(
        "Slot, Schedule, AppointmentResponse, Bundle, Parameters, OperationOutcome, Subscription, CapabilityStatement")
    func others() throws {
        let slot = try #require(SlotResource(try example("Slot-example.json")))
        #expect(slot.status == .free)
        #expect(slot.schedule?.reference == "Schedule/example")
        let schedule = try #require(ScheduleResource(try example("Schedule-example.json")))
        #expect(schedule.active == true)
        #expect(!schedule.actors.isEmpty)
        let response = try #require(AppointmentResponseResource(try example("AppointmentResponse-example.json")))
        #expect(response.participantStatus == .accepted)
        let bundle = try #require(BundleResource(try example("Bundle-bundle-transaction.json")))
        #expect(bundle.type == "transaction")
        #expect(bundle.entries.contains { $0.request?.method == "DELETE" })
        let params = try #require(ParametersResource(try example("Parameters-example.json")))
        #expect(!params.parameters.isEmpty)
        let outcome = try #require(OperationOutcomeResource(try example("OperationOutcome-validationfail.json")))
        #expect(outcome.issues.first?.severity == "error")
        let sub = try #require(SubscriptionResource(try example("Subscription-example.json")))
        #expect(sub.channelType == "rest-hook")
        let cs = try #require(CapabilityStatementResource(try example("CapabilityStatement-example.json")))
        #expect(cs.interactions["Patient"]?.contains("read") == true)
    }

    @Test("reader issues become an OperationOutcome with expression and location")
    func parseIssuesToOutcome() throws {
        let bad = #"{"resourceType":"Slot","status":"nope-not valid","start":"2024-01-01"}"#
        do {
            _ = try codec.read(Array(bad.utf8), format: .json)
            Issue.record("expected an error")
        } catch {
            let outcome = OperationOutcomeResource(parseIssues: error.issues)
            let issue = try #require(outcome.issues.first)
            #expect(issue.expression == ["Slot.status"] || issue.expression == ["Slot.start"])
            #expect(issue.location.first?.hasPrefix("line 1, column") == true)
            let json = FHIRJSONWriter(registry: Conformance.registry).string(outcome.element)
            _ = try codec.read(Array(json.utf8), format: .json)
        }
    }
}
