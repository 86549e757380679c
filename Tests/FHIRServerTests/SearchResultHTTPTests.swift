import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Result parameters (_sort, _summary, _elements, _total), chained parameters and Prefer: return.
@Suite("Search results and Prefer over HTTP")
struct SearchResultHTTPTests {
    static func patient(_ family: String, _ cf: String) -> String {
        #"{"resourceType":"Patient","identifier":[{"system":"urn:cf","value":"\#(cf)"}],"name":[{"family":"\#(family)"}],"gender":"female","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">\#(family)</div>"}}"#
    }

    @Test("_sort ascending and descending, _summary=count, _elements, _summary=true, _total=none")
    func resultParameters() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            for (name, cf) in [("Verdi", "V1"), ("Azzurri", "A1"), ("Neri", "N1")] {
                _ = try await client.execute(
                    uri: "/fhir/Patient", method: .post, headers: jsonHeaders, body: json(Self.patient(name, cf)))
            }
            func families(_ query: String) async throws -> [String] {
                let b = try #require(
                    BundleResource(try await client.execute(uri: "/fhir/Patient?\(query)", method: .get).resource()))
                return b.entries.compactMap { $0.resource?.child("name")?.string("family") }
            }
            #expect(try await families("_sort=name") == ["Azzurri", "Neri", "Verdi"])
            #expect(try await families("_sort=-name") == ["Verdi", "Neri", "Azzurri"])
            let count = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient?_summary=count", method: .get).resource()))
            #expect(count.total == 3 && count.entries.isEmpty)
            let elements = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient?_elements=gender", method: .get).resource())
            )
            let first = try #require(elements.entries.first?.resource)
            #expect(first.child("gender") != nil && first.child("name") == nil && first.child("text") == nil)
            #expect(first.descendant("meta", "tag", "code")?.value == "SUBSETTED")
            let summary = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient?_summary=true", method: .get).resource()))
            #expect(summary.entries.first?.resource?.child("text") == nil)
            #expect(summary.entries.first?.resource?.child("name") != nil)
            let noTotal = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient?_total=none", method: .get).resource()))
            #expect(noTotal.total == nil && noTotal.entries.count == 3)
            let bad = try await client.execute(uri: "/fhir/Patient?_sort=birthDate", method: .get)
            #expect(bad.status == .badRequest)
        }
    }

    @Test("chained parameters: actor:Practitioner.identifier and patient.identifier, positive and negative")
    func chained() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            _ = try await client.execute(
                uri: "/fhir/Practitioner/rossi", method: .put, headers: jsonHeaders,
                body: json(
                    #"{"resourceType":"Practitioner","id":"rossi","identifier":[{"system":"urn:reg","value":"RSS1"}]}"#)
            )
            _ = try await client.execute(
                uri: "/fhir/Patient/p1", method: .put, headers: jsonHeaders,
                body: json(#"{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:cf","value":"CF1"}]}"#))
            let body =
                #"{"resourceType":"Appointment","status":"booked","slot":[{"reference":"Slot/\#(GatewayFixture.slot("09:30"))"}],"participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"},{"actor":{"reference":"Practitioner/rossi"},"status":"accepted"}]}"#
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: json(body))
            #expect(created.status == .created)
            for (query, expected) in [
                ("actor:Practitioner.identifier=urn:reg%7CRSS1", 1), ("actor:Practitioner.identifier=urn:reg%7CXXX", 0),
                ("patient.identifier=CF1", 1), ("patient.identifier=CF2", 0), ("practitioner.name=x", 0),
            ] {
                let r = try await client.execute(uri: "/fhir/Appointment?\(query)", method: .get)
                #expect(BundleResource(try r.resource())?.total == expected, "\(query)")
            }
            let untyped = try await client.execute(uri: "/fhir/Appointment?actor.identifier=x", method: .get)
            #expect(untyped.status == .badRequest)
        }
    }

    @Test("Prefer: return=minimal gives no body; return=OperationOutcome an outcome; representation the resource")
    func prefer() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            var minimal = jsonHeaders
            minimal[HTTPField.Name("Prefer")!] = "return=minimal"
            let m = try await client.execute(
                uri: "/fhir/Patient", method: .post, headers: minimal, body: json(Self.patient("A", "1")))
            #expect(m.status == .created && m.body.readableBytes == 0 && m.headers[.location] != nil)
            var outcome = jsonHeaders
            outcome[HTTPField.Name("Prefer")!] = "return=OperationOutcome"
            let o = try await client.execute(
                uri: "/fhir/Patient", method: .post, headers: outcome, body: json(Self.patient("B", "2")))
            let outcomeBody = try o.resource()
            #expect(o.status == .created && OperationOutcomeResource(outcomeBody) != nil)
            let r = try await client.execute(
                uri: "/fhir/Patient", method: .post, headers: jsonHeaders, body: json(Self.patient("C", "3")))
            #expect(try r.resource().type == "Patient")
        }
    }
}
