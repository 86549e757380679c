import FHIRTestSupport
import Foundation
import Testing

/// `booking-gateway serve --ig DIR` end to end: the real binary on a free port and an empty store, a tiny
/// regional IG (one StructureDefinition constraining Patient by its differential) written to a temp folder, and
/// Patient creates that name the profile in `meta.profile` (issue #7).
@Suite("booking-gateway serve --ig")
struct ServeImplementationGuideTests {
    static let profile = "https://fhir.regional-ig.test/StructureDefinition/RegionalPatient"

    /// Requires Patient.birthDate (1..1); differential only, so the server generates the snapshot.
    static let structureDefinition = """
        {"resourceType":"StructureDefinition","id":"RegionalPatient","url":"\(profile)","version":"0.1.0",\
        "name":"RegionalPatient","status":"active","fhirVersion":"4.0.1","kind":"resource","abstract":false,\
        "type":"Patient","baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",\
        "derivation":"constraint","differential":{"element":[\
        {"id":"Patient","path":"Patient"},\
        {"id":"Patient.birthDate","path":"Patient.birthDate","min":1}]}}
        """

    static func patient(birthDate: String?) -> String {
        let birth = birthDate.map { #","birthDate":"\#($0)""# } ?? ""
        return
            #"{"resourceType":"Patient","meta":{"profile":["\#(profile)"]},"name":[{"family":"Rossi","given":["Anna"]}],"gender":"female"\#(birth)}"#
    }

    @Test("with --ig, a Patient without birthDate is 422 at Patient.birthDate; with a birthDate it is 201")
    func profileFromIG() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ig = dir.appendingPathComponent("ig")
        try FileManager.default.createDirectory(at: ig, withIntermediateDirectories: true)
        try Data(Self.structureDefinition.utf8).write(
            to: ig.appendingPathComponent("StructureDefinition-RegionalPatient.json"))

        let server = try await Server(dir: dir, extra: ["--ig", ig.path])
        defer { server.stop() }
        #expect(!server.log.contains("not loaded"), "the IG was not loaded entirely:\n\(server.log)")

        let missing = try server.post("Patient", Self.patient(birthDate: nil))
        #expect(missing.status == 422, "\(missing.body)")
        let outcome = try Self.json(missing.body)
        #expect(outcome["resourceType"] as? String == "OperationOutcome", "\(missing.body)")
        let issues = outcome["issue"] as? [[String: Any]] ?? []
        // The validator reports a missing element on its parent (as the HL7 Java validator does): the issue's
        // expression is the Patient, its text names Patient.birthDate, the minimum and the profile.
        let birthDate = issues.filter {
            (($0["details"] as? [String: Any])?["text"] as? String)?.contains("Patient.birthDate") == true
        }
        #expect(birthDate.count == 1, "\(missing.body)")
        if let issue = birthDate.first {
            #expect(issue["severity"] as? String == "error")
            #expect(issue["code"] as? String == "structure")
            #expect(issue["expression"] as? [String] == ["Patient"], "\(missing.body)")
            let text = (issue["details"] as? [String: Any])?["text"] as? String ?? ""
            #expect(text.contains("minimum required = 1, but only found 0"), "\(text)")
            #expect(text.contains(Self.profile), "\(text)")
        }
        #expect(issues.filter { $0["severity"] as? String == "error" }.count == 1, "\(missing.body)")

        let complete = try server.post("Patient", Self.patient(birthDate: "1980-04-02"))
        #expect(complete.status == 201, "\(complete.body)")
        let created = try Self.json(complete.body)
        #expect(created["resourceType"] as? String == "Patient", "\(complete.body)")
        #expect(created["birthDate"] as? String == "1980-04-02", "\(complete.body)")
    }

    @Test("without --ig, the profile is unknown: 201 with a not-found warning at Patient.meta.profile")
    func profileUnknownWithoutIG() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await Server(dir: dir, extra: [])
        defer { server.stop() }

        // An unknown meta.profile is a warning, not an error: the default reject policy lets the write through
        // and the warning is returned in the OperationOutcome form of the answer.
        let missing = try server.post(
            "Patient", Self.patient(birthDate: nil), prefer: "return=OperationOutcome")
        #expect(missing.status == 201, "\(missing.body)")
        let outcome = try Self.json(missing.body)
        let issues = outcome["issue"] as? [[String: Any]] ?? []
        #expect(!issues.contains { $0["severity"] as? String == "error" }, "\(missing.body)")
        #expect(
            !missing.body.contains("Patient.birthDate"), "the profile cannot have been checked: \(missing.body)")
        let unknown = issues.filter { $0["code"] as? String == "not-found" }
        #expect(unknown.count == 1, "\(missing.body)")
        if let issue = unknown.first {
            #expect(issue["severity"] as? String == "warning")
            #expect(issue["expression"] as? [String] == ["Patient.meta.profile"], "\(missing.body)")
            let text = (issue["details"] as? [String: Any])?["text"] as? String ?? ""
            #expect(text.contains(Self.profile) && text.contains("unknown"), "\(text)")
        }
    }

    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("serve-ig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    /// `booking-gateway serve --port 0` on an empty SQLite store in `dir`, until stopped.
    final class Server {
        let process = Process()
        let logFile: URL
        let base: String

        init(dir: URL, extra: [String]) async throws {
            let root = Conformance.repositoryRoot
            logFile = dir.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
            process.executableURL = root.appendingPathComponent(".build/debug/booking-gateway")
            process.arguments =
                [
                    "serve", "--port", "0", "--store", "sqlite:\(dir.path)/g.sqlite", "--structures",
                    root.appendingPathComponent("profiles/r4").path,
                ] + extra
            process.standardError = try FileHandle(forWritingTo: logFile)
            try process.run()
            // The server prints its base once it listens, or exits: wait for either.
            var found: String?
            while found == nil && process.isRunning {
                let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("FHIR base: ") }) {
                    found = String(line.dropFirst("FHIR base: ".count))
                } else {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            guard let found else {
                throw ServeFailed(description: "serve exited (\(process.terminationStatus)) before listening:\n\(log)")
            }
            base = found
        }

        var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }

        /// POSTs `body` to `BASE/type` (with Python's urllib, as the other CLI tests drive HTTP): status and body.
        func post(_ type: String, _ body: String, prefer: String? = nil) throws -> (status: Int, body: String) {
            let script = """
                import sys, urllib.request, urllib.error
                headers = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}
                if len(sys.argv) > 2: headers["Prefer"] = sys.argv[2]
                request = urllib.request.Request(sys.argv[1], data=sys.stdin.buffer.read(), method="POST", headers=headers)
                try:
                    response = urllib.request.urlopen(request)
                    status, data = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, data = error.code, error.read()
                sys.stdout.write(f"{status}\\n")
                sys.stdout.flush()
                sys.stdout.buffer.write(data)
                """
            let result = try Shell.run(
                "/usr/bin/env", ["python3", "-c", script, "\(base)/\(type)"] + (prefer.map { [$0] } ?? []),
                stdin: Array(body.utf8))
            guard result.status == 0, let newline = result.stdout.firstIndex(of: "\n"),
                let status = Int(result.stdout[..<newline])
            else {
                throw ServeFailed(description: "POST \(type) failed: \(result.stdout)\(result.stderr)")
            }
            return (status, String(result.stdout[result.stdout.index(after: newline)...]))
        }
    }

    struct ServeFailed: Error, CustomStringConvertible {
        var description: String
    }
}
