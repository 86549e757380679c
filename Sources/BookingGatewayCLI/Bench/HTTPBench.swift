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
/// clinic, against a bare Hummingbird route returning the same bytes and against the fhirstarter peer
/// (scripts/bench/fhirstarter_peer.py under uvicorn, serving the same bytes through its read and search
/// handlers), with wrk on loopback (bounded runs, alternated A B C A B C). Also start-up time to the first
/// response and resident memory of `serve --demo`.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "HTTP read/search against a bare Hummingbird route and fhirstarter, with wrk (same run).")

    @Option(help: "wrk duration per run, seconds.") var seconds = 5
    @Option(help: "wrk connections.") var connections = 32
    @Option(help: "Rounds (A B A B …).") var rounds = 2
    @Option(help: "wrk binary.") var wrk = "/usr/bin/wrk"
    @Option(
        help:
            "Python with fhirstarter and uvicorn (scripts/bench/setup-peers.sh prints it; default .build-bench/venv/bin/python when present); none to skip."
    )
    var peersPython: String?
    @Option(
        help:
            "uvicorn workers for the fhirstarter peer (1 is its best here: with 2 on 2 cores it shares them with wrk and the gateway)."
    )
    var peerWorkers = 1
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

        let peer = await startPeer(
            dir: dir, readBody: readBody, searchBody: searchBody, port: barePort + 1, slot: slot)
        defer { peer?.stop() }

        for (label, path, goal) in [("read", readPath, 0.5), ("search", searchPath, 0.2)] {
            // fhirstarter's routes have no /fhir prefix.
            let peerPath = String(path.dropFirst("/fhir".count))
            var ours: [WrkResult] = []
            var base: [WrkResult] = []
            var peers: [WrkResult] = []
            for _ in 0..<rounds {
                ours.append(try runWrk(port: gatewayPort, path: path))
                base.append(try runWrk(port: barePort, path: path))
                if let peer { peers.append(try runWrk(port: peer.port, path: peerPath)) }
            }
            let o = ours.max { $0.requestsPerSecond < $1.requestsPerSecond }!
            let b = base.max { $0.requestsPerSecond < $1.requestsPerSecond }!
            print("== \(label) \(path)")
            print("ours: \(Measure.format(o.requestsPerSecond, 0)) req/s, p99 \(o.p99)")
            print("bare Hummingbird route, same bytes: \(Measure.format(b.requestsPerSecond, 0)) req/s, p99 \(b.p99)")
            print(
                "ours/bare = \(Measure.format(o.requestsPerSecond / b.requestsPerSecond, 2))x (goal >= \(goal)x); errors: \(o.errors)"
            )
            if let p = peers.max(by: { $0.requestsPerSecond < $1.requestsPerSecond }) {
                print(
                    "fhirstarter \(peerPath): \(Measure.format(p.requestsPerSecond, 0)) req/s, p99 \(p.p99); errors: \(p.errors)"
                )
                print(
                    "ours/fhirstarter = \(Measure.format(o.requestsPerSecond / p.requestsPerSecond, 1))x (goal >= 30x)")
            } else {
                print("fhirstarter: skipped (see above)")
            }
        }
        bareTask.cancel()
        gatewayTask.cancel()
    }

    struct Peer {
        var process: Process
        var port: Int

        /// SIGTERM (uvicorn shuts its workers down), then SIGKILL if it is still there after 5 s.
        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            for _ in 0..<50 where process.isRunning { usleep(100_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// Starts scripts/bench/fhirstarter_peer.py on the bytes the gateway returned and checks that it answers
    /// with the same JSON. Nil, with the reason printed, when the peer cannot run: the rest of the bench goes on.
    func startPeer(dir: URL, readBody: [UInt8], searchBody: [UInt8], port: Int, slot: SlotID) async -> Peer? {
        let python = peersPython ?? ".build-bench/venv/bin/python"
        guard python != "none" else {
            print("fhirstarter: skipped (--peers-python none)")
            return nil
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            print(
                "fhirstarter: skipped (no Python at \(python); run scripts/bench/setup-peers.sh, give --peers-python)")
            return nil
        }
        let readFile = dir.appendingPathComponent("peer-read.json")
        let searchFile = dir.appendingPathComponent("peer-search.json")
        let log = dir.appendingPathComponent("peer-stderr.txt")
        let workers = peerWorkers
        let process: Process
        do {
            try Data(readBody).write(to: readFile)
            try Data(searchBody).write(to: searchFile)
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process = try PythonScript.start(
                python,
                [
                    "scripts/bench/fhirstarter_peer.py", "--read", readFile.path, "--search", searchFile.path,
                    "--port", String(port), "--workers", String(workers),
                ], stderr: log)
        } catch {
            print("fhirstarter: skipped (cannot start scripts/bench/fhirstarter_peer.py: \(error))")
            return nil
        }
        func giveUp(_ reason: String) -> Peer? {
            Peer(process: process, port: port).stop()
            let lines = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(3)
            print("fhirstarter: skipped (\(reason))\(lines.map { "\n  \($0)" }.joined())")
            return nil
        }
        // Importing fhir.resources and building the routes takes seconds; give it up to 60.
        let readPath = "/Slot/\(slot)"
        var answer: [UInt8]?
        for _ in 0..<600 where answer == nil && process.isRunning {
            answer = try? fetch(port: port, path: readPath)
            if answer == nil { try? await Task.sleep(for: .milliseconds(100)) }
        }
        guard let answer else {
            return giveUp(
                process.isRunning
                    ? "no answer on port \(port) after 60 s" : "exited with status \(process.terminationStatus)")
        }
        guard let searchAnswer = try? fetch(port: port, path: "/Slot?schedule=dr-rossi&status=free&_count=10") else {
            return giveUp("search failed")
        }
        for (name, theirs, ours) in [("read", answer, readBody), ("search", searchAnswer, searchBody)] {
            guard Self.sameJSON(theirs, ours) else { return giveUp("its \(name) answer is not the gateway's JSON") }
            print(
                "fhirstarter \(name) answer: \(theirs == ours ? "the same bytes" : "the same JSON, \(theirs.count) bytes vs \(ours.count)") as the gateway's"
            )
        }
        let version =
            (try? Process.output(
                python,
                [
                    "-c",
                    "from importlib.metadata import version as v\nimport importlib.util as u\nprint('fhirstarter', v('fhirstarter'), '+ uvicorn', v('uvicorn'), *[f'+ {m} {v(m)}' for m in ('uvloop', 'httptools') if u.find_spec(m)])",
                ]))
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "?"
        print("peer: \(version) on port \(port), \(workers) uvicorn worker(s), FHIR_SEQUENCE=R4B")
        return Peer(process: process, port: port)
    }

    /// Equal once parsed (Foundation's JSON is fine for this check; the peer re-serializes the model).
    static func sameJSON(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard let x = try? JSONSerialization.jsonObject(with: Data(a)) as? NSDictionary,
            let y = try? JSONSerialization.jsonObject(with: Data(b)) as? NSDictionary
        else { return false }
        return x.isEqual(y)
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
