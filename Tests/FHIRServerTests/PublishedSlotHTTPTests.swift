import FHIRMapping
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Slots a client publishes: created, booked, versioned and deleted through FHIR.
@Suite("Published slots over HTTP")
struct PublishedSlotHTTPTests {
    @Test("the official Slot examples are created on Schedule/example and read back equal in JSON and XML")
    func officialExamples() async throws {
        let f = try await GatewayFixture()
        let schedule = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent("Schedule-example.json"))
        try await f.app.test(.live) { client in
            let s = try await client.execute(
                uri: "/fhir/Schedule/example", method: .put, headers: jsonHeaders, body: ByteBuffer(bytes: schedule))
            #expect(s.status == .created, "\(s.text.prefix(300))")
            for name in ["Slot-example.json", "Slot-1.json", "Slot-3.json"] {
                let bytes = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent(name))
                let original = try AppointmentWrittenFormHTTPTests.codec.read(bytes, format: .json)
                let created = try await client.execute(
                    uri: "/fhir/Slot", method: .post, headers: jsonHeaders, body: ByteBuffer(bytes: bytes))
                #expect(created.status == .created, "\(name): \(created.text.prefix(400))")
                let id = try #require(try created.resource().resourceID)
                for accept in ["application/fhir+json", "application/fhir+xml"] {
                    let r = try await client.execute(uri: "/fhir/Slot/\(id)", method: .get, headers: [.accept: accept])
                    let back = try r.resource()
                    #expect(
                        AppointmentWrittenFormHTTPTests.withoutIDAndMeta(back)
                            == AppointmentWrittenFormHTTPTests.withoutIDAndMeta(original),
                        "\(name) \(accept): \(AppointmentWrittenFormHTTPTests.differences(back, original))")
                }
            }
            // The schedule's own rules do not list the published slots.
            let read = try await client.execute(uri: "/fhir/Schedule/example", method: .get).resource()
            #expect(read.extensions(url: ProjectExtension.availabilityRule).isEmpty)
        }
    }

    static func slotJSON(
        _ start: String, _ end: String, capacity: Int = 2, id: String? = nil, comment: String = "extra"
    )
        -> String
    {
        let idPart = id.map { #""id":"\#($0)","# } ?? ""
        return #"""
            {"resourceType":"Slot",\#(idPart)
             "extension":[{"url":"https://booking-gateway.dev/fhir/StructureDefinition/slot-capacity","valueUnsignedInt":\#(capacity)}],
             "identifier":[{"system":"urn:cup-slots","value":"S-1"}],
             "serviceCategory":[{"coding":[{"system":"urn:cat","code":"vacc","display":"Vaccinations"}]}],
             "schedule":{"reference":"Schedule/dr-rossi"},"status":"free",
             "start":"\#(start)","end":"\#(end)","comment":"\#(comment)"}
            """#
    }

    @Test("a published slot is booked to its capacity, versioned, searched and deleted only when empty")
    func lifecycle() async throws {
        let f = try await GatewayFixture()
        let id = GatewayFixture.slot("14:00")
        try await f.app.test(.live) { client in
            let body = Self.slotJSON("2026-06-02T14:00:00+02:00", "2026-06-02T14:20:00+02:00")
            let created = try await client.execute(
                uri: "/fhir/Slot", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created, "\(created.text)")
            #expect(try created.resource().resourceID == id)
            #expect(created.headers[.location]?.hasSuffix("/Slot/\(id)/_history/1") == true)
            let again = try await client.execute(
                uri: "/fhir/Slot", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(again.status == .conflict)
            // Rewriting the schedule's own availability leaves the published slot alone.
            let schedule = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
            let rewritten = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: FHIRJSONWriter(registry: Conformance.registry).string(schedule)))
            #expect(rewritten.status == .ok, "\(rewritten.text)")
            #expect(try await client.execute(uri: "/fhir/Slot/\(id)", method: .get).status == .ok)
            // Its zone cannot change under the published slot (the slot's local time would move).
            let londonJSON = FHIRJSONWriter(registry: Conformance.registry).string(schedule).replacingOccurrences(
                of: "Europe/Rome", with: "Europe/London")
            let london = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders, body: ByteBuffer(string: londonJSON)
            )
            #expect(london.status == .unprocessableContent, "\(london.text)")

            // Booked like any slot: two places, the third is refused.
            var appointmentIDs: [String] = []
            for patient in ["p1", "p2"] {
                let a = try await client.execute(
                    uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                    body: ByteBuffer(string: GatewayFixture.appointmentJSON(slot: id, patient: patient)))
                #expect(a.status == .created, "\(a.text)")
                appointmentIDs.append(try #require(try a.resource().resourceID))
            }
            let full = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: GatewayFixture.appointmentJSON(slot: id, patient: "p3")))
            #expect(full.status == .conflict)
            let slot = try await client.execute(uri: "/fhir/Slot/\(id)", method: .get).resource()
            #expect(slot.string("status") == "busy")
            #expect(slot.string("comment") == "extra")
            #expect(slot.extensions(url: ProjectExtension.slotBooked).first?.child("value")?.value == "2")

            for (query, count) in [
                ("identifier=urn:cup-slots%7CS-1", 1), ("identifier=S-2", 0), ("service-category=vacc", 1),
                ("service-category:text=vaccin", 1), ("service-category=urn:cat%7Cother", 0),
            ] {
                let r = try await client.execute(
                    uri: "/fhir/Slot?schedule=dr-rossi&start=ge2026-06-02&start=lt2026-06-03&\(query)", method: .get)
                #expect(BundleResource(try r.resource())?.total == count, "\(query)")
            }

            let update = Self.slotJSON(
                "2026-06-02T14:00:00+02:00", "2026-06-02T14:20:00+02:00", capacity: 3, id: id, comment: "three places")
            let updated = try await client.execute(
                uri: "/fhir/Slot/\(id)", method: .put,
                headers: [.contentType: "application/fhir+json", .ifMatch: "W/\"1\""], body: ByteBuffer(string: update))
            #expect(updated.status == .ok, "\(updated.text)")
            let u = try updated.resource()
            #expect(u.string("status") == "free")
            #expect(u.descendant("meta", "versionId")?.value == "2")
            let v1 = try await client.execute(uri: "/fhir/Slot/\(id)/_history/1", method: .get).resource()
            #expect(v1.string("comment") == "extra")
            let moved = Self.slotJSON("2026-06-02T15:00:00+02:00", "2026-06-02T15:20:00+02:00", id: id)
            let refusedMove = try await client.execute(
                uri: "/fhir/Slot/\(id)", method: .put, headers: jsonHeaders, body: ByteBuffer(string: moved))
            #expect(refusedMove.status == .unprocessableContent)

            let busy = try await client.execute(uri: "/fhir/Slot/\(id)", method: .delete)
            #expect(busy.status == .conflict)
            for a in appointmentIDs {
                #expect(try await client.execute(uri: "/fhir/Appointment/\(a)", method: .delete).status == .noContent)
            }
            #expect(try await client.execute(uri: "/fhir/Slot/\(id)", method: .delete).status == .noContent)
            #expect(try await client.execute(uri: "/fhir/Slot/\(id)", method: .get).status == .gone)
            let history = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Slot/\(id)/_history", method: .get).resource()))
            #expect(history.entries.map { $0.request?.method } == ["DELETE", "PUT", "POST"])
        }
    }

    @Test("slots of the schedule's rules are not published or deleted here; a slot on an unknown schedule is refused")
    func refused() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let ruleSlot = Self.slotJSON("2026-06-02T09:00:00+02:00", "2026-06-02T09:30:00+02:00")
            let clash = try await client.execute(
                uri: "/fhir/Slot", method: .post, headers: jsonHeaders, body: ByteBuffer(string: ruleSlot))
            #expect(clash.status == .conflict)
            // 02:30 local twice on the autumn change (Europe/Rome): not one opening of local times.
            let acrossDST = Self.slotJSON("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z")
            let dst = try await client.execute(
                uri: "/fhir/Slot", method: .post, headers: jsonHeaders, body: ByteBuffer(string: acrossDST))
            #expect(dst.status == .unprocessableContent, "\(dst.text)")
            let delete = try await client.execute(uri: "/fhir/Slot/\(GatewayFixture.slot("09:00"))", method: .delete)
            #expect(delete.status == .methodNotAllowed)
            let unknown = Self.slotJSON("2026-06-02T14:00:00+02:00", "2026-06-02T14:20:00+02:00")
                .replacingOccurrences(of: "Schedule/dr-rossi", with: "Schedule/nowhere")
            let r = try await client.execute(
                uri: "/fhir/Slot", method: .post, headers: jsonHeaders, body: ByteBuffer(string: unknown))
            #expect(r.status == .unprocessableContent)
            #expect(OperationOutcomeResource(try r.resource())?.issues.first?.expression == ["Slot.schedule"])
            let appointmentsMode = Self.slotJSON("2026-06-02T14:00:00+02:00", "2026-06-02T14:20:00+02:00")
                .replacingOccurrences(of: "Schedule/dr-rossi", with: "Schedule/verdi")
            let m = try await client.execute(
                uri: "/fhir/Slot", method: .post, headers: jsonHeaders, body: ByteBuffer(string: appointmentsMode))
            #expect(m.status == .unprocessableContent)
        }
    }
}
