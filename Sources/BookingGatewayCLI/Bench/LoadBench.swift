import ArgumentParser
import AsyncHTTPClient
import Booking
import BookingSQLite
import DocumentStore
import FHIRModel
import FHIRServer
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import Synchronization

/// `booking-gateway bench load`: concurrent CUP clients over loopback HTTP, bounded in count and time.
///
/// 1. Contention: `clients` clients run $find → $hold → $book (some book directly, some abandon their hold,
///    some repeat a booking) on a few popular slots. Afterwards the gates: no slot over capacity, every 2xx
///    booking exists exactly once, and once the hold time has passed no hold keeps capacity.
/// 2. Throughput: the same clients each book their own free slots with $book; bookings/s and latency
///    percentiles, against the bare store (BookingService.book without HTTP) and a raw SQLite transaction with
///    the same concurrency, measured in the same run.
struct LoadBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Concurrent $find/$hold/$book clients on loopback, with correctness gates.")

    @Option(help: "Concurrent clients.") var clients = 32
    @Option(help: "Find/hold/book rounds per client in the contention phase.") var rounds = 20
    @Option(help: "Popular slots contended for.") var popular = 4
    @Option(help: "Places per slot.") var capacity = 3
    @Option(help: "Bookings per client in the throughput phase.") var bookings = 50
    @Option(help: "Stop a phase after this many seconds.") var seconds = 60.0
    @OptionGroup var profiles: ProfilesOption

    func run() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("load-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("load.sqlite").path
        let store = try SQLiteBookingStore(path: path)
        let clock = OffsetClock()
        let booking = BookingService(store: store, clock: clock)
        try await Self.clinic(booking, capacity: capacity)
        let services = GatewayServices(
            booking: booking, documents: try SQLiteDocumentStore(path: path),
            codec: FHIRCodec(registry: try loadRegistry(profiles)),
            defaultTimeZone: "Europe/Rome")
        let port = Mutex<Int?>(nil)
        let app = buildApplication(
            services: services, configuration: ServerConfiguration(host: "127.0.0.1", port: 0),
            onListening: { p in port.withLock { $0 = p } })
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var bound: Int?
        for _ in 0..<200 where bound == nil {
            try await Task.sleep(for: .milliseconds(10))
            bound = port.withLock { $0 }
        }
        guard let bound else { throw CLIError("the gateway did not start") }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients * 2)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let client = LoadClient(http: http, base: "http://127.0.0.1:\(bound)/fhir", codec: services.responses.codec)
        do {
            try await contention(client: client, booking: booking, store: store, clock: clock)
            try await throughput(client: client, booking: booking, dir: dir)
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// A practitioner with a daily 07:00–21:00 schedule of 30-minute slots, `capacity` places each.
    static func clinic(_ booking: BookingService, capacity: Int) async throws {
        try await booking.saveResource(
            BookableResource(id: "busy", kind: .practitioner, name: "Dr Busy", timeZone: "Europe/Rome"))
        try await booking.saveSchedule(Schedule(id: "busy", resourceIDs: ["busy"], timeZone: "Europe/Rome"))
        let today = try ZoneResolver(identifier: "Europe/Rome").local(Date()).date
        try await booking.saveRule(
            AvailabilityRule(
                id: "daily", scheduleID: "busy", recurrence: .daily(interval: 1),
                openings: [OpeningHours(LocalTime(7), LocalTime(21))], validFrom: today,
                slotLength: .fixed(minutes: 30), capacity: capacity, horizonDays: 400))
    }

    func contention(
        client: LoadClient, booking: BookingService, store: SQLiteBookingStore, clock: OffsetClock
    ) async throws {
        let now = Date()
        let targets = Array(
            try await booking.findSlots(
                SlotQuery(from: now.addingTimeInterval(3600), to: now.addingTimeInterval(3 * 86400), limit: popular)))
        guard let first = targets.first, let last = targets.last else { throw CLIError("no slots to contend for") }
        let findPath =
            "/Appointment/$find?practitioner=Practitioner/busy&start=\(Self.instant(first.start))&end=\(Self.instant(last.end))&_count=\(popular)"
        let deadline = Date().addingTimeInterval(seconds)
        let t0 = Date()
        let results = try await withThrowingTaskGroup(of: ClientLog.self) { group in
            for c in 0..<clients {
                group.addTask {
                    var log = ClientLog()
                    var rng = SystemRandomNumberGenerator()
                    for i in 0..<rounds where Date() < deadline {
                        let found = try await client.timed(&log, "find") { try await client.get(findPath) }
                        let proposals = (BundleResource(found.resource)?.entries ?? []).compactMap(\.resource)
                        guard var proposal = proposals.randomElement(using: &rng) else { continue }
                        let key = "c\(c)-\(i)"
                        proposal.children.append(Identifier(system: "urn:cup", value: key).element())
                        let roll = Int.random(in: 0..<100, using: &rng)
                        var toBook = proposal
                        if roll >= 20 {
                            let held = try await client.timed(&log, "hold") {
                                try await client.post("/Appointment/$hold", client.parameters(proposal))
                            }
                            guard held.status == 200 else { continue }
                            if roll >= 90 {
                                log.abandoned += 1
                                continue
                            }
                            toBook = held.resource
                        }
                        let booked = try await client.timed(&log, "book") {
                            try await client.post("/Appointment/$book", client.parameters(toBook))
                        }
                        if booked.status == 200 || booked.status == 201 {
                            log.booked.append(key)
                            if roll % 10 == 0 {
                                let again = try await client.post("/Appointment/$book", client.parameters(toBook))
                                if again.status != 200 || again.resource.resourceID != booked.resource.resourceID {
                                    log.failures.append("repeated $book of \(key) gave \(again.status)")
                                }
                            }
                        } else if booked.status != 409 {
                            log.failures.append("$book \(key): \(booked.status)")
                        }
                    }
                    return log
                }
            }
            return try await group.reduce(into: ClientLog()) { $0.merge($1) }
        }
        let elapsed = Date().timeIntervalSince(t0)
        // Gates.
        var problems = results.failures
        for slot in targets {
            guard let now = try await booking.slot(slot.id) else { continue }
            if now.booked > now.capacity { problems.append("Slot/\(slot.id) holds \(now.booked) of \(now.capacity)") }
        }
        for key in Set(results.booked) {
            let found = try await booking.store.appointments(
                AppointmentQuery(identifier: BusinessIdentifier(system: "urn:cup", value: key)))
            if found.count != 1 { problems.append("booking \(key) exists \(found.count) times") }
        }
        let appointments = try await booking.store.appointments(AppointmentQuery(scheduleIDs: ["busy"]))
        if appointments.count != Set(results.booked).count {
            problems.append("\(appointments.count) appointments for \(Set(results.booked).count) 2xx bookings")
        }
        clock.advance(seconds: Double(booking.configuration.holdMinutes * 60 + 1))
        for slot in targets {
            guard let later = try await booking.slot(slot.id) else { continue }
            let kept = appointments.filter { $0.slotIDs.contains(slot.id) }.count
            if later.booked != kept {
                problems.append("Slot/\(slot.id): \(later.booked) places used after the hold time, \(kept) booked")
            }
        }
        problems += try await store.consistencyProblems(now: clock.now()).map { "\($0)" }
        print("== contention: \(clients) clients x \(rounds) rounds of $find/$hold/$book on \(targets.count) slots")
        print("   (capacity \(capacity); 20% book directly, 10% abandon their hold, 10% of bookings repeated)")
        print(
            "requests: \(results.latencies.values.map(\.count).reduce(0, +)) in \(Measure.format(elapsed, 2)) s; \(Set(results.booked).count) booked of \(targets.count * capacity) places, \(results.abandoned) holds abandoned"
        )
        for op in ["find", "hold", "book"] {
            let l = results.latencies[op] ?? []
            print("\(op): \(l.count) requests, p50 \(Self.ms(l, 0.5)) ms, p99 \(Self.ms(l, 0.99)) ms")
        }
        print(
            "gate: \(problems.isEmpty ? "no slot over capacity, every 2xx booking exists once, no hold outlives its expiry" : "FAILED: \(problems.prefix(5))")"
        )
        if !problems.isEmpty { throw ExitCode(1) }
    }

    func throughput(client: LoadClient, booking: BookingService, dir: URL) async throws {
        let now = Date()
        let count = clients * bookings
        let slots = Array(
            try await booking.findSlots(
                SlotQuery(from: now.addingTimeInterval(4 * 86400), to: now.addingTimeInterval(90 * 86400), limit: count)
            ))
        guard slots.count == count else { throw CLIError("only \(slots.count) free slots for \(count) bookings") }
        let deadline = Date().addingTimeInterval(seconds)
        let t0 = Date()
        let log = try await withThrowingTaskGroup(of: ClientLog.self) { group in
            for c in 0..<clients {
                group.addTask {
                    var log = ClientLog()
                    for i in stride(from: c, to: count, by: clients) where Date() < deadline {
                        let body =
                            #"{"resourceType":"Parameters","parameter":[{"name":"appointment","resource":{"resourceType":"Appointment","status":"proposed","identifier":[{"system":"urn:cup","value":"t\#(i)"}],"slot":[{"reference":"Slot/\#(slots[i].id)"}],"participant":[{"actor":{"reference":"Patient/t\#(i)"},"status":"accepted"}]}}]}"#
                        let r = try await client.timed(&log, "book") {
                            try await client.post("/Appointment/$book", Array(body.utf8))
                        }
                        if r.status == 201 {
                            log.booked.append("t\(i)")
                        } else {
                            log.failures.append("t\(i): \(r.status)")
                        }
                    }
                    return log
                }
            }
            return try await group.reduce(into: ClientLog()) { $0.merge($1) }
        }
        let elapsed = Date().timeIntervalSince(t0)
        let rate = Double(log.booked.count) / elapsed
        // Baselines, same run, same concurrency: the store through the domain without HTTP, and raw SQLite.
        let bare = try SQLiteBookingStore(path: dir.appendingPathComponent("bare.sqlite").path)
        let bareService = BookingService(store: bare)
        try await Self.clinic(bareService, capacity: capacity)
        let bareSlots = Array(
            try await bareService.findSlots(
                SlotQuery(from: now.addingTimeInterval(4 * 86400), to: now.addingTimeInterval(90 * 86400), limit: count)
            ))
        let b0 = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<clients {
                group.addTask {
                    for i in stride(from: c, to: bareSlots.count, by: clients) {
                        _ = try await bareService.book(
                            BookingRequest(
                                slotIDs: [bareSlots[i].id], participants: [Participant(actor: .init(.patient, "b\(i)"))]
                            ))
                    }
                }
            }
            try await group.waitForAll()
        }
        let bareRate = Double(bareSlots.count) / Date().timeIntervalSince(b0)
        let raw = try BookingBench.rawSQLiteBookings(
            count: count, concurrency: clients, path: dir.appendingPathComponent("raw.sqlite").path)
        let latencies = log.latencies["book"] ?? []
        print("\n== throughput: \(clients) clients, \(count) $book requests on distinct slots")
        print(
            "ours over HTTP: \(log.booked.count) bookings in \(Measure.format(elapsed, 2)) s = \(Measure.format(rate, 0)) bookings/s; p50 \(Self.ms(latencies, 0.5)) ms, p99 \(Self.ms(latencies, 0.99)) ms; failures \(log.failures.count)"
        )
        print("bare store (BookingService.book, no HTTP): \(Measure.format(bareRate, 0)) bookings/s")
        print("raw SQLite booking transaction: \(Measure.format(raw, 0)) tx/s")
        print(
            "HTTP/bare store = \(Measure.format(rate / bareRate, 2))x; HTTP/raw = \(Measure.format(rate / raw, 2))x")
        if !log.failures.isEmpty { throw ExitCode(1) }
    }

    static func instant(_ d: Date) -> String {
        (ISO8601DateFormatter().string(from: d)).replacingOccurrences(of: "+", with: "%2B")
    }

    static func ms(_ values: [Double], _ q: Double) -> String {
        guard !values.isEmpty else { return "-" }
        let sorted = values.sorted()
        return Measure.format(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] * 1000, 1)
    }
}

/// What one client saw.
struct ClientLog: Sendable {
    var latencies: [String: [Double]] = [:]
    var booked: [String] = []
    var abandoned = 0
    var failures: [String] = []

    mutating func merge(_ other: ClientLog) {
        latencies.merge(other.latencies) { $0 + $1 }
        booked += other.booked
        abandoned += other.abandoned
        failures += other.failures
    }
}

/// A FHIR JSON client over AsyncHTTPClient.
struct LoadClient: Sendable {
    let http: HTTPClient
    let base: String
    let codec: FHIRCodec

    struct Reply {
        var status: Int
        var resource: Element
    }

    func get(_ path: String) async throws -> Reply {
        try await send(HTTPClientRequest(url: base + path))
    }

    func post(_ path: String, _ body: [UInt8]) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/fhir+json")
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request)
    }

    func send(_ request: HTTPClientRequest) async throws -> Reply {
        var request = request
        request.headers.add(name: "Accept", value: "application/fhir+json")
        let response = try await http.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code), resource: try codec.read(Array(body.readableBytesView), format: .json))
    }

    func parameters(_ appointment: Element) -> [UInt8] {
        var p = ParametersResource()
        p.parameters = [.init(name: "appointment", resource: appointment)]
        return codec.write(p.element, format: .json)
    }

    func timed(_ log: inout ClientLog, _ op: String, _ body: () async throws -> Reply) async throws -> Reply {
        let t0 = Date()
        let r = try await body()
        log.latencies[op, default: []].append(Date().timeIntervalSince(t0))
        return r
    }
}

/// The system clock plus an offset the benchmark moves forward (to let holds expire without waiting).
final class OffsetClock: BookingClock {
    private let offset = Mutex<TimeInterval>(0)
    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func advance(seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}
