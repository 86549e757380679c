import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `_include`, `_revinclude` and the `:not` / `:contains` modifiers over HTTP.
@Suite("Includes and search modifiers over HTTP")
struct IncludeAndModifierHTTPTests {
    /// Books Dr Rossi's 09:00 for Patient/p1 (stored as a Patient), with Practitioner/rossi stored too, and an
    /// AppointmentResponse of the patient. Returns the appointment id.
    static func clinic(_ client: some TestClientProtocol) async throws -> String {
        for (type, id, body) in [
            ("Patient", "p1", #"{"resourceType":"Patient","id":"p1","name":[{"family":"Rossini","given":["Anna"]}]}"#),
            (
                "Practitioner", "rossi",
                #"{"resourceType":"Practitioner","id":"rossi","identifier":[{"system":"urn:reg","value":"R1"}],"name":[{"family":"Rossi"}]}"#
            ),
        ] {
            let r = try await client.execute(
                uri: "/fhir/\(type)/\(id)", method: .put, headers: jsonHeaders, body: json(body))
            #expect(r.status == .created)
        }
        let booked = try await client.execute(
            uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
            body: json(
                #"{"resourceType":"Appointment","status":"booked","slot":[{"reference":"Slot/\#(GatewayFixture.slot("09:00"))"}],"participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"},{"actor":{"reference":"Practitioner/rossi"},"status":"accepted"}]}"#
            ))
        let id = try #require(try booked.resource().resourceID)
        let answer = try await client.execute(
            uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders,
            body: json(
                #"{"resourceType":"AppointmentResponse","appointment":{"reference":"Appointment/\#(id)"},"actor":{"reference":"Patient/p1"},"participantStatus":"accepted"}"#
            ))
        #expect(answer.status == .created)
        return id
    }

    static func entries(_ r: TestResponse) throws -> [(mode: String?, type: String)] {
        let bundle = try #require(BundleResource(try r.resource()))
        return bundle.entries.map { ($0.searchMode, $0.resource?.type ?? "") }
    }

    @Test("_include follows the references of the page's matches; _revinclude finds what points at them")
    func includes() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let id = try await Self.clinic(client)
            let r = try await client.execute(
                uri:
                    "/fhir/Appointment?_id=\(id)&_include=Appointment:patient&_include=Appointment:practitioner&_include=Appointment:slot&_revinclude=AppointmentResponse:appointment",
                method: .get)
            let got = try Self.entries(r)
            #expect(got.filter { $0.mode == "match" }.map(\.type) == ["Appointment"])
            #expect(
                Set(got.filter { $0.mode == "include" }.map(\.type))
                    == ["Patient", "Practitioner", "Slot", "AppointmentResponse"])
            #expect(got.count == 5)
            #expect(BundleResource(try r.resource())?.total == 1)
            // The wildcard, and a target type that narrows it.
            let star = try Self.entries(
                try await client.execute(uri: "/fhir/Appointment?_include=Appointment:actor:Patient", method: .get))
            #expect(star.filter { $0.mode == "include" }.map(\.type) == ["Patient"])
            // Without includes, matches only.
            let plain = try Self.entries(try await client.execute(uri: "/fhir/Appointment?_id=\(id)", method: .get))
            #expect(plain.count == 1)
            // A Schedule is included once, however many slots of the page point at it.
            let slots = try Self.entries(
                try await client.execute(
                    uri:
                        "/fhir/Slot?schedule=dr-rossi&start=ge2026-06-02T00:00:00%2B02:00&start=lt2026-06-03T00:00:00%2B02:00&_include=Slot:schedule",
                    method: .get))
            #expect(slots.filter { $0.mode == "match" }.count == 8)
            #expect(slots.filter { $0.mode == "include" }.map(\.type) == ["Schedule"])
            // Backwards from the directory: the patient's appointments and answers.
            let patients = try Self.entries(
                try await client.execute(
                    uri: "/fhir/Patient?_id=p1&_revinclude=Appointment:patient&_revinclude=AppointmentResponse:actor",
                    method: .get))
            #expect(patients.map(\.type) == ["Patient", "Appointment", "AppointmentResponse"])
            let nobody = try Self.entries(
                try await client.execute(
                    uri: "/fhir/Practitioner?_id=nobody&_revinclude=Appointment:actor", method: .get))
            #expect(nobody.isEmpty)
        }
    }

    @Test("an include the server cannot follow is a warning, or a 400 under handling=strict")
    func unsupportedInclude() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let lenient = try await client.execute(uri: "/fhir/Appointment?_include=Appointment:based-on", method: .get)
            #expect(lenient.status == .ok)
            #expect(try Self.entries(lenient).contains { $0.mode == "outcome" })
            let strict = try await client.execute(
                uri: "/fhir/Appointment?_include=Appointment:based-on", method: .get,
                headers: [.init("Prefer")!: "handling=strict"])
            #expect(strict.status == .badRequest)
            let malformed = try await client.execute(uri: "/fhir/Appointment?_include=Appointment", method: .get)
            #expect(malformed.status == .badRequest)
        }
    }

    @Test(
        ":not and :contains: each with a positive and a negative case",
        arguments: [
            ("Appointment?status:not=cancelled", 1), ("Appointment?status:not=booked", 0),
            (
                "Slot?schedule=dr-rossi&start=ge2026-06-02T00:00:00%2B02:00&start=lt2026-06-03T00:00:00%2B02:00&status:not=free",
                1
            ),
            (
                "Slot?schedule=dr-rossi&start=ge2026-06-02T00:00:00%2B02:00&start=lt2026-06-03T00:00:00%2B02:00&status:not=busy",
                7
            ),
            ("Patient?name:contains=ossin", 1), ("Patient?name:contains=verd", 0),
            ("Practitioner?identifier:not=urn:reg%7CR2", 1), ("Practitioner?identifier:not=urn:reg%7CR1", 0),
            ("AppointmentResponse?part-status:not=declined", 1), ("AppointmentResponse?part-status:not=accepted", 0),
        ])
    func modifiers(query: String, count: Int) async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            _ = try await Self.clinic(client)
            let r = try await client.execute(uri: "/fhir/\(query)", method: .get)
            #expect(r.status == .ok)
            #expect(BundleResource(try r.resource())?.total == count)
            // A modifier a parameter does not take is refused, never ignored.
            let refused = try await client.execute(uri: "/fhir/Appointment?patient:contains=p", method: .get)
            #expect(refused.status == .badRequest)
        }
    }
}
