import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Requests that once crashed the process or widened a condition: each gets a clear OperationOutcome.
@Suite("Hostile and edge requests over HTTP")
struct HostileRequestTests {
    @Test(
        "malformed searches are 400, not a crash",
        arguments: [
            "/fhir/Patient?=", "/fhir/Patient?%3A=1", "/fhir/Appointment?date=9999",
            "/fhir/Patient?_lastUpdated=9999-12",
            "/fhir/Slot?start=9999", "/fhir/Patient?_offset=9223372036854775807", "/fhir/Appointment?patient.=x",
            "/fhir/Appointment?actor:Practitioner.=x", "/fhir/Appointment?status:above=cancelled",
            "/fhir/Slot?status:below=busy",
        ])
    func malformed(uri: String) async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let r = try await client.execute(uri: uri, method: .get)
            #expect(r.status == .badRequest, "\(uri)")
            #expect(OperationOutcomeResource(try r.resource()) != nil)
        }
    }

    @Test("a condition with a parameter the server does not apply is refused, and deletes nothing")
    func conditionsDoNotWiden() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            _ = try await client.execute(
                uri: "/fhir/Patient", method: .post, headers: jsonHeaders,
                body: json(#"{"resourceType":"Patient","gender":"male"}"#))
            #expect(try await client.execute(uri: "/fhir/Patient?family=Smith", method: .delete).status == .badRequest)
            #expect(try await client.execute(uri: "/fhir/Patient?_sort=name", method: .delete).status == .badRequest)
            let left = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient", method: .get).resource()))
            #expect(left.total == 1)
        }
    }

    @Test("unsupported interactions on known paths are 405")
    func methodNotAllowed() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            for (uri, method) in [
                ("/fhir/Slot/\(GatewayFixture.slot("09:00"))", HTTPRequest.Method.delete),
                ("/fhir/Slot/\(GatewayFixture.slot("09:00"))", .post),
                ("/fhir/Schedule/dr-rossi", .post),
                ("/fhir/Schedule/dr-rossi", .patch), ("/fhir/Slot", .put),
            ] {
                let r = try await client.execute(uri: uri, method: method)
                #expect(r.status == .methodNotAllowed, "\(method) \(uri)")
            }
        }
    }

    @Test("start=ge with the exact time of a slot includes it")
    func slotBoundary() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let r = try await client.execute(
                uri:
                    "/fhir/Slot?schedule=dr-rossi&start=ge2026-06-02T09:00:00%2B02:00&start=lt2026-06-02T09:30:00%2B02:00",
                method: .get)
            let b = try #require(BundleResource(try r.resource()))
            #expect(b.total == 1)
            #expect(b.entries.first?.resource?.resourceID == GatewayFixture.slot("09:00"))
        }
    }

    @Test("a transaction deleting nothing keeps answers aligned; a batch entry of the wrong type is refused")
    func bundleAlignment() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let tx =
                #"{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":"Patient/nope"}},{"resource":{"resourceType":"Patient","gender":"other"},"request":{"method":"POST","url":"Patient"}}]}"#
            let r = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(tx))
            let b = try #require(BundleResource(try r.resource()))
            #expect(b.entries.map { $0.response?.status } == ["204 No Content", "201 Created"])
            #expect(b.entries[1].resource?.type == "Patient")
            let batch =
                #"{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Practitioner","id":"x"},"request":{"method":"PUT","url":"Patient/x"}}]}"#
            let rb = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(batch))
            let firstStatus = try BundleResource(rb.resource())?.entries.first?.response?.status
            #expect(firstStatus?.hasPrefix("400") == true)
            let noURL = #"{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET"}}]}"#
            #expect(
                try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(noURL)).status
                    == .badRequest)
            #expect(try await client.execute(uri: "/fhir/Patient/x", method: .get).status == .notFound)
        }
    }
}
