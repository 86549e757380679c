import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Replays fixtures/scenarios/cup (find → hold → book → reschedule → cancel, as a CUP does it) and compares
/// every response with the recorded one, the appointment id, the hold token and `urn:uuid` entry URLs masked. `SCENARIO_RECORD=1`
/// records the responses again.
@Suite("The CUP scenario in fixtures/scenarios/cup")
struct CUPScenarioTests {
    struct Steps: Decodable {
        var steps: [Step]
    }

    struct Step: Decodable {
        var name: String
        var method: String
        var path: String
        var request: String?
        var ifMatch: String?
        var save: [String: String]?
        var expect: Expectation
    }

    struct Expectation: Decodable {
        var status: Int
        var resourceType: String
        var total: Int?
        var appointmentStatus: String?
        var slotStatus: String?
        var versionId: String?
        var sameAs: String?
    }

    static let folder = Conformance.repositoryRoot.appendingPathComponent("fixtures/scenarios/cup")

    /// Follows `entry[0].resource`-style paths; `.` is the element itself.
    static func follow(_ path: String, in element: Element) -> Element? {
        guard path != "." else { return element }
        var current: Element? = element
        for segment in path.split(separator: ".") {
            var name = Substring(segment)
            var index = 0
            if let open = segment.firstIndex(of: "["), let n = Int(segment[segment.index(after: open)...].dropLast()) {
                name = segment[..<open]
                index = n
            }
            let matches = current?.children(named: String(name)) ?? []
            current = index < matches.count ? matches[index] : nil
        }
        return current
    }

    @Test("every step answers as recorded")
    func replay() async throws {
        let steps = try JSONDecoder().decode(
            Steps.self, from: Data(contentsOf: Self.folder.appendingPathComponent("steps.json"))
        ).steps
        let record = ProcessInfo.processInfo.environment["SCENARIO_RECORD"] == "1"
        let codec = FHIRCodec(registry: Conformance.registry)
        let writer = FHIRJSONWriter(registry: Conformance.registry)
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            var saved: [String: Element] = [:]
            func substitute(_ text: String) -> String {
                var out = text
                for (name, element) in saved {
                    out = out.replacingOccurrences(of: "\"{{\(name)}}\"", with: writer.string(element))
                    while let r = out.range(of: "{{\(name)."), let end = out[r.upperBound...].range(of: "}}") {
                        let path = String(out[r.upperBound..<end.lowerBound])
                        let value = path == "id" ? element.resourceID : Self.follow(path, in: element)?.value
                        out.replaceSubrange(r.lowerBound..<end.upperBound, with: value ?? "")
                    }
                }
                return out
            }
            var masks: [(String, String)] = []
            for step in steps {
                var headers: HTTPFields = jsonHeaders
                if let name = step.ifMatch, let version = saved[name]?.descendant("meta", "versionId")?.value {
                    headers[.ifMatch] = "W/\"\(version)\""
                }
                let body = try step.request.map {
                    ByteBuffer(
                        string: substitute(
                            try String(contentsOf: Self.folder.appendingPathComponent($0), encoding: .utf8)))
                }
                let r = try await client.execute(
                    uri: "/fhir/" + substitute(step.path), method: HTTPRequest.Method(step.method)!, headers: headers,
                    body: body)
                #expect(Int(r.status.code) == step.expect.status, "\(step.name): \(r.text)")
                let resource = try codec.read(Array(r.body.readableBytesView), format: .json)
                #expect(resource.type == step.expect.resourceType, "\(step.name)")
                if let total = step.expect.total { #expect(resource.string("total") == String(total), "\(step.name)") }
                if let s = step.expect.appointmentStatus { #expect(resource.string("status") == s, "\(step.name)") }
                if let s = step.expect.slotStatus { #expect(resource.string("status") == s, "\(step.name)") }
                if let v = step.expect.versionId {
                    #expect(resource.descendant("meta", "versionId")?.value == v, "\(step.name)")
                }
                if let other = step.expect.sameAs {
                    #expect(resource.resourceID == saved[other]?.resourceID, "\(step.name)")
                }
                for (name, path) in step.save ?? [:] { saved[name] = Self.follow(path, in: resource) }
                // Mask what differs from run to run: the appointment id and the hold token.
                if resource.type == "Appointment", let id = resource.resourceID, !masks.contains(where: { $0.0 == id })
                {
                    masks.append((id, "{{appointment-id}}"))
                }
                for i in resource.children(named: "identifier") where i.string("system") == "urn:booking-gateway:hold" {
                    if let v = i.string("value"), !masks.contains(where: { $0.0 == v }) {
                        masks.append((v, "{{hold-token}}"))
                    }
                }
                var text = String(decoding: codec.write(resource, format: .json, pretty: true), as: UTF8.self)
                for (value, mask) in masks { text = text.replacingOccurrences(of: value, with: mask) }
                // Entries without a server identity get a fresh urn:uuid each time.
                text = text.replacingOccurrences(
                    of: #"urn:uuid:[0-9a-f-]{36}"#, with: "urn:uuid:{{entry}}", options: .regularExpression)
                let file = Self.folder.appendingPathComponent("\(step.name).response.json")
                if record {
                    try text.write(to: file, atomically: true, encoding: .utf8)
                } else {
                    let recorded = try String(contentsOf: file, encoding: .utf8)
                    #expect(text == recorded, "\(step.name) differs from \(file.lastPathComponent)")
                }
            }
        }
    }
}
