import Booking
import FHIRMapping
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The Italian regional flow: booking by e-prescription number (NRE) and priority class.
@Suite("E-prescriptions and priority classes over HTTP")
struct PrescriptionHTTPTests {
    static func booking(slot: String, nre: String, priority: String) -> String {
        #"{"resourceType":"Appointment","extension":[{"url":"\#(ProjectExtension.priorityClass)","valueCode":"\#(priority)"}],"status":"booked","basedOn":[{"type":"ServiceRequest","identifier":{"system":"\#(ProjectExtension.prescriptionSystem)","value":"\#(nre)"}}],"slot":[{"reference":"Slot/\#(slot)"}],"participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}"#
    }

    @Test("the NRE and the priority class are kept on the appointment, and the NRE finds it")
    func keptAndFound() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(Self.booking(slot: GatewayFixture.slot("09:00"), nre: "1200A4001234567", priority: "B")))
            #expect(created.status == .created)
            let a = try created.resource()
            #expect(a.extensions(url: ProjectExtension.priorityClass).first?.string("value") == "B")
            #expect(a.descendant("basedOn", "identifier", "value")?.value == "1200A4001234567")
            for (query, count) in [
                ("based-on:identifier=1200A4001234567", 1),
                ("based-on:identifier=\(ProjectExtension.prescriptionSystem)%7C1200A4001234567", 1),
                ("based-on:identifier=1200A4009999999", 0),
            ] {
                let r = try await client.execute(uri: "/fhir/Appointment?\(query)", method: .get)
                #expect(BundleResource(try r.resource())?.total == count, "\(query)")
            }
            let bad = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(Self.booking(slot: GatewayFixture.slot("09:30"), nre: "X", priority: "Z")))
            #expect(bad.status == .unprocessableContent)
            let byReference = try await client.execute(uri: "/fhir/Appointment?based-on=ServiceRequest/1", method: .get)
            #expect(byReference.status == .badRequest)
        }
    }

    @Test("$find with a priority class searches up to its deadline and says when nothing is free within it")
    func deadline() async throws {
        let f = try await GatewayFixture()
        // The fixture's clock: Monday 2026-06-01 08:00 Rome. Class U: until Thursday 08:00 Rome.
        try await f.app.test(.live) { client in
            let urgent = try await client.execute(
                uri: "/fhir/Appointment/$find?practitioner=Practitioner/rossi&priority=U&_count=100", method: .get)
            let bundle = try #require(BundleResource(try urgent.resource()))
            // Monday 09:00–13:00, Tuesday and Wednesday: 3 days × 8 slots.
            #expect(bundle.total == 24)
            let starts = bundle.entries.compactMap { $0.resource?.string("start") }
            #expect(starts.last == "2026-06-03T10:30:00Z")
            let first = try #require(bundle.entries.first?.resource)
            #expect(first.extensions(url: ProjectExtension.priorityClass).first?.string("value") == "U")
            // Brief: 10 days of weekdays.
            let brief = try await client.execute(
                uri: "/fhir/Appointment/$find?practitioner=Practitioner/rossi&priority=B&_count=1", method: .get)
            #expect(BundleResource(try brief.resource())?.total == 8 * 8)
            // A start after the deadline is refused; an unknown class is a 400.
            let late = try await client.execute(
                uri: "/fhir/Appointment/$find?practitioner=Practitioner/rossi&priority=U&start=2026-06-10", method: .get
            )
            #expect(late.status == .unprocessableContent)
            let unknown = try await client.execute(
                uri: "/fhir/Appointment/$find?practitioner=Practitioner/rossi&priority=Q", method: .get)
            #expect(unknown.status == .badRequest)
        }
        // Close the three urgent days: nothing within the deadline, and the outcome says what is next.
        for day in ["2026-06-01", "2026-06-02", "2026-06-03"] {
            _ = try await f.service.saveException(oneDayClosure(id: "closed-\(day)", day: day))
        }
        try await f.app.test(.live) { client in
            let r = try await client.execute(
                uri: "/fhir/Appointment/$find?practitioner=Practitioner/rossi&priority=U", method: .get)
            let bundle = try #require(BundleResource(try r.resource()))
            #expect(bundle.total == 0)
            let outcome = try #require(bundle.entries.first { $0.searchMode == "outcome" }?.resource)
            let issue = try #require(OperationOutcomeResource(outcome)?.issues.first)
            let text = issue.diagnostics ?? ""
            #expect(text.contains("no free slot within the class U deadline"))
            #expect(text.contains("Slot/\(rossiSlot("2026-06-04T09:00:00+02:00"))"))
        }
    }
}
