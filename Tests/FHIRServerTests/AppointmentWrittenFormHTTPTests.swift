import FHIRModel
import FHIRTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What the domain does not hold comes back as written; what it does hold follows the domain; delete and patch.
@Suite("Appointment written form, delete and patch over HTTP")
struct AppointmentWrittenFormHTTPTests {
    static let codec = FHIRCodec(registry: Conformance.registry)

    static func differences(_ a: Element, _ b: Element) -> String {
        let parser = JSONParser()
        guard let x = try? parser.parse(codec.write(withoutIDAndMeta(a), format: .json)).value,
            let y = try? parser.parse(codec.write(withoutIDAndMeta(b), format: .json)).value
        else { return "unreadable" }
        return JSONComparison.differences(x, y).joined(separator: "; ")
    }

    static func withoutIDAndMeta(_ e: Element) -> Element {
        var c = e
        c.children.removeAll { $0.name == "id" || $0.name == "meta" }
        return c.normalizingNarrative()
    }

    @Test(
        "the official Appointment examples with a start are created and read back equal in JSON and XML, apart from id and meta",
        arguments: ["Appointment-example.json", "Appointment-2docs.json"])
    func officialExamples(name: String) async throws {
        let f = try await GatewayFixture()
        let bytes = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent(name))
        let original = try Self.codec.read(bytes, format: .json)
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(bytes: bytes))
            #expect(created.status == .created, "\(created.text.prefix(400))")
            let id = try #require(try created.resource().resourceID)
            #expect(id != original.resourceID)
            let back = try created.resource()
            #expect(
                Self.withoutIDAndMeta(back) == Self.withoutIDAndMeta(original), "\(Self.differences(back, original))")
            for accept in ["application/fhir+json", "application/fhir+xml"] {
                let read = try await client.execute(
                    uri: "/fhir/Appointment/\(id)", method: .get, headers: [.accept: accept])
                #expect(read.status == .ok)
                let r = try read.resource()
                #expect(
                    Self.withoutIDAndMeta(r) == Self.withoutIDAndMeta(original),
                    "\(accept): \(Self.differences(r, original))")
            }
        }
    }

    @Test("update as create keeps the client's id: Appointment/example, then the official AppointmentResponse on it")
    func updateAsCreate() async throws {
        let f = try await GatewayFixture()
        let appointment = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent("Appointment-example.json"))
        let response = Conformance.bytes(
            Conformance.examplesJSON.appendingPathComponent("AppointmentResponse-example.json"))
        let original = try Self.codec.read(response, format: .json)
        try await f.app.test(.live) { client in
            let put = try await client.execute(
                uri: "/fhir/Appointment/example", method: .put, headers: jsonHeaders,
                body: ByteBuffer(bytes: appointment))
            #expect(put.status == .created, "\(put.text.prefix(300))")
            #expect(put.headers[.location]?.hasSuffix("/Appointment/example/_history/1") == true)
            let again = try await client.execute(
                uri: "/fhir/Appointment/example", method: .put, headers: jsonHeaders,
                body: ByteBuffer(bytes: appointment))
            #expect(again.status == .ok)
            let answer = try await client.execute(
                uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders, body: ByteBuffer(bytes: response)
            )
            #expect(answer.status == .created, "\(answer.text.prefix(300))")
            let back = try answer.resource()
            #expect(
                Self.withoutIDAndMeta(back) == Self.withoutIDAndMeta(original), "\(Self.differences(back, original))")
            let metadata = try await client.execute(uri: "/fhir/metadata", method: .get).resource()
            let rest = try #require(metadata.child("rest"))
            let appointments = try #require(
                rest.children(named: "resource").first { $0.string("type") == "Appointment" })
            #expect(appointments.string("updateCreate") == "true")
            #expect(appointments.children(named: "searchInclude").contains { $0.value == "Appointment:patient" })
            let patients = try #require(rest.children(named: "resource").first { $0.string("type") == "Patient" })
            #expect(patients.string("conditionalDelete") == "multiple")
        }
    }

    static let reasoned = #"""
        {"resourceType":"Appointment","status":"booked",
         "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Controllo</div>"},
         "serviceCategory":[{"coding":[{"system":"urn:cat","code":"gp","display":"General Practice"}]}],
         "reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"413095006"}],"text":"Clinical Review"}],
         "supportingInformation":[{"reference":"DocumentReference/ref-1"}],
         "slot":[{"reference":"Slot/SLOT"}],
         "comment":"bring the previous report",
         "participant":[{"type":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"SBJ"}]}],
           "actor":{"reference":"Patient/p1","display":"Mario Bianchi"},"status":"accepted"}]}
        """#

    @Test("fields the domain does not hold survive create, search, a status change and a vread")
    func writtenFieldsSurvive() async throws {
        let f = try await GatewayFixture()
        let body = Self.reasoned.replacingOccurrences(of: "SLOT", with: GatewayFixture.slot("09:00"))
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created, "\(created.text)")
            let r = try created.resource()
            let id = try #require(r.resourceID)
            #expect(r.descendant("reasonCode", "text")?.value == "Clinical Review")
            #expect(r.descendant("participant", "actor", "display")?.value == "Mario Bianchi")
            #expect(r.descendant("participant", "type", "coding", "code")?.value == "SBJ")
            #expect(r.descendant("text", "div")?.value?.contains("Controllo") == true)
            // The domain fills what the client left out.
            #expect(r.string("start") == "2026-06-02T07:00:00Z")

            for (query, count) in [
                ("reason-code=413095006", 1), ("reason-code=http://snomed.info/sct%7C413095006", 1),
                ("reason-code=http://snomed.info/sct%7C", 1), ("reason-code=other", 0),
                ("reason-code:text=clinical", 1), ("reason-code:text=surgery", 0), ("reason-code:not=413095006", 0),
                ("service-category=urn:cat%7Cgp", 1), ("service-category=urn:cat%7Cxx", 0),
                ("service-category:text=general", 1), ("supporting-info=DocumentReference/ref-1", 1),
                ("supporting-info=DocumentReference/ref-2", 0), ("supporting-info=ref-1", 1),
                ("reason-code:missing=false", 1), ("reason-code:missing=true", 0), ("supporting-info:missing=true", 0),
                ("service-type:missing=true", 0), ("appointment-type:missing=true", 1),
                ("supporting-info=http://localhost/fhir/DocumentReference/ref-1", 1),
                ("reason-code=413095006&status=cancelled", 0),
            ] {
                let s = try await client.execute(uri: "/fhir/Appointment?\(query)", method: .get)
                #expect(s.status == .ok, "\(query)")
                #expect(BundleResource(try s.resource())?.total == count, "\(query)")
            }
            let found = try #require(
                BundleResource(
                    try await client.execute(uri: "/fhir/Appointment?reason-code=413095006", method: .get)
                        .resource()))
            #expect(found.entries.first?.resource?.descendant("reasonCode", "text")?.value == "Clinical Review")

            // Cancel through an update that carries only the domain fields: the reason is gone (the client
            // left it out), the status follows the domain.
            let cancel = #"""
                {"resourceType":"Appointment","id":"ID","status":"cancelled","cancelationReason":{"text":"ill"},
                 "slot":[{"reference":"Slot/SLOT"}],"participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}
                """#.replacingOccurrences(of: "ID", with: id).replacingOccurrences(
                    of: "SLOT", with: GatewayFixture.slot("09:00"))
            let updated = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .put, headers: jsonHeaders, body: ByteBuffer(string: cancel))
            #expect(updated.status == .ok, "\(updated.text)")
            let u = try updated.resource()
            #expect(u.string("status") == "cancelled")
            #expect(u.child("reasonCode") == nil)
            #expect(u.descendant("meta", "versionId")?.value == "2")
            let none = try await client.execute(uri: "/fhir/Appointment?reason-code=413095006", method: .get)
            #expect(BundleResource(try none.resource())?.total == 0)

            // Version 1 still reads as it was written.
            let v1 = try await client.execute(uri: "/fhir/Appointment/\(id)/_history/1", method: .get)
            #expect(v1.status == .ok)
            #expect(try v1.resource().descendant("reasonCode", "text")?.value == "Clinical Review")
            #expect(try v1.resource().string("status") == "booked")
        }
    }

    @Test("a change by the domain wins over what was written: an AppointmentResponse accepting a proposal")
    func domainChangeWins() async throws {
        let f = try await GatewayFixture()
        let body = Self.reasoned.replacingOccurrences(of: "SLOT", with: GatewayFixture.slot("10:00"))
            .replacingOccurrences(of: #""status":"booked""#, with: #""status":"pending""#)
            .replacingOccurrences(of: #""status":"accepted""#, with: #""status":"needs-action""#)
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.resource().resourceID)
            let answer = #"""
                {"resourceType":"AppointmentResponse","appointment":{"reference":"Appointment/ID"},
                 "actor":{"reference":"Patient/p1"},"participantStatus":"accepted"}
                """#.replacingOccurrences(of: "ID", with: id)
            let r = try await client.execute(
                uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders, body: ByteBuffer(string: answer))
            #expect(r.status == .created, "\(r.text)")
            let read = try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).resource()
            #expect(read.string("status") == "booked")
            #expect(read.descendant("participant", "status")?.value == "accepted")
            // What the domain did not touch is still as written.
            #expect(read.descendant("reasonCode", "text")?.value == "Clinical Review")
        }
    }

    @Test(
        "an update's time, slots, status and answers are the domain's: a moved interval takes its capacity, a new participant is refused"
    )
    func updateSemantics() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let writer = FHIRJSONWriter(registry: Conformance.registry)
            // Nurse Verdi books without slots: moving start/end moves the booking.
            let body =
                #"{"resourceType":"Appointment","status":"booked","start":"2026-06-03T09:00:00Z","end":"2026-06-03T09:30:00Z","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"},{"actor":{"reference":"Practitioner/verdi"},"status":"accepted"}]}"#
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created, "\(created.text)")
            var a = try created.resource()
            let id = try #require(a.resourceID)
            a.setPrimitive("start", type: "instant", "2026-06-03T10:00:00Z")
            a.setPrimitive("end", type: "instant", "2026-06-03T10:30:00Z")
            let moved = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: writer.string(a)))
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try moved.resource().string("start") == "2026-06-03T10:00:00Z")
            // The old time is free again, the new one taken.
            let old = body.replacingOccurrences(of: "Patient/p1", with: "Patient/p2")
            #expect(
                try await client.execute(
                    uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: old)
                ).status == .created)
            let clash = old.replacingOccurrences(of: "09:00:00Z", with: "10:00:00Z").replacingOccurrences(
                of: "09:30:00Z", with: "10:30:00Z")
            #expect(
                try await client.execute(
                    uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: clash)
                ).status == .conflict)

            // A slot booking moved to another slot: start and end follow the slot, whatever the body says.
            let slotBooked = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:00"))))
            var b = try slotBooked.resource()
            let bid = try #require(b.resourceID)
            b.setChildren(
                "slot",
                [
                    Element(
                        name: "slot", type: "Reference",
                        children: [
                            Element(name: "reference", type: "string", value: "Slot/\(GatewayFixture.slot("10:00"))")
                        ])
                ])
            let rescheduled = try await client.execute(
                uri: "/fhir/Appointment/\(bid)", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: writer.string(b)))
            #expect(rescheduled.status == .ok, "\(rescheduled.text)")
            #expect(try rescheduled.resource().string("start") == "2026-06-02T08:00:00Z")
            let reread = try await client.execute(uri: "/fhir/Appointment/\(bid)", method: .get).resource()
            #expect(reread.string("start") == "2026-06-02T08:00:00Z")

            // A participant the booking does not have is refused; a cancellation with a decline records both.
            var c = reread
            var extra = try #require(c.children(named: "participant").first)
            extra.setChildren(
                "actor",
                [
                    Element(
                        name: "actor", type: "Reference",
                        children: [Element(name: "reference", type: "string", value: "Practitioner/someone")])
                ])
            c.children.append(extra)
            let added = try await client.execute(
                uri: "/fhir/Appointment/\(bid)", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: writer.string(c)))
            #expect(added.status == .unprocessableContent)
            var d = reread
            d.setPrimitive("status", type: "code", "cancelled")
            if let i = d.children.firstIndex(where: { $0.name == "participant" }) {
                d.children[i].setPrimitive("status", type: "code", "declined")
            }
            let cancelled = try await client.execute(
                uri: "/fhir/Appointment/\(bid)", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: writer.string(d)))
            #expect(cancelled.status == .ok, "\(cancelled.text)")
            let after = try cancelled.resource()
            #expect(after.string("status") == "cancelled")
            #expect(after.descendant("participant", "status")?.value == "declined")
        }
    }

    @Test("delete frees the slot, reads answer 410, the history keeps the versions, If-Match guards it")
    func delete() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("11:00")
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: GatewayFixture.appointmentJSON(slot: slot, identifier: "DEL-1")))
            #expect(created.status == .created)
            let id = try #require(try created.resource().resourceID)
            let wrong = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .delete, headers: [.ifMatch: "W/\"9\""])
            #expect(wrong.status == .preconditionFailed)
            let unchanged = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .get, headers: [.ifNoneMatch: "W/\"1\""])
            #expect(unchanged.status == .notModified)
            let notModified = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .get,
                headers: [.ifModifiedSince: "Wed, 01 Jul 2026 00:00:00 GMT"])
            #expect(notModified.status == .notModified)
            let modified = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .get,
                headers: [.ifModifiedSince: "Sun, 31 May 2026 00:00:00 GMT"])
            #expect(modified.status == .ok)
            let slotBefore = try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get).resource()
            #expect(slotBefore.string("status") == "busy")

            let deleted = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .delete, headers: [.ifMatch: "W/\"1\""])
            #expect(deleted.status == .noContent)
            #expect(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).status == .gone)
            #expect(
                try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get).resource().string("status") == "free")
            let search = try await client.execute(uri: "/fhir/Appointment?identifier=urn:cup%7CDEL-1", method: .get)
            #expect(BundleResource(try search.resource())?.total == 0)
            let history = try #require(
                BundleResource(
                    try await client.execute(uri: "/fhir/Appointment/\(id)/_history", method: .get).resource()))
            #expect(history.entries.count == 2)
            #expect(history.entries.first?.request?.method == "DELETE")
            #expect(try await client.execute(uri: "/fhir/Appointment/\(id)/_history/1", method: .get).status == .ok)
            // Deleting again, or what never existed, is not an error.
            #expect(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .delete).status == .noContent)
            #expect(try await client.execute(uri: "/fhir/Appointment/nope", method: .delete).status == .noContent)
            // The identifier is free again: a new booking with it is a new appointment.
            let again = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: GatewayFixture.appointmentJSON(slot: slot, identifier: "DEL-1")))
            #expect(again.status == .created)
            #expect(try again.resource().resourceID != id)
        }
    }

    @Test("JSON Patch changes the comment and keeps the rest; a patch that breaks the resource changes nothing")
    func patch() async throws {
        let f = try await GatewayFixture()
        let body = Self.reasoned.replacingOccurrences(of: "SLOT", with: GatewayFixture.slot("12:00"))
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            let id = try #require(try created.resource().resourceID)
            let patchHeaders: HTTPFields = [.contentType: "application/json-patch+json", .ifMatch: "W/\"1\""]
            let patched = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .patch, headers: patchHeaders,
                body: ByteBuffer(string: #"[{"op":"replace","path":"/comment","value":"fasting"}]"#))
            #expect(patched.status == .ok, "\(patched.text)")
            let p = try patched.resource()
            #expect(p.string("comment") == "fasting")
            #expect(p.descendant("reasonCode", "text")?.value == "Clinical Review")
            #expect(p.descendant("meta", "versionId")?.value == "2")
            let stale = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .patch, headers: patchHeaders,
                body: ByteBuffer(string: #"[{"op":"replace","path":"/comment","value":"x"}]"#))
            #expect(stale.status == .preconditionFailed)
            let broken = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .patch,
                headers: [.contentType: "application/json-patch+json"],
                body: ByteBuffer(string: #"[{"op":"remove","path":"/participant"}]"#))
            #expect(broken.status.code >= 400 && broken.status.code < 500)
            let read = try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).resource()
            #expect(read.string("comment") == "fasting")
            #expect(read.descendant("meta", "versionId")?.value == "2")
        }
    }

    @Test("an appointment of resources this gateway does not schedule is recorded; one of a scheduled resource is not")
    func unscheduled() async throws {
        let f = try await GatewayFixture()
        @Sendable func body(_ practitioner: String) -> String {
            #"{"resourceType":"Appointment","status":"booked","start":"2026-06-03T09:00:00Z","end":"2026-06-03T09:30:00Z","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"},{"actor":{"reference":"Practitioner/\#(practitioner)"},"status":"accepted"}]}"#
        }
        try await f.app.test(.live) { client in
            let outside = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: body("elsewhere")))
            #expect(outside.status == .created, "\(outside.text)")
            // Dr Rossi's schedule is slot-based: a booking around the slots is refused.
            let rossi = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body("rossi")))
            #expect(rossi.status == .unprocessableContent)
        }
    }

    @Test("conditional create, update and delete of appointments follow the 412 rules")
    func conditional() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let body = GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:00"))
            var headers = jsonHeaders
            headers[.init("If-None-Exist")!] = "patient=Patient/p1&date=2026-06-02"
            let first = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(first.status == .created)
            let id = try #require(try first.resource().resourceID)
            let second = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(second.status == .ok)
            #expect(try second.resource().resourceID == id)
            let all = try await client.execute(uri: "/fhir/Appointment", method: .get)
            #expect(BundleResource(try all.resource())?.total == 1)

            let other = GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("10:00"))
            #expect(
                try await client.execute(
                    uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: other)
                ).status == .created)
            let ambiguous = try await client.execute(
                uri: "/fhir/Appointment", method: .post,
                headers: [.contentType: "application/fhir+json", .init("If-None-Exist")!: "patient=Patient/p1"],
                body: ByteBuffer(string: other))
            #expect(ambiguous.status == .preconditionFailed)

            var cancelled = try first.resource()
            cancelled.children.removeAll { $0.name == "id" || $0.name == "meta" }
            cancelled.setPrimitive("status", type: "code", "cancelled")
            let update = try await client.execute(
                uri: "/fhir/Appointment?_id=\(id)", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: FHIRJSONWriter(registry: Conformance.registry).string(cancelled)))
            #expect(update.status == .ok, "\(update.text)")
            #expect(try update.resource().string("status") == "cancelled")
            let many = try await client.execute(
                uri: "/fhir/Appointment?patient=Patient/p1", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: FHIRJSONWriter(registry: Conformance.registry).string(cancelled)))
            #expect(many.status == .preconditionFailed)

            let deleted = try await client.execute(uri: "/fhir/Appointment?patient=Patient/p1", method: .delete)
            #expect(deleted.status == .noContent)
            let none = try await client.execute(uri: "/fhir/Appointment", method: .get)
            #expect(BundleResource(try none.resource())?.total == 0)
            #expect(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).status == .gone)
        }
    }

    @Test("the official proposal (no time, another system's slot) and the response that answers it round-trip")
    func officialProposal() async throws {
        let f = try await GatewayFixture()
        let request = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent("Appointment-examplereq.json"))
        let response = Conformance.bytes(
            Conformance.examplesJSON.appendingPathComponent("AppointmentResponse-exampleresp.json"))
        try await f.app.test(.live) { client in
            let put = try await client.execute(
                uri: "/fhir/Appointment/examplereq", method: .put, headers: jsonHeaders,
                body: ByteBuffer(bytes: request))
            #expect(put.status == .created, "\(put.text.prefix(400))")
            let original = try Self.codec.read(request, format: .json)
            for accept in ["application/fhir+json", "application/fhir+xml"] {
                let r = try await client.execute(
                    uri: "/fhir/Appointment/examplereq", method: .get, headers: [.accept: accept])
                let back = try r.resource()
                #expect(
                    Self.withoutIDAndMeta(back) == Self.withoutIDAndMeta(original),
                    "\(accept): \(Self.differences(back, original))")
            }
            // The practitioner answering for the attending role (a participant named only by type).
            let answer = try await client.execute(
                uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders, body: ByteBuffer(bytes: response)
            )
            #expect(answer.status == .created, "\(answer.text.prefix(400))")
            let back = try answer.resource()
            let expected = try Self.codec.read(response, format: .json)
            #expect(
                Self.withoutIDAndMeta(back) == Self.withoutIDAndMeta(expected), "\(Self.differences(back, expected))")
            // Someone filling no role is still refused.
            let stranger = String(decoding: response, as: UTF8.self).replacingOccurrences(of: "ATND", with: "XYZ")
            let refused = try await client.execute(
                uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: stranger))
            #expect(refused.status == .unprocessableContent)
            // Without a time it cannot be booked by a status change.
            var booked = try await client.execute(uri: "/fhir/Appointment/examplereq", method: .get).resource()
            booked.setPrimitive("status", type: "code", "booked")
            let noTime = try await client.execute(
                uri: "/fhir/Appointment/examplereq", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: FHIRJSONWriter(registry: Conformance.registry).string(booked)))
            #expect(noTime.status == .unprocessableContent, "\(noTime.text.prefix(300))")
        }
    }

    @Test("a proposal for one of our slots takes nothing until it is booked; booking it takes the place")
    func proposalWithSlot() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("09:30")
        try await f.app.test(.live) { client in
            let body = GatewayFixture.appointmentJSON(slot: slot).replacingOccurrences(
                of: #""status":"booked""#, with: #""status":"proposed""#)
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created, "\(created.text)")
            var proposal = try created.resource()
            #expect(proposal.string("start") == "2026-06-02T07:30:00Z")
            #expect(
                try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get).resource().string("status") == "free")
            proposal.setPrimitive("status", type: "code", "booked")
            let id = try #require(proposal.resourceID)
            let booked = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: FHIRJSONWriter(registry: Conformance.registry).string(proposal)))
            #expect(booked.status == .ok, "\(booked.text)")
            #expect(
                try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get).resource().string("status") == "busy")
        }
    }
}
