import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// JSON Patch on directory resources.
@Suite("JSON Patch over HTTP")
struct PatchHTTPTests {
    static let patchHeaders: HTTPFields = [
        .contentType: "application/json-patch+json", .accept: "application/fhir+json",
    ]

    @Test("replace, add and test operations make a new version; failures change nothing")
    func patch() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            _ = try await client.execute(
                uri: "/fhir/Patient/p7", method: .put, headers: jsonHeaders,
                body: json(
                    #"{"resourceType":"Patient","id":"p7","name":[{"family":"Rosa","given":["Ada"]}],"birthDate":"1990-01-01","deceasedBoolean":false}"#
                ))
            let ops =
                #"[{"op":"test","path":"/birthDate","value":"1990-01-01"},{"op":"replace","path":"/birthDate","value":"1990-02-02"},{"op":"add","path":"/name/0/given/-","value":"Maria"}]"#
            let r = try await client.execute(
                uri: "/fhir/Patient/p7", method: .patch, headers: Self.patchHeaders, body: json(ops))
            #expect(r.status == .ok)
            #expect(r.headers[.eTag] == "W/\"2\"")
            let p = try r.resource()
            #expect(p.string("birthDate") == "1990-02-02")
            #expect(p.child("name")?.children(named: "given").compactMap(\.value) == ["Ada", "Maria"])
            #expect(p.string("deceased") == "false")
            let failing = #"[{"op":"test","path":"/birthDate","value":"1800-01-01"},{"op":"remove","path":"/name"}]"#
            let tf = try await client.execute(
                uri: "/fhir/Patient/p7", method: .patch, headers: Self.patchHeaders, body: json(failing))
            #expect(tf.status == .unprocessableContent)
            let invalid = #"[{"op":"replace","path":"/birthDate","value":"not a date"}]"#
            let bad = try await client.execute(
                uri: "/fhir/Patient/p7", method: .patch, headers: Self.patchHeaders, body: json(invalid))
            #expect(bad.status == .badRequest)
            var stale = Self.patchHeaders
            stale[.ifMatch] = "W/\"1\""
            let refused = try await client.execute(
                uri: "/fhir/Patient/p7", method: .patch, headers: stale, body: json(ops))
            #expect(refused.status == .preconditionFailed)
            let wrongType = try await client.execute(
                uri: "/fhir/Patient/p7", method: .patch, headers: jsonHeaders, body: json(ops))
            #expect(wrongType.status == .unsupportedMediaType)
            let now = try await client.execute(uri: "/fhir/Patient/p7", method: .get).resource()
            #expect(now.descendant("meta", "versionId")?.value == "2" && now.child("name") != nil)
        }
    }
}
