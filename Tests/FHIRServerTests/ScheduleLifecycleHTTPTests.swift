import Booking
import FHIRMapping
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Schedules created, versioned and deleted through FHIR.
@Suite("Schedule create, update, history and delete over HTTP")
struct ScheduleLifecycleHTTPTests {
    static let writer = FHIRJSONWriter(registry: Conformance.registry)

    @Test(
        "the official Schedule examples are created and read back equal in JSON and XML, apart from id and meta",
        arguments: ["Schedule-example.json", "Schedule-exampleloc1.json", "Schedule-exampleloc2.json"])
    func officialExamples(name: String) async throws {
        let f = try await GatewayFixture()
        let bytes = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent(name))
        let original = try AppointmentWrittenFormHTTPTests.codec.read(bytes, format: .json)
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Schedule", method: .post, headers: jsonHeaders, body: ByteBuffer(bytes: bytes))
            #expect(created.status == .created, "\(created.text.prefix(400))")
            let id = try #require(try created.resource().resourceID)
            #expect(created.headers[.location]?.hasSuffix("/fhir/Schedule/\(id)/_history/1") == true)
            for accept in ["application/fhir+json", "application/fhir+xml"] {
                let r = try await client.execute(uri: "/fhir/Schedule/\(id)", method: .get, headers: [.accept: accept])
                let back = try r.resource()
                #expect(
                    AppointmentWrittenFormHTTPTests.withoutIDAndMeta(back)
                        == AppointmentWrittenFormHTTPTests.withoutIDAndMeta(original),
                    "\(accept): \(AppointmentWrittenFormHTTPTests.differences(back, original))")
                #expect(back.descendant("meta", "versionId")?.value == "1")
            }
        }
    }

    /// A Schedule for a new room in Europe/Rome, slot-based, with Dr Rossi's rule under another id.
    static func roomSchedule(_ client: some TestClientProtocol, id: String? = nil) async throws -> String {
        let rossi = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
        var rule = try #require(rossi.extensions(url: ProjectExtension.availabilityRule).first)
        let i = try #require(rule.children.firstIndex { $0.string("url") == "id" })
        rule.children[i].children[1].value = "room-7-weekdays"
        var schedule = Element.resource(
            "Schedule",
            children: [
                Element(
                    name: "identifier", type: "Identifier",
                    children: [
                        Element(name: "system", type: "uri", value: "urn:rooms"),
                        Element(name: "value", type: "string", value: "R7"),
                    ]),
                Element(
                    name: "serviceCategory", type: "CodeableConcept",
                    children: [
                        Element(
                            name: "coding", type: "Coding",
                            children: [
                                Element(name: "system", type: "uri", value: "urn:cat"),
                                Element(name: "code", type: "code", value: "imaging"),
                                Element(name: "display", type: "string", value: "Diagnostic imaging"),
                            ])
                    ]),
                Element(
                    name: "actor", type: "Reference",
                    children: [
                        Element(name: "reference", type: "string", value: "Location/room-7"),
                        Element(name: "display", type: "string", value: "Sala 7"),
                    ]),
                Element(
                    name: "planningHorizon", type: "Period",
                    children: [
                        Element(name: "start", type: "dateTime", value: "2026-06-01"),
                        Element(name: "end", type: "dateTime", value: "2026-12-31"),
                    ]),
                rule,
                Element(
                    name: "extension", type: "Extension",
                    children: [
                        Element(name: "url", type: "uri", value: ProjectExtension.scheduleTimeZone),
                        Element(name: "value", type: "code", value: "Europe/Rome"),
                    ]),
            ])
        if let id { schedule.children.insert(Element(name: "id", type: "id", value: id), at: 0) }
        return writer.string(schedule)
    }

    @Test("create, search by identifier, category and date, update with If-Match, vread and history")
    func lifecycle() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let body = try await Self.roomSchedule(client)
            let created = try await client.execute(
                uri: "/fhir/Schedule", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.resource().resourceID)
            #expect(created.headers[.eTag] == "W/\"1\"")
            // Its slots are there, in Rome time: 09:00 local on Tuesday 2 June is 07:00Z.
            let slots = try await client.execute(
                uri: "/fhir/Slot?schedule=Schedule/\(id)&start=ge2026-06-02&start=lt2026-06-03", method: .get)
            let page = try #require(BundleResource(try slots.resource()))
            #expect(page.total == 8)
            #expect(page.entries.first?.resource?.string("start") == "2026-06-02T09:00:00+02:00")

            for (query, count) in [
                ("identifier=urn:rooms%7CR7", 1), ("identifier=R7", 1), ("identifier=urn:rooms%7CR8", 0),
                ("service-category=imaging", 1), ("service-category=urn:cat%7Cother", 0),
                ("service-category:text=diagnostic", 1), ("date=2026-07-01", 1), ("date=2027-02-01", 0),
                ("date=ge2026-11-01", 1), ("date=lt2026-05-01", 0), ("actor=Location/room-7", 1),
                ("identifier:not=urn:rooms%7CR7&_id=\(id)", 0),
            ] {
                let r = try await client.execute(uri: "/fhir/Schedule?\(query)", method: .get)
                #expect(r.status == .ok, "\(query)")
                #expect(BundleResource(try r.resource())?.total == count, "\(query)")
            }

            var v1 = try await client.execute(uri: "/fhir/Schedule/\(id)", method: .get).resource()
            v1.setPrimitive("comment", type: "string", "closed in August")
            let update = Self.writer.string(v1)
            let stale = try await client.execute(
                uri: "/fhir/Schedule/\(id)", method: .put,
                headers: [.contentType: "application/fhir+json", .ifMatch: "W/\"7\""],
                body: ByteBuffer(string: update))
            #expect(stale.status == .preconditionFailed)
            let updated = try await client.execute(
                uri: "/fhir/Schedule/\(id)", method: .put,
                headers: [.contentType: "application/fhir+json", .ifMatch: "W/\"1\""],
                body: ByteBuffer(string: update))
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.resource().descendant("meta", "versionId")?.value == "2")
            let old = try await client.execute(uri: "/fhir/Schedule/\(id)/_history/1", method: .get).resource()
            #expect(old.string("comment") == nil)
            #expect(old.descendant("identifier", "value")?.value == "R7")
            let history = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Schedule/\(id)/_history", method: .get).resource()))
            #expect(history.entries.map { $0.response?.etag } == ["W/\"2\"", "W/\"1\""])
            // Type and system history show the schedule's versions as Schedules.
            let typeHistory = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Schedule/_history", method: .get).resource()))
            #expect(typeHistory.entries.map { $0.resource?.resourceID } == [id, id])
            #expect(typeHistory.entries.first?.resource?.string("comment") == "closed in August")
            let system = try #require(
                BundleResource(try await client.execute(uri: "/fhir/_history", method: .get).resource()))
            #expect(system.entries.filter { $0.resource?.type == "Schedule" }.count == 2)
            #expect(!system.entries.contains { ($0.resource?.type ?? "").hasPrefix("written") })
        }
    }

    @Test("an update with the client's own elements, a closure and its actor's kept sick leave reads back as written")
    func updateReadsBackAsWritten() async throws {
        let f = try await GatewayFixture()
        // A sick leave of Dr Rossi (scoped to the resource, not the schedule): a Schedule update keeps it.
        _ = try await f.service.saveException(
            AvailabilityException(
                id: "a-sick-leave", scope: .resource("rossi"), effect: .closure(.holiday),
                span: .days(from: LocalDate(2026, 6, 10), through: LocalDate(2026, 6, 12))))
        _ = try await f.service.saveException(oneDayClosure(id: "z-closure", day: "2026-06-20"))
        try await f.app.test(.live) { client in
            var schedule = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
            #expect(schedule.extensions(url: ProjectExtension.availabilityException).count == 2)
            schedule.children.removeAll { $0.name == "meta" }
            schedule.setPrimitive("comment", type: "string", "written by the CUP")
            let written = Self.writer.string(schedule)
            let put = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders, body: ByteBuffer(string: written))
            #expect(put.status == .ok, "\(put.text)")
            var read = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
            read.children.removeAll { $0.name == "meta" }
            #expect(Self.writer.string(read) == written)
            // The version as stored with the availability (its rendering was projected before the transaction)
            // is the one read back afterwards.
            let version = try #require(put.headers[.eTag]).filter(\.isNumber)
            var stored = try await client.execute(uri: "/fhir/Schedule/dr-rossi/_history/\(version)", method: .get)
                .resource()
            stored.children.removeAll { $0.name == "meta" }
            #expect(Self.writer.string(stored) == written)

            // Written without the sick leave: the leave is its resource's and stays (it is not the schedule's
            // to delete), and the read shows it.
            let withoutLeave = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: written.replacingOccurrences(of: "a-sick-leave", with: "b-sick-leave")))
            #expect(withoutLeave.status == .ok, "\(withoutLeave.text)")
            var after = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
            after.children.removeAll { $0.name == "meta" }
            #expect(Self.writer.string(after).contains("a-sick-leave"))
            #expect(Self.writer.string(after).contains("b-sick-leave"))
        }
    }

    @Test("delete is refused while appointments are ahead, then answers 410; PUT brings the schedule back")
    func delete() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let booked = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:00"))))
            let appointmentID = try #require(try booked.resource().resourceID)
            let refused = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .delete)
            #expect(refused.status == .conflict)
            #expect(try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).status == .ok)
            // Still in service after the refusal: it takes bookings.
            let again = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:30"))))
            #expect(again.status == .created, "\(again.text)")
            // A schedule its owner took out of service stays so after a refused delete.
            var rossi = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
            rossi.setPrimitive("active", type: "boolean", "false")
            rossi.children.removeAll { $0.name == "meta" }
            let off = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: Self.writer.string(rossi)))
            #expect(off.status == .ok, "\(off.text)")
            #expect(try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .delete).status == .conflict)
            let stillOff = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
            #expect(stillOff.string("active") == "false")
            rossi.setPrimitive("active", type: "boolean", "true")
            let on = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders,
                body: ByteBuffer(string: Self.writer.string(rossi)))
            #expect(on.status == .ok, "\(on.text)")
            for appointment in [appointmentID, try #require(try again.resource().resourceID)] {
                let cancel = try await client.execute(uri: "/fhir/Appointment/\(appointment)", method: .delete)
                #expect(cancel.status == .noContent)
            }
            let deleted = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .delete)
            #expect(deleted.status == .noContent)
            #expect(try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).status == .gone)
            let search = try await client.execute(uri: "/fhir/Schedule?_id=dr-rossi", method: .get)
            #expect(BundleResource(try search.resource())?.total == 0)
            // Nothing can be booked on it.
            let late = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("10:00"))))
            #expect(late.status.code >= 400)
            let history = try #require(
                BundleResource(
                    try await client.execute(uri: "/fhir/Schedule/dr-rossi/_history", method: .get).resource()))
            #expect(history.entries.first?.request?.method == "DELETE")
            // Update-as-create brings it back, active.
            let body =
                #"{"resourceType":"Schedule","id":"dr-rossi","active":true,"actor":[{"reference":"Practitioner/rossi"}]}"#
            let back = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(back.status == .created, "\(back.text)")
            #expect(try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).status == .ok)
        }
    }

    @Test(
        "bad schedules are refused with the location and nothing is stored",
        arguments: [
            (#""actor":[{"reference":"Patient/p1"}]"#, "Schedule.actor[0]"),
            (
                #""actor":[{"reference":"Location/x"}],"extension":[{"url":"https://booking-gateway.dev/fhir/StructureDefinition/schedule-time-zone","valueCode":"Mars/Olympus"}]"#,
                "Schedule.extension('https://booking-gateway.dev/fhir/StructureDefinition/schedule-time-zone')"
            ),
            (
                #""actor":[{"reference":"Location/x"}],"extension":[{"url":"https://booking-gateway.dev/fhir/StructureDefinition/booking-mode","valueCode":"sometimes"}]"#,
                "Schedule.extension('https://booking-gateway.dev/fhir/StructureDefinition/booking-mode')"
            ),
            (#""actor":[{"reference":"Location/rossi"}]"#, "Schedule.actor[0]"),
        ])
    func refused(fields: String, expression: String) async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let body = #"{"resourceType":"Schedule","id":"new-one",\#(fields)}"#
            let r = try await client.execute(
                uri: "/fhir/Schedule/new-one", method: .put, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(r.status == .unprocessableContent, "\(r.text)")
            let issue = OperationOutcomeResource(try r.resource())?.issues.first
            #expect(issue?.expression == [expression], "\(r.text)")
            #expect(try await client.execute(uri: "/fhir/Schedule/new-one", method: .get).status == .notFound)
        }
    }

    @Test("an availability rule id of another schedule is refused and that schedule keeps its rule")
    func ruleIDClash() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let body = try await Self.roomSchedule(client).replacingOccurrences(
                of: "room-7-weekdays", with: "rossi")
            let r = try await client.execute(
                uri: "/fhir/Schedule", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(r.status == .unprocessableContent)
            let slot = try await client.execute(uri: "/fhir/Slot/\(GatewayFixture.slot("09:00"))", method: .get)
            #expect(slot.status == .ok)
            // Ids of published Slots' rules are the Slots' own.
            let published = try await Self.roomSchedule(client).replacingOccurrences(
                of: "room-7-weekdays", with: "slot:room-7.20260602T0700Z")
            let refused = try await client.execute(
                uri: "/fhir/Schedule", method: .post, headers: jsonHeaders, body: ByteBuffer(string: published))
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains("belong to published Slots"))
        }
    }
}
