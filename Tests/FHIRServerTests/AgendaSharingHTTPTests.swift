import Booking
import FHIRMapping
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A schedule shared with a regional CUP, written through FHIR as the `agenda-sharing` extension.
@Suite("Agenda sharing with a CUP over HTTP")
struct AgendaSharingHTTPTests {
    /// Reads Dr Rossi's Schedule, sets its sharing, and writes it back (rules and exceptions unchanged).
    static func share(_ client: some TestClientProtocol, mode: String, releaseHours: Int) async throws {
        var schedule = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
        schedule.children.removeAll { $0.name == "extension" && $0.string("url") == ProjectExtension.agendaSharing }
        schedule.children.append(
            ScheduleMapping.sharingExtension(
                .init(mode: .init(rawValue: mode)!, cupSystem: "urn:cup", releaseHours: releaseHours)))
        let put = try await client.execute(
            uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders,
            body: json(FHIRJSONWriter(registry: Conformance.registry).string(schedule)))
        #expect(put.status == .ok)
    }

    @Test("exclusive: only the CUP books until the release time; then the desk too; the CUP id finds the booking")
    func exclusive() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            try await Self.share(client, mode: "exclusive", releaseHours: 72)
            let read = try await client.execute(uri: "/fhir/Schedule/dr-rossi?_format=xml", method: .get)
            #expect(read.text.contains(#"<extension url="\#(ProjectExtension.agendaSharing)">"#))
            #expect(read.text.contains(#"<valueCode value="exclusive"/>"#))
            // Ten days ahead: the desk is refused, the CUP books.
            let far = rossiSlot("2026-06-11T09:00:00+02:00")
            let desk = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: far)))
            #expect(desk.status == .unprocessableContent)
            #expect(desk.text.contains("reserved for the CUP"))
            let cup = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: far, identifier: "CUP-42")))
            #expect(cup.status == .created)
            let found = try await client.execute(uri: "/fhir/Appointment?identifier=urn:cup%7CCUP-42", method: .get)
            #expect(BundleResource(try found.resource())?.total == 1)
            // Tomorrow is within the 72 hours: released to the desk.
            let near = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:00"))))
            #expect(near.status == .created)
            // A malformed sharing is refused and changes nothing.
            var schedule = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
            schedule.children.removeAll { $0.name == "extension" && $0.string("url") == ProjectExtension.agendaSharing }
            schedule.children.append(
                Element(
                    name: "extension", type: "Extension",
                    children: [
                        Element(
                            name: "extension", type: "Extension",
                            children: [
                                Element(name: "url", type: "uri", value: "mode"),
                                Element(name: "value", type: "code", value: "sometimes"),
                            ]),
                        Element(name: "url", type: "uri", value: ProjectExtension.agendaSharing),
                    ]))
            let bad = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders,
                body: json(FHIRJSONWriter(registry: Conformance.registry).string(schedule)))
            #expect(bad.status == .unprocessableContent)
            let still = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get)
            #expect(still.text.contains(#""valueCode":"exclusive""#))
        }
    }

    @Test("competitive: the desk and the CUP both book, first come first served")
    func competitive() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            try await Self.share(client, mode: "competitive", releaseHours: 72)
            let slot = rossiSlot("2026-06-11T09:00:00+02:00")
            let desk = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: slot)))
            #expect(desk.status == .created)
            let cup = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: slot, patient: "p2", identifier: "CUP-43")))
            #expect(cup.status == .conflict)
        }
    }
}
