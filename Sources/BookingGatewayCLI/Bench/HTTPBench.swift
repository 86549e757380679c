import ArgumentParser
import Booking
import BookingSQLite
import DocumentStore
import FHIRModel
import FHIRServer
import Foundation
import Hummingbird
import NIOCore

/// `booking-gateway bench http`: read and search throughput and p99 latency of the gateway with the demo
/// clinic, against a bare Hummingbird route returning the same bytes, with wrk on loopback (bounded runs,
/// alternated A B A B). Also start-up time to the first response and resident memory of `serve --demo`.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http", abstract: "HTTP read/search against a bare Hummingbird route, with wrk (same run).")

    @Option(help: "wrk duration per run, seconds.") var seconds = 5
    @Option(help: "wrk connections.") var connections = 32
    @Option(help: "Rounds (A B A B …).") var rounds = 2
    @Option(help: "wrk binary.") var wrk = "/usr/bin/wrk"
    @OptionGroup var profiles: ProfilesOption

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: wrk) else {
            throw CLIError("wrk not found at \(wrk) (apt-get install wrk)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("http-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await startupAndMemory(dir: dir)

        let path = dir.appendingPathComponent("bench.sqlite").path
        let store = try SQLiteBookingStore(path: path)
        let booking = BookingService(store: store)
        try await DemoClinic.read(URL(fileURLWithPath: "fixtures/demo/clinic.json")).load(into: booking)
        let documents = try SQLiteDocumentStore(path: path)
        let codec = FHIRCodec(registry: try loadRegistry(profiles))
        let services = GatewayServices(
            booking: booking, documents: documents, codec: codec, defaultTimeZone: "Europe/Rome")
        let zone = try ZoneResolver(identifier: "Europe/Rome")
        let day = zone.local(Date()).date.adding(days: 14)
        let weekday =
            day.weekday == .saturday ? day.adding(days: 2) : day.weekday == .sunday ? day.adding(days: 1) : day
        let slot = SlotID(scheduleID: "dr-rossi", start: zone.instant(weekday, minuteOfDay: 9 * 60))
        let readPath = "/fhir/Slot/\(slot)"
        let searchPath = "/fhir/Slot?schedule=dr-rossi&status=free&_count=10"

        let gatewayPort = 18_500 + Int(getpid() % 500)
        let barePort = gatewayPort + 1
        let gateway = buildApplication(
            services: services, configuration: ServerConfiguration(host: "127.0.0.1", port: gatewayPort))
        let gatewayTask = Task { try await gateway.runService(gracefulShutdownSignals: []) }
        try await Task.sleep(for: .milliseconds(300))
        // The bare route returns bytes captured from the gateway itself, so both send the same payloads.
        let readBody = try fetch(port: gatewayPort, path: readPath)
        let searchBody = try fetch(port: gatewayPort, path: searchPath)
        let router = Router()
        router.get("/fhir/Slot/:id") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/fhir+json"],
                body: .init(byteBuffer: ByteBuffer(bytes: readBody)))
        }
        router.get("/fhir/Slot") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/fhir+json"],
                body: .init(byteBuffer: ByteBuffer(bytes: searchBody)))
        }
        let bare = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: barePort)))
        let bareTask = Task { try await bare.runService(gracefulShutdownSignals: []) }
        try await Task.sleep(for: .milliseconds(300))

        for (label, path, goal) in [("read", readPath, 0.5), ("search", searchPath, 0.2)] {
            var ours: [WrkResult] = []
            var base: [WrkResult] = []
            for _ in 0..<rounds {
                ours.append(try runWrk(port: gatewayPort, path: path))
                base.append(try runWrk(port: barePort, path: path))
            }
            let o = ours.max { $0.requestsPerSecond < $1.requestsPerSecond }!
            let b = base.max { $0.requestsPerSecond < $1.requestsPerSecond }!
            print("== \(label) \(path)")
            print("ours: \(Measure.format(o.requestsPerSecond, 0)) req/s, p99 \(o.p99)")
            print("bare Hummingbird route, same bytes: \(Measure.format(b.requestsPerSecond, 0)) req/s, p99 \(b.p99)")
            print(
                "ours/bare = \(Measure.format(o.requestsPerSecond / b.requestsPerSecond, 2))x (goal >= \(goal)x); errors: \(o.errors)"
            )
        }
        bareTask.cancel()
        gatewayTask.cancel()
    }

    /// GETs `path` on loopback.
    func fetch(port: Int, path: String) throws -> [UInt8] {
        let result = try Process.output(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sys,urllib.request;sys.stdout.buffer.write(urllib.request.urlopen('http://127.0.0.1:\(port)\(path)').read())",
            ])
        return result
    }

    struct WrkResult {
        var requestsPerSecond: Double
        var p99: String
        var errors: String
    }

    func runWrk(port: Int, path: String) throws -> WrkResult {
        let out = String(
            decoding: try Process.output(
                wrk, ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "http://127.0.0.1:\(port)\(path)"]),
            as: UTF8.self)
        var rps = 0.0
        var p99 = "?"
        var errors = "none"
        for line in out.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("Requests/sec:") {
                rps = Double(t.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            if t.hasPrefix("99%") { p99 = String(t.dropFirst(3).trimmingCharacters(in: .whitespaces)) }
            if t.hasPrefix("Non-2xx") || t.hasPrefix("Socket errors") { errors = t }
        }
        return WrkResult(requestsPerSecond: rps, p99: p99, errors: errors)
    }

    /// Starts `booking-gateway serve --demo` as a process on a fresh store: time to the first /health answer,
    /// and its resident memory after a slot search.
    func startupAndMemory(dir: URL) async throws {
        let port = 18_400 + Int(getpid() % 90)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["serve", "--port", String(port), "--store", "sqlite:\(dir.path)/startup.sqlite", "--demo"]
        process.standardError = FileHandle.nullDevice
        let start = Measure.now()
        try process.run()
        defer { process.terminate() }
        var first: Double?
        for _ in 0..<500 where first == nil {
            if (try? Process.output(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    "import urllib.request;urllib.request.urlopen('http://127.0.0.1:\(port)/health',timeout=1)",
                ])) != nil
            {
                first = Measure.now() - start
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        _ = try? Process.output(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import urllib.request;urllib.request.urlopen('http://127.0.0.1:\(port)/fhir/Slot?status=free')",
            ])
        let rss =
            (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.map(String.init) ?? "VmRSS: ?"
        print(
            "== start-up: serve --demo on an empty store (loads the clinic): first response after \(Measure.format((first ?? .nan) * 1000, 0)) ms (goal < 1000 ms); \(rss.replacingOccurrences(of: "  ", with: " ")) (goal < 150 MB)"
        )
    }
}

extension Process {
    /// Runs a program and returns its standard output; throws when it exits non-zero.
    static func output(_ executable: String, _ arguments: [String]) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLIError("\(executable) exited \(p.terminationStatus)") }
        return Array(data)
    }
}
