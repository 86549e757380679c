import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Directory resources (Patient, Practitioner, …) over real HTTP: versioned CRUD, conditional interactions,
/// history and search.
@Suite("Directory resources over HTTP")
struct DirectoryHTTPTests {
    static let patient =
        #"{"resourceType":"Patient","identifier":[{"system":"urn:cf","value":"BNCMRA80"}],"name":[{"family":"Bianco","given":["Mario"]}],"birthDate":"1980-01-01"}"#

    @Test("create, read, update with If-Match, delete (410 after), history keeps every version, vread")
    func lifecycle() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Patient", method: .post, headers: jsonHeaders, body: json(Self.patient))
            #expect(created.status == .created)
            var p = try created.resource()
            let id = try #require(p.resourceID)
            #expect(created.headers[.location] == "\(GatewayFixture.base)/Patient/\(id)/_history/1")
            p.setPrimitive("birthDate", type: "date", "1980-01-02")
            let body = FHIRJSONWriter(registry: Conformance.registry).string(p)
            var stale = jsonHeaders
            stale[.ifMatch] = "W/\"5\""
            #expect(
                try await client.execute(uri: "/fhir/Patient/\(id)", method: .put, headers: stale, body: json(body))
                    .status == .preconditionFailed)
            var current = jsonHeaders
            current[.ifMatch] = "W/\"1\""
            let updated = try await client.execute(
                uri: "/fhir/Patient/\(id)", method: .put, headers: current, body: json(body))
            #expect(updated.status == .ok && updated.headers[.eTag] == "W/\"2\"")
            let xml = try await client.execute(
                uri: "/fhir/Patient/\(id)", method: .get, headers: [.accept: "application/fhir+xml"])
            #expect(xml.text.contains("<birthDate value=\"1980-01-02\"/>"))
            let notModified = try await client.execute(
                uri: "/fhir/Patient/\(id)", method: .get, headers: [.ifNoneMatch: "W/\"2\""])
            #expect(notModified.status == .notModified)
            #expect(try await client.execute(uri: "/fhir/Patient/\(id)", method: .delete).status == .noContent)
            #expect(try await client.execute(uri: "/fhir/Patient/\(id)", method: .get).status == .gone)
            let history = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient/\(id)/_history", method: .get).resource()))
            #expect(history.entries.map { $0.request?.method } == ["DELETE", "PUT", "POST"])
            let v1 = try await client.execute(uri: "/fhir/Patient/\(id)/_history/1", method: .get)
            #expect(try v1.resource().string("birthDate") == "1980-01-01")
            #expect(try await client.execute(uri: "/fhir/Patient/nobody", method: .get).status == .notFound)
        }
    }

    @Test("update-as-create with a client id; the body's id must match the URL")
    func updateAsCreate() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let body = #"{"resourceType":"Location","id":"room-9","status":"active","name":"Room 9"}"#
            let r = try await client.execute(
                uri: "/fhir/Location/room-9", method: .put, headers: jsonHeaders, body: json(body))
            #expect(r.status == .created)
            let wrong = try await client.execute(
                uri: "/fhir/Location/room-8", method: .put, headers: jsonHeaders, body: json(body))
            #expect(wrong.status == .badRequest)
        }
    }

    @Test("conditional create twice creates one resource; conditional update and delete follow the 412 rules")
    func conditional() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            var headers = jsonHeaders
            headers[HTTPField.Name("If-None-Exist")!] = "identifier=urn:cf|BNCMRA80"
            let a = try await client.execute(
                uri: "/fhir/Patient", method: .post, headers: headers, body: json(Self.patient))
            let b = try await client.execute(
                uri: "/fhir/Patient", method: .post, headers: headers, body: json(Self.patient))
            #expect(a.status == .created && b.status == .ok)
            #expect(try a.resource().resourceID == b.resource().resourceID)
            let all = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient", method: .get).resource()))
            #expect(all.total == 1)
            // A second Bianco makes the name condition ambiguous.
            let other = Self.patient.replacingOccurrences(of: "BNCMRA80", with: "BNCLGU85").replacingOccurrences(
                of: "Mario", with: "Luigi")
            _ = try await client.execute(uri: "/fhir/Patient", method: .post, headers: jsonHeaders, body: json(other))
            let ambiguous = try await client.execute(
                uri: "/fhir/Patient?name=bianco", method: .put, headers: jsonHeaders, body: json(Self.patient))
            #expect(ambiguous.status == .preconditionFailed)
            let single = try await client.execute(
                uri: "/fhir/Patient?identifier=urn:cf%7CBNCMRA80", method: .put, headers: jsonHeaders,
                body: json(Self.patient))
            #expect(single.status == .ok && single.headers[.eTag] == "W/\"2\"")
            #expect(
                try await client.execute(uri: "/fhir/Patient?identifier=urn:cf%7CBNCLGU85", method: .delete).status
                    == .noContent)
            let left = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient", method: .get).resource()))
            #expect(left.total == 1)
            // conditionalDelete = multiple: every match goes, in one transaction.
            _ = try await client.execute(uri: "/fhir/Patient", method: .post, headers: jsonHeaders, body: json(other))
            #expect(
                try await client.execute(uri: "/fhir/Patient?name=bianco", method: .delete).status == .noContent)
            let none = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient", method: .get).resource()))
            #expect(none.total == 0)
        }
    }

    @Test(
        "search: _id, identifier, name (prefix, case-insensitive), _lastUpdated, positive and negative",
        arguments: [
            ("identifier=urn:cf%7CBNCMRA80", 1), ("identifier=BNCMRA80", 1), ("identifier=urn:other%7CBNCMRA80", 0),
            ("name=bian", 1), ("name=MARIO", 1), ("name=rossi", 0), ("name:exact=bianco", 1), ("name:exact=bian", 0),
            ("_lastUpdated=ge2026-01-01", 1), ("_lastUpdated=lt2026-01-01", 0),
        ])
    func search(query: String, expected: Int) async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Patient", method: .post, headers: jsonHeaders, body: json(Self.patient))
            let id = try #require(try created.resource().resourceID)
            let r = try await client.execute(uri: "/fhir/Patient?\(query)", method: .get)
            #expect(BundleResource(try r.resource())?.total == expected, "\(query)")
            let byID = try await client.execute(uri: "/fhir/Patient?_id=\(id)", method: .get)
            #expect(BundleResource(try byID.resource())?.total == 1)
            let wrongID = try await client.execute(uri: "/fhir/Patient?_id=x\(id)", method: .get)
            #expect(BundleResource(try wrongID.resource())?.total == 0)
        }
    }

    @Test(
        "every official example of the directory types is created and reads back equal in JSON and XML, apart from id and meta"
    )
    func officialExamples() async throws {
        let f = try await GatewayFixture()
        let names = Conformance.files(in: Conformance.examplesJSON, extension: "json").filter { name in
            ["Patient-", "Practitioner-", "PractitionerRole-", "Location-", "HealthcareService-", "Device-"].contains {
                name.hasPrefix($0)
            }
        }
        #expect(names.count >= 40)
        let codec = FHIRCodec(registry: Conformance.registry)
        try await f.app.test(.live) { client in
            for name in names {
                let bytes = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent(name))
                let original = try codec.read(bytes, format: .json)
                let created = try await client.execute(
                    uri: "/fhir/\(original.type)", method: .post, headers: jsonHeaders, body: ByteBuffer(bytes: bytes))
                #expect(created.status == .created, "\(name): \(created.text.prefix(300))")
                let id = try created.resource().resourceID ?? ""
                for accept in ["application/fhir+json", "application/fhir+xml"] {
                    let read = try await client.execute(
                        uri: "/fhir/\(original.type)/\(id)", method: .get, headers: [.accept: accept])
                    var back = try read.resource()
                    var expected = original
                    back.children.removeAll { $0.name == "id" || $0.name == "meta" }
                    expected.children.removeAll { $0.name == "id" || $0.name == "meta" }
                    #expect(back.normalizingNarrative() == expected.normalizingNarrative(), "\(name) via \(accept)")
                }
            }
        }
    }
}
