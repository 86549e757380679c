import FHIRModel
import FHIRTestSupport
import Foundation
import Testing

/// The `convert` command end to end: the real binary, its output files, stderr and exit status.
@Suite("booking-gateway convert")
struct ConvertCommandTests {
    static var binary: String {
        Conformance.repositoryRoot.appendingPathComponent(".build/debug/booking-gateway").path
    }

    func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    @Test("JSON to XML and back gives the same resource")
    func convertsBothWays() throws {
        let input = Conformance.examplesJSON.appendingPathComponent("Slot-example.json").path
        let xml = temp("slot.xml")
        let json = temp("slot.json")
        let r1 = try Shell.run(Self.binary, ["convert", input, xml])
        #expect(r1.status == 0, "\(r1.stderr)")
        let r2 = try Shell.run(Self.binary, ["convert", xml, json, "--compact"])
        #expect(r2.status == 0, "\(r2.stderr)")
        let original = try JSONParser().parse(Conformance.bytes(URL(fileURLWithPath: input))).value
        let back = try JSONParser().parse(Conformance.bytes(URL(fileURLWithPath: json))).value
        #expect(JSONComparison.differences(original, back).isEmpty)
        #expect(
            String(decoding: Conformance.bytes(URL(fileURLWithPath: xml)), as: UTF8.self).contains(
                "<Slot xmlns=\"http://hl7.org/fhir\">"))
    }

    @Test("bad input exits non-zero and lists every issue with its location")
    func badInputFails() throws {
        let bad = temp("bad.json")
        try Data(#"{"resourceType":"Slot","status":"busy","start":"2024-13-01T09:00:00Z","foo":1}"#.utf8)
            .write(to: URL(fileURLWithPath: bad))
        let out = temp("never.xml")
        let r = try Shell.run(Self.binary, ["convert", bad, out])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(r.stderr)")
        #expect(lines.first?.contains("error [STR-005] at Slot.start (1:48): invalid instant") == true, "\(r.stderr)")
        #expect(
            lines.last?.contains("error [STR-001] at Slot.foo (1:71): unknown element 'foo'") == true, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("an unknown format is a usage error")
    func unknownFormat() throws {
        let r = try Shell.run(Self.binary, ["convert", "in.txt", "out.json"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--from"))
    }

    @Test("stdin to stdout with explicit formats")
    func pipes() throws {
        let input = Conformance.bytes(Conformance.examplesXML.appendingPathComponent("Schedule-example.xml"))
        let r = try Shell.run(Self.binary, ["convert", "-", "-", "--from", "xml", "--to", "json"], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"resourceType\": \"Schedule\""))
    }
}
