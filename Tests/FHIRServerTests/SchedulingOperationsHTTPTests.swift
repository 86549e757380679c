import Booking
import BookingTestSupport
import FHIRMapping
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// $find, $hold and $book over HTTP, with the races that matter.
@Suite("Scheduling operations over HTTP")
struct SchedulingOperationsHTTPTests {
    static func proposalBody(_ slot: String, patient: String, identifier: String? = nil) -> String {
        let id = identifier.map { #","identifier":[{"system":"urn:cup","value":"\#($0)"}]"# } ?? ""
        return
            #"{"resourceType":"Parameters","parameter":[{"name":"appointment","resource":{"resourceType":"Appointment","status":"proposed"\#(id),"slot":[{"reference":"Slot/\#(slot)"}],"participant":[{"actor":{"reference":"Patient/\#(patient)"},"status":"accepted"}]}}]}"#
    }

    @Test("$find proposes free slots as proposed Appointments ordered by start, in JSON and XML")
    func find() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let uri =
                "/fhir/Appointment/$find?start=2026-06-02T00:00:00%2B02:00&end=2026-06-03T00:00:00%2B02:00&practitioner=Practitioner/rossi&patient=Patient/p1"
            let r = try await client.execute(uri: uri, method: .get)
            let bundle = try #require(BundleResource(try r.resource()))
            #expect(bundle.total == 8)
            let first = try #require(bundle.entries.first?.resource.flatMap(AppointmentResource.init))
            #expect(first.status == .proposed)
            #expect(first.slots.first?.reference == "Slot/\(GatewayFixture.slot("09:00"))")
            #expect(first.participants.map { $0.actor?.reference } == ["Patient/p1", "Practitioner/rossi"])
            let starts = bundle.entries.compactMap { $0.resource?.string("start") }
            #expect(starts == starts.sorted())
            let xml = try await client.execute(uri: uri + "&_format=xml", method: .get)
            #expect(BundleResource(try xml.resource())?.total == 8)
            let none = try await client.execute(
                uri: "/fhir/Appointment/$find?practitioner=Practitioner/nobody", method: .get)
            #expect(none.status == .unprocessableContent)
        }
    }

    @Test("two clients hold the last place at once: one wins, the other gets 409 with alternatives; the winner books")
    func holdRace() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("10:00")
        try await f.app.test(.live) { client in
            async let a = client.execute(
                uri: "/fhir/Appointment/$hold", method: .post, headers: jsonHeaders,
                body: json(Self.proposalBody(slot, patient: "a")))
            async let b = client.execute(
                uri: "/fhir/Appointment/$hold", method: .post, headers: jsonHeaders,
                body: json(Self.proposalBody(slot, patient: "b")))
            let results = try await [a, b]
            #expect(results.filter { $0.status == .ok }.count == 1)
            let loser = try #require(results.first { $0.status == .conflict })
            let outcome = try #require(OperationOutcomeResource(try loser.resource()))
            #expect(outcome.issues.contains { $0.diagnostics?.hasPrefix("next free slots: Slot/") == true })
            let winner = try #require(AppointmentResource(try results.first { $0.status == .ok }!.resource()))
            #expect(winner.status == .pending)
            #expect(!winner.element.extensions(url: ProjectExtension.holdExpiry).isEmpty)
            let body =
                #"{"resourceType":"Parameters","parameter":[{"name":"appointment","resource":\#(FHIRJSONWriter(registry: Conformance.registry).string(winner.element))}]}"#
            let booked = try await client.execute(
                uri: "/fhir/Appointment/$book", method: .post, headers: jsonHeaders, body: json(body))
            #expect(booked.status == .created)
            #expect(AppointmentResource(try booked.resource())?.status == .booked)
        }
    }

    @Test("booking after the hold expired is a 409; booking twice with the same identifier gives one appointment")
    func expiryAndIdempotency() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let held = try await client.execute(
                uri: "/fhir/Appointment/$hold", method: .post, headers: jsonHeaders,
                body: json(Self.proposalBody(GatewayFixture.slot("11:00"), patient: "a")))
            let pending = try #require(AppointmentResource(try held.resource()))
            f.clock.advance(minutes: 6)
            let body = FHIRJSONWriter(registry: Conformance.registry).string(pending.element)
            let late = try await client.execute(
                uri: "/fhir/Appointment/$book", method: .post, headers: jsonHeaders, body: json(body))
            #expect(late.status == .conflict)
            let direct = Self.proposalBody(GatewayFixture.slot("11:30"), patient: "b", identifier: "CUP-9")
            let first = try await client.execute(
                uri: "/fhir/Appointment/$book", method: .post, headers: jsonHeaders, body: json(direct))
            let second = try await client.execute(
                uri: "/fhir/Appointment/$book", method: .post, headers: jsonHeaders, body: json(direct))
            #expect(first.status == .created && second.status == .ok)
            #expect(try first.resource().resourceID == second.resource().resourceID)
            let found = try await client.execute(uri: "/fhir/Appointment?identifier=urn:cup%7CCUP-9", method: .get)
            #expect(BundleResource(try found.resource())?.total == 1)
        }
    }

    @Test("the CapabilityStatement lists the operations")
    func capability() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let cs = try await client.execute(uri: "/fhir/metadata", method: .get).resource()
            let ops = cs.child("rest")?.children(named: "resource").first { $0.string("type") == "Appointment" }?
                .children(named: "operation").compactMap { $0.string("name") }
            #expect(Set(ops ?? []) == ["find", "hold", "book", "validate"])
        }
    }

    @Test("every operation the CapabilityStatement names has its OperationDefinition at the canonical's id")
    func operationDefinitions() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let cs = try await client.execute(uri: "/fhir/metadata", method: .get).resource()
            let operations = (cs.child("rest")?.children(named: "resource") ?? []).flatMap {
                $0.children(named: "operation")
            }
            #expect(operations.count >= 3)
            for op in operations {
                let canonical = try #require(op.string("definition"))
                let id = String(canonical.split(separator: "/").last!)
                let r = try await client.execute(uri: "/fhir/OperationDefinition/\(id)", method: .get)
                #expect(r.status == .ok, "\(canonical)")
                let definition = try r.resource()
                #expect(definition.type == "OperationDefinition")
                #expect(definition.string("url") == canonical)
                #expect(definition.string("code") == op.string("name"))
                #expect(definition.children(named: "parameter").contains { $0.string("use") == "out" })
                let xml = try await client.execute(uri: "/fhir/OperationDefinition/\(id)?_format=xml", method: .get)
                #expect(xml.text.contains("<OperationDefinition xmlns=\"http://hl7.org/fhir\">"))
            }
            let find = try await client.execute(uri: "/fhir/OperationDefinition/Appointment-find", method: .get)
                .resource()
            #expect(find.string("affectsState") == "false")
            let names = Set(find.children(named: "parameter").compactMap { $0.string("name") })
            #expect(names.isSuperset(of: ["start", "end", "practitioner", "service-type", "priority", "return"]))
            let search = try await client.execute(uri: "/fhir/OperationDefinition?code=book", method: .get)
            #expect(BundleResource(try search.resource())?.total == 1)
            let none = try await client.execute(uri: "/fhir/OperationDefinition/Appointment-cure", method: .get)
            #expect(none.status == .notFound)
        }
    }

    @Test("several resources at once: $find proposes only times where all are free, $book takes all or nothing")
    func multiResource() async throws {
        let f = try await GatewayFixture()
        try await f.service.saveResource(
            BookableResource(id: "echo", kind: .location, name: "Ultrasound room", timeZone: "Europe/Rome"))
        try await f.service.saveSchedule(Schedule(id: "echo", resourceIDs: ["echo"], timeZone: "Europe/Rome"))
        try await f.service.saveRule(
            AvailabilityRule(
                id: "echo", scheduleID: "echo", recurrence: .weekly(weekdays: [.tuesday], interval: 1),
                openings: [OpeningHours(LocalTime(10), LocalTime(12))], validFrom: LocalDate(2026, 1, 1),
                slotLength: .fixed(minutes: 30)))
        let echo: @Sendable (String) -> String = { hhmm in
            SlotID(scheduleID: "echo", start: instant("2026-06-02T\(hhmm):00+02:00")).description
        }
        try await f.app.test(.live) { client in
            // Dr Rossi's 10:30 is taken by someone else.
            let other = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("10:30"), patient: "other")))
            #expect(other.status == .created)
            let uri =
                "/fhir/Appointment/$find?start=2026-06-02T00:00:00%2B02:00&end=2026-06-03T00:00:00%2B02:00&practitioner=Practitioner/rossi&actor=Location/echo"
            let bundle = try #require(BundleResource(try await client.execute(uri: uri, method: .get).resource()))
            let proposals = bundle.entries.compactMap { $0.resource.flatMap(AppointmentResource.init) }
            #expect(
                proposals.map { $0.start?.description } == [
                    "2026-06-02T08:00:00Z", "2026-06-02T09:00:00Z", "2026-06-02T09:30:00Z",
                ])
            #expect(proposals.allSatisfy { $0.slots.count == 2 })
            #expect(
                Set(proposals[0].slots.compactMap(\.reference)) == [
                    "Slot/\(GatewayFixture.slot("10:00"))", "Slot/\(echo("10:00"))",
                ])
            // Booking a combination where one resource is taken changes nothing.
            let clash =
                #"{"resourceType":"Appointment","status":"proposed","slot":[{"reference":"Slot/\#(GatewayFixture.slot("10:30"))"},{"reference":"Slot/\#(echo("10:30"))"}],"participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}"#
            let refused = try await client.execute(
                uri: "/fhir/Appointment/$book", method: .post, headers: jsonHeaders, body: json(clash))
            #expect(refused.status == .conflict)
            let room = try await client.execute(uri: "/fhir/Slot/\(echo("10:30"))", method: .get)
            #expect(SlotResource(try room.resource())?.status == .free)
            // Booking a proposal takes both.
            let body = FHIRJSONWriter(registry: Conformance.registry).string(proposals[0].element)
            let booked = try await client.execute(
                uri: "/fhir/Appointment/$book", method: .post, headers: jsonHeaders, body: json(body))
            #expect(booked.status == .created)
            for slot in [GatewayFixture.slot("10:00"), echo("10:00")] {
                let r = try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get)
                #expect(SlotResource(try r.resource())?.status == .busy, "\(slot)")
            }
        }
    }

    @Test("$hold and $book in XML; a reschedule to a taken slot is a 409 and changes nothing")
    func xmlAndReschedule() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let proposal = """
                <Parameters xmlns="http://hl7.org/fhir"><parameter><name value="appointment"/><resource>\
                <Appointment><identifier><system value="urn:cup"/><value value="X-1"/></identifier>\
                <status value="proposed"/><start value="2026-06-02T07:00:00Z"/><end value="2026-06-02T07:30:00Z"/>\
                <slot><reference value="Slot/\(GatewayFixture.slot("09:00"))"/></slot>\
                <participant><actor><reference value="Patient/p1"/></actor><status value="accepted"/></participant>\
                </Appointment></resource></parameter></Parameters>
                """
            let held = try await client.execute(
                uri: "/fhir/Appointment/$hold", method: .post, headers: xmlHeaders, body: ByteBuffer(string: proposal))
            #expect(held.status == .ok)
            #expect(held.text.contains("<status value=\"pending\"/>"))
            let pending = try held.resource()
            let xmlBody = String(
                decoding: FHIRCodec(registry: Conformance.registry).write(pending, format: .xml), as: UTF8.self)
            let booked = try await client.execute(
                uri: "/fhir/Appointment/$book", method: .post, headers: xmlHeaders, body: ByteBuffer(string: xmlBody))
            #expect(booked.status == .created)
            #expect(booked.text.contains("<status value=\"booked\"/>"))
            var mine = try booked.resource()
            // Someone else holds 09:30.
            let other = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:30"), patient: "p2")))
            #expect(other.status == .created)
            mine.setChildren(
                "slot",
                [
                    Element(
                        name: "slot", type: "Reference",
                        children: [
                            Element(name: "reference", type: "string", value: "Slot/\(GatewayFixture.slot("09:30"))")
                        ])
                ])
            mine.setPrimitive("start", type: "instant", nil)
            mine.setPrimitive("end", type: "instant", nil)
            let moved = try await client.execute(
                uri: "/fhir/Appointment/\(mine.resourceID!)", method: .put, headers: jsonHeaders,
                body: json(FHIRJSONWriter(registry: Conformance.registry).string(mine)))
            #expect(moved.status == .conflict)
            let after = try await client.execute(uri: "/fhir/Appointment/\(mine.resourceID!)", method: .get)
            #expect(try after.resource().descendant("meta", "versionId")?.value == "1")
            #expect(
                AppointmentResource(try after.resource())?.slots.first?.reference
                    == "Slot/\(GatewayFixture.slot("09:00"))")
            let old = try await client.execute(uri: "/fhir/Slot/\(GatewayFixture.slot("09:00"))", method: .get)
            #expect(SlotResource(try old.resource())?.status == .busy)
        }
    }
}
