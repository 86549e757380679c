import Booking
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Appointment interactions over real HTTP on loopback, in JSON and XML.
@Suite("Appointment over HTTP")
struct AppointmentHTTPTests {
    @Test(
        "create books the slot (201, Location, ETag); repeating with the same identifier returns it (200); a full slot is 409"
    )
    func createBooksSlot() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("09:00")
        try await f.app.test(.live) { client in
            let body = GatewayFixture.appointmentJSON(slot: slot, identifier: "N-1")
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: json(body))
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "W/\"1\"")
            let a = try #require(AppointmentResource(try created.resource()))
            #expect(created.headers[.location] == "\(GatewayFixture.base)/Appointment/\(a.id!)/_history/1")
            #expect(a.status == .booked && a.slots.first?.reference == "Slot/\(slot)")
            let again = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: json(body))
            #expect(again.status == .ok)
            #expect(AppointmentResource(try again.resource())?.id == a.id)
            let other = GatewayFixture.appointmentJSON(slot: slot, patient: "p2")
            let full = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: json(other))
            #expect(full.status == .conflict)
            let outcome = try #require(OperationOutcomeResource(try full.resource()))
            #expect(outcome.issues.first?.code == "conflict")
            let slotRead = try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get)
            #expect(SlotResource(try slotRead.resource())?.status == .busy)
        }
    }

    @Test("create and read in XML")
    func xml() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("10:00")
        try await f.app.test(.live) { client in
            let body = """
                <Appointment xmlns="http://hl7.org/fhir"><status value="booked"/><slot><reference value="Slot/\(slot)"/></slot>\
                <participant><actor><reference value="Patient/p9"/></actor><status value="accepted"/></participant></Appointment>
                """
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: xmlHeaders, body: json(body))
            #expect(created.status == .created)
            #expect(created.headers[.contentType]?.hasPrefix("application/fhir+xml") == true)
            let id = try #require(AppointmentResource(try created.resource())?.id)
            let read = try await client.execute(uri: "/fhir/Appointment/\(id)?_format=xml", method: .get)
            #expect(read.text.contains("<Appointment xmlns=\"http://hl7.org/fhir\">"))
            #expect(AppointmentResource(try read.resource())?.participants.first?.actor?.reference == "Patient/p9")
        }
    }

    @Test("cancel by update frees the slot; history has both versions; vread; If-Match mismatch is 412")
    func cancelHistoryVersions() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("11:00")
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: slot)))
            var a = try #require(AppointmentResource(try created.resource()))
            let id = try #require(a.id)
            a.status = .cancelled
            let body = FHIRJSONWriter(registry: Conformance.registry).string(a.element)
            var stale = jsonHeaders
            stale[.ifMatch] = "W/\"7\""
            let refused = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .put, headers: stale, body: json(body))
            #expect(refused.status == .preconditionFailed)
            var current = jsonHeaders
            current[.ifMatch] = "W/\"1\""
            let updated = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .put, headers: current, body: json(body))
            #expect(updated.status == .ok)
            #expect(AppointmentResource(try updated.resource())?.status == .cancelled)
            #expect(updated.headers[.eTag] == "W/\"2\"")
            let slotRead = try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get)
            #expect(SlotResource(try slotRead.resource())?.status == .free)
            let history = try await client.execute(uri: "/fhir/Appointment/\(id)/_history", method: .get)
            let bundle = try #require(BundleResource(try history.resource()))
            #expect(bundle.type == "history" && bundle.total == 2)
            let v1 = try await client.execute(uri: "/fhir/Appointment/\(id)/_history/1", method: .get)
            #expect(AppointmentResource(try v1.resource())?.status == .booked)
            let v9 = try await client.execute(uri: "/fhir/Appointment/\(id)/_history/9", method: .get)
            #expect(v9.status == .notFound)
        }
    }

    @Test("appointments mode: no slot, start and end; an overlap for the same nurse is 409")
    func appointmentsMode() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            func body(_ start: String, _ end: String) -> String {
                #"{"resourceType":"Appointment","status":"booked","start":"\#(start)","end":"\#(end)","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"},{"actor":{"reference":"Practitioner/verdi"},"status":"accepted"}]}"#
            }
            let ok = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(body("2026-06-03T15:00:00+02:00", "2026-06-03T15:30:00+02:00")))
            #expect(ok.status == .created)
            let overlap = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(body("2026-06-03T15:15:00+02:00", "2026-06-03T15:45:00+02:00")))
            #expect(overlap.status == .conflict)
            let noSchedule =
                #"{"resourceType":"Appointment","status":"booked","start":"2026-06-03T15:00:00Z","end":"2026-06-03T16:00:00Z","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}"#
            let refused = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: json(noSchedule))
            #expect(refused.status == .unprocessableContent)
        }
    }

    @Test("bad bodies: 415 for other media types, 400 with the location of a syntax error; a proposal is recorded")
    func badBodies() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let text = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: [.contentType: "text/plain"], body: json("x"))
            #expect(text.status == .unsupportedMediaType)
            #expect(OperationOutcomeResource(try text.resource()) != nil)
            let broken = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(#"{"resourceType":"Appointment","status":"booked","start":"2026-13-01"}"#))
            #expect(broken.status == .badRequest)
            let issue = try #require(OperationOutcomeResource(try broken.resource())?.issues.first)
            #expect(issue.expression == ["Appointment.start"])
            #expect(issue.location.first?.hasPrefix("line 1, column") == true)
            let proposed = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(
                    #"{"resourceType":"Appointment","status":"proposed","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}"#
                ))
            // A proposal without a time is recorded (it takes nothing until it is booked).
            #expect(proposed.status == .created)
            let badCondition = try await client.execute(uri: "/fhir/Appointment?colour=blue", method: .delete)
            #expect(badCondition.status == .badRequest)
            let missing = try await client.execute(
                uri: "/fhir/Appointment/nope", method: .get, headers: [.accept: "application/fhir+xml"])
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("<OperationOutcome"))
        }
    }

    @Test(
        "search parameters: each with a positive and a negative case",
        arguments: [
            ("patient=Patient/p1", 1), ("patient=Patient/p2", 0), ("actor=Patient/p1", 1), ("actor=Practitioner/x", 0),
            ("status=booked", 1), ("status=cancelled", 0), ("date=2026-06-02", 1), ("date=2026-06-03", 0),
            ("date=ge2026-06-02T09:00:00%2B02:00", 1), ("date=lt2026-06-02T09:00:00%2B02:00", 0),
            ("identifier=urn:cup%7CN-7", 1), ("identifier=urn:cup%7CN-8", 0), ("service-type=visit", 1),
            ("service-type=other", 0),
        ])
    func search(query: String, expected: Int) async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            _ = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("12:00"), identifier: "N-7")))
            let r = try await client.execute(uri: "/fhir/Appointment?\(query)", method: .get)
            #expect(r.status == .ok)
            #expect(BundleResource(try r.resource())?.total == expected, "\(query)")
        }
    }

    @Test("unknown search parameters: a warning by default, 400 under Prefer: handling=strict")
    func unknownParameters() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let lenient = try await client.execute(uri: "/fhir/Appointment?foo=bar", method: .get)
            let bundle = try #require(BundleResource(try lenient.resource()))
            #expect(bundle.entries.last?.searchMode == "outcome")
            let strict = try await client.execute(
                uri: "/fhir/Appointment?foo=bar", method: .get, headers: [HTTPField.Name("Prefer")!: "handling=strict"])
            #expect(strict.status == .badRequest)
        }
    }

    @Test("a conditional delete removes every match, freeing their slots, and leaves the others")
    func conditionalDelete() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            var ids: [String] = []
            for (time, patient) in [("09:00", "p1"), ("09:30", "p1"), ("10:00", "p2")] {
                let r = try await client.execute(
                    uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                    body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot(time), patient: patient)))
                #expect(r.status == .created, "\(r.text)")
                ids.append(try #require(try r.resource().resourceID))
            }
            let deleted = try await client.execute(uri: "/fhir/Appointment?patient=Patient/p1", method: .delete)
            #expect(deleted.status == .noContent, "\(deleted.text)")
            for id in ids.prefix(2) {
                #expect(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).status == .gone)
            }
            #expect(try await client.execute(uri: "/fhir/Appointment/\(ids[2])", method: .get).status == .ok)
            let slot = try await client.execute(uri: "/fhir/Slot/\(GatewayFixture.slot("09:30"))", method: .get)
            #expect(try slot.resource().string("status") == "free")
        }
    }
}
