import FHIRModel
import FHIRTestSupport
import Foundation
import Testing

/// The `fhirpath` command end to end: the real binary, stdout as JSON, stderr and exit status.
@Suite("booking-gateway fhirpath")
struct FHIRPathCommandTests {
    static var binary: String {
        Conformance.repositoryRoot.appendingPathComponent(".build/debug/booking-gateway").path
    }

    static var appointment: String {
        Conformance.examplesJSON.appendingPathComponent("Appointment-example.json").path
    }

    func items(_ stdout: String) throws -> [JSONNode] {
        try JSONParser().parse(stdout).value.arrayValue ?? []
    }

    @Test("a JSON file: one object per item with the FHIR type and the value")
    func evaluatesOnJSON() throws {
        let r = try Shell.run(Self.binary, ["fhirpath", "Appointment.participant.actor.display", Self.appointment])
        #expect(r.status == 0, "\(r.stderr)")
        let result = try items(r.stdout)
        #expect(result.count == 3)
        #expect(result.first?.value["type"]?.value.stringValue == "string")
        #expect(result.first?.value["value"]?.value.stringValue == "Peter James Chalmers")
    }

    @Test("complex values are FHIR JSON objects; System values have System types")
    func complexAndSystemValues() throws {
        let r = try Shell.run(
            Self.binary, ["fhirpath", "participant.first().actor | (1.50 + 2) | status.exists()", Self.appointment])
        #expect(r.status == 0, "\(r.stderr)")
        let result = try items(r.stdout)
        #expect(result.count == 3)
        #expect(result[0].value["type"]?.value.stringValue == "Reference")
        #expect(result[0].value["value"]?.value["reference"]?.value.stringValue == "Patient/example")
        #expect(result[1].value["type"]?.value.stringValue == "System.Decimal")
        #expect(result[1].value["value"]?.value == .number("3.50"))
        #expect(result[2].value["value"]?.value == .bool(true))
    }

    @Test("XML on standard input, format found from the content")
    func xmlOnStdin() throws {
        let xml = Conformance.bytes(Conformance.examplesXML.appendingPathComponent("Schedule-example.xml"))
        let r = try Shell.run(Self.binary, ["fhirpath", "Schedule.active"], stdin: xml)
        #expect(r.status == 0, "\(r.stderr)")
        let result = try items(r.stdout)
        #expect(result.count == 1)
        #expect(result.first?.value["type"]?.value.stringValue == "boolean")
    }

    @Test("an empty result is an empty array")
    func emptyResult() throws {
        let r = try Shell.run(Self.binary, ["fhirpath", "Appointment.cancelationReason", Self.appointment])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try items(r.stdout).isEmpty)
    }

    @Test("a syntax error exits non-zero with the message on stderr")
    func syntaxError() throws {
        let r = try Shell.run(Self.binary, ["fhirpath", "status = (", Self.appointment])
        #expect(r.status != 0)
        #expect(r.stderr.contains("syntax error"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("an evaluation error exits non-zero with the message on stderr")
    func executionError() throws {
        let r = try Shell.run(Self.binary, ["fhirpath", "participant.single()", Self.appointment])
        #expect(r.status != 0)
        #expect(r.stderr.contains("execution error"), "\(r.stderr)")
    }

    @Test("unreadable input exits non-zero")
    func unreadableInput() throws {
        let r = try Shell.run(Self.binary, ["fhirpath", "id"], stdin: Array(#"{"resourceType":"Nope"}"#.utf8))
        #expect(r.status != 0)
        #expect(!r.stderr.isEmpty)
        let missing = try Shell.run(Self.binary, ["fhirpath", "id", "/nonexistent/file.json"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read"))
    }
}
