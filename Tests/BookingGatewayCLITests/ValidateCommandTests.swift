import FHIRModel
import FHIRTestSupport
import Foundation
import Testing

/// The `validate` command end to end: the real binary, its output, and exit status.
@Suite("booking-gateway validate")
struct ValidateCommandTests {
    static var binary: String {
        Conformance.repositoryRoot.appendingPathComponent(".build/debug/booking-gateway").path
    }

    func temp(_ name: String, _ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a valid example exits 0; text output has no error line")
    func validExample() throws {
        let input = Conformance.examplesJSON.appendingPathComponent("Appointment-example.json").path
        let r = try Shell.run(Self.binary, ["validate", input])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains(": error "), "\(r.stdout)")
    }

    @Test("a wrong code and a bad date: one text line each, exit 1")
    func invalidText() throws {
        let bad = try temp(
            "slot.json",
            #"{"resourceType":"Slot","schedule":{"reference":"Schedule/1"},"status":"maybe","start":"2024-01-01T09:00:00Z","end":"2024-01-01T09:30:00Z"}"#
        )
        let r = try Shell.run(Self.binary, ["validate", bad])
        #expect(r.status == 1)
        let errors = r.stdout.split(separator: "\n").filter { $0.contains(": error ") }
        #expect(errors.count == 1, "\(r.stdout)")
        #expect(errors.first?.contains("error Slot.status [1:62]:") == true, "\(r.stdout)")
    }

    @Test("NDJSON: each line is a resource, issues carry the file's line, an empty line is a warning")
    func ndjson() throws {
        let file = try temp(
            "slots.ndjson",
            #"{"resourceType":"Slot","schedule":{"reference":"Schedule/1"},"status":"free","start":"2024-01-01T09:00:00Z","end":"2024-01-01T09:30:00Z"}"#
                + "\n\n"
                + #"{"resourceType":"Slot","schedule":{"reference":"Schedule/1"},"status":"maybe","start":"2024-01-01T09:00:00Z","end":"2024-01-01T09:30:00Z"}"#
                + "\n")
        let r = try Shell.run(Self.binary, ["validate", file])
        #expect(r.status == 1)
        let errors = r.stdout.split(separator: "\n").filter { $0.contains(": error ") }
        #expect(errors.count == 1, "\(r.stdout)")
        #expect(errors.first?.contains("error Slot.status [3:62]:") == true, "\(r.stdout)")
        #expect(r.stdout.contains("warning  [2]: The NDJSON source contains an empty line"), "\(r.stdout)")
    }

    @Test("reader errors carry line and column")
    func readerErrors() throws {
        let bad = try temp("slot.json", #"{"resourceType":"Slot","status":"busy","start":"2024-13-01T09:00:00Z"}"#)
        let r = try Shell.run(Self.binary, ["validate", bad])
        #expect(r.status == 1)
        #expect(r.stdout.contains("error Slot.start [1:48]:"), "\(r.stdout)")
    }

    @Test("JSON output is an OperationOutcome for one file and a Bundle for several")
    func jsonOutput() throws {
        let good = Conformance.examplesJSON.appendingPathComponent("Slot-example.json").path
        let bad = try temp("appt.json", #"{"resourceType":"Appointment","status":"booked"}"#)
        let one = try Shell.run(Self.binary, ["validate", "--format", "json", bad])
        #expect(one.status == 1)
        let outcome = try FHIRJSONReader(registry: Conformance.registry).readResource(one.stdout)
        #expect(outcome.type == "OperationOutcome")
        let issues = try #require(OperationOutcomeResource(outcome)).issues.filter { $0.severity == "error" }
        // participant is 1..*, and app-3: a booked appointment needs its start and end.
        #expect(issues.count == 2 && issues.allSatisfy { $0.expression == ["Appointment"] }, "\(one.stdout)")
        #expect(issues.contains { $0.detailsCoding.contains { $0.code == "app-3" } }, "\(one.stdout)")

        let two = try Shell.run(Self.binary, ["validate", "--format", "json", good, bad])
        #expect(two.status == 1)
        let bundle = try FHIRJSONReader(registry: Conformance.registry).readResource(two.stdout)
        #expect(bundle.type == "Bundle" && bundle.children(named: "entry").count == 2)
    }

    @Test("a profile from --profiles and --profile is applied")
    func profileOption() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("validate-cli-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let sd = """
            {"resourceType": "StructureDefinition", "url": "http://example.org/StructureDefinition/slot-with-specialty",
             "name": "SlotWithSpecialty", "status": "draft", "kind": "resource", "abstract": false, "type": "Slot",
             "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Slot", "derivation": "constraint",
             "differential": {"element": [{"id": "Slot.specialty", "path": "Slot.specialty", "min": 1}]}}
            """
        try Data(sd.utf8).write(to: dir.appendingPathComponent("sd.json"))
        let slot = Conformance.examplesJSON.appendingPathComponent("Slot-1.json").path
        let plain = try Shell.run(Self.binary, ["validate", slot])
        #expect(plain.status == 0, "\(plain.stdout)")
        let r = try Shell.run(
            Self.binary,
            [
                "validate", slot, "--profiles", dir.path, "--profile",
                "http://example.org/StructureDefinition/slot-with-specialty",
            ]
        )
        #expect(r.status == 1)
        #expect(r.stdout.contains("Slot.specialty: minimum required = 1"), "\(r.stdout)")
    }

    @Test("an unreadable file exits 1 with a message")
    func unreadable() throws {
        let r = try Shell.run(Self.binary, ["validate", "/nonexistent/file.json"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot read"))
    }
}
