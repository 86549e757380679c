import FHIRTestSupport
import Foundation
import Testing

/// A stock Python FHIR client (`fhirclient` 4.4.0, in the venv scripts/test creates) against the real
/// `booking-gateway serve` process with the demo clinic: CapabilityStatement, free slots, create and read
/// back an Appointment, paging.
@Suite("Stock FHIR client")
struct StockClientTests {
    @Test("fhirclient reads the CapabilityStatement, finds free slots, books one, reads it back and pages")
    func fhirclient() async throws {
        let root = Conformance.repositoryRoot
        let python = root.appendingPathComponent(".build-venv/clients/bin/python").path
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "missing \(python): run scripts/test, which creates it")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let server = Process()
        server.executableURL = root.appendingPathComponent(".build/debug/booking-gateway")
        server.arguments = [
            "serve", "--port", "0", "--store", "sqlite:\(dir.path)/g.sqlite", "--demo", "--demo-file",
            root.appendingPathComponent("fixtures/demo/clinic.json").path, "--structures",
            root.appendingPathComponent("profiles/r4").path,
        ]
        server.standardError = try FileHandle(forWritingTo: log)
        try server.run()
        defer { server.terminate() }
        var base: String?
        for _ in 0..<300 where base == nil {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("FHIR base: ") }) {
                base = String(line.dropFirst("FHIR base: ".count))
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let url = try #require(
            base, "the server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let result = try Shell.run(
            python, [root.appendingPathComponent("scripts/clients/fhirclient_smoke.py").path, url])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("appointment created and read back"))
        #expect(result.stdout.contains("paged through 3 pages"))
    }
}
