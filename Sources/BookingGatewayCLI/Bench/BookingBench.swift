import ArgumentParser
import Booking
import BookingSQLite
import Foundation
import GRDB

/// `booking-gateway bench booking`: slot expansion, free-slot search and contended bookings, each against a
/// baseline measured in the same run (a Python zoneinfo expander with the same rules, slot for slot on the DST
/// days; the raw SQLite booking transaction with synchronous=FULL).
struct BookingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "booking", abstract: "Expansion, search and booking throughput against same-run baselines.")

    @Option(help: "Resources (one schedule each).") var resources = 100
    @Option(help: "Bookings per measurement of the write path.") var bookings = 2000
    @Option(help: "Concurrent booking tasks.") var concurrency = 8
    @Option(help: "Rounds per measurement (best is kept).") var rounds = 3
    @Option(help: "Python for the reference expander; none to skip.") var python = "/usr/bin/python3"
    @Option(help: "Work folder (deleted afterwards).") var workDirectory: String?

    static let zone = "Europe/Rome"
    static let year = (LocalDate(2025, 1, 1), LocalDate(2026, 1, 1))

    func run() async throws {
        let dir = URL(
            fileURLWithPath: workDirectory
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(getpid())").path)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (schedules, rules, exceptions) = Self.clinic(resources)

        // 1. Expansion of a year for every schedule.
        let zone = try ZoneResolver(identifier: Self.zone)
        let from = zone.instant(Self.year.0, minuteOfDay: 0)
        let to = zone.instant(Self.year.1, minuteOfDay: 0)
        let expanders = try schedules.map { try SlotExpander(schedule: $0, rules: rules, exceptions: exceptions) }
        var slotCount = 0
        var best = Double.infinity
        for _ in 0..<rounds {
            let t0 = Measure.now()
            slotCount = expanders.reduce(0) { $0 + $1.slots(from: from, to: to).count }
            best = min(best, Measure.now() - t0)
        }
        let oursRate = Double(slotCount) / best
        print("== expansion: \(resources) schedules x 1 year (2025, Europe/Rome)")
        print("ours: \(slotCount) slots in \(Measure.format(best * 1000)) ms = \(Measure.format(oursRate, 0)) slots/s")
        if python != "none" {
            try compareWithReference(
                schedules: schedules, expanders: expanders, oursRate: oursRate, dir: dir, zone: zone)
        }

        // 2. Free-slot search over a week for one service across every schedule.
        let store = try SQLiteBookingStore(path: dir.appendingPathComponent("bench.sqlite").path)
        let clock = FixedClock(date: zone.instant(LocalDate(2025, 6, 1), minuteOfDay: 0))
        let service = BookingService(store: store, clock: clock)
        for s in schedules {
            try await service.saveResource(
                BookableResource(id: s.resourceIDs[0], kind: .practitioner, name: s.id, timeZone: Self.zone))
            try await service.saveSchedule(s)
        }
        for r in rules { try await service.saveRule(r) }
        for e in exceptions { try await service.saveException(e) }
        let week = SlotQuery(
            from: zone.instant(LocalDate(2025, 6, 2), minuteOfDay: 0),
            to: zone.instant(LocalDate(2025, 6, 9), minuteOfDay: 0),
            serviceType: Self.visit)
        var found = 0
        let searchTime = try await Measure.bestAsync(rounds: rounds, minSeconds: 0.5) {
            found = try await service.findSlots(week).count
        }
        print("\n== search: free '\(Self.visit.code)' slots over one week across \(resources) schedules")
        print(
            "ours: \(found) slots per search, \(Measure.format(1 / searchTime, 1)) searches/s (\(Measure.format(searchTime * 1000, 1)) ms each)"
        )

        // 3. Bookings under contention: `concurrency` tasks booking distinct slots, durable commits.
        let slots = try await service.findSlots(
            SlotQuery(
                from: zone.instant(LocalDate(2025, 6, 2), minuteOfDay: 0),
                to: zone.instant(LocalDate(2025, 12, 1), minuteOfDay: 0)))
        let targets = Array(slots.prefix(bookings))
        let t0 = Measure.now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for i in stride(from: worker, to: targets.count, by: concurrency) {
                        _ = try await service.book(
                            BookingRequest(
                                slotIDs: [targets[i].id],
                                participants: [Participant(actor: ParticipantActor(.patient, "b\(i)"))]))
                    }
                }
            }
            try await group.waitForAll()
        }
        let oursBookings = Double(targets.count) / (Measure.now() - t0)
        let raw = try Self.rawSQLiteBookings(
            count: targets.count, concurrency: concurrency, path: dir.appendingPathComponent("raw.sqlite").path)
        let problems = try await store.consistencyProblems(now: clock.now())
        print("\n== bookings: \(targets.count) bookings from \(concurrency) concurrent tasks, synchronous=FULL")
        print(
            "gate: \(problems.isEmpty ? "store consistent, no slot over capacity" : "INCONSISTENT: \(problems.prefix(3))")"
        )
        print("ours (BookingService.book on SQLite): \(Measure.format(oursBookings, 0)) bookings/s")
        print(
            "raw SQLite transaction (BEGIN IMMEDIATE; check capacity; insert; COMMIT): \(Measure.format(raw, 0)) tx/s")
        print("ours/raw = \(Measure.format(oursBookings / raw, 2))x (goal >= 0.5x)")
    }

    static let visit = Code(system: "urn:bench:service", code: "visit")

    /// `count` schedules: weekdays 08-13 and 14-18 and Saturday 09-12 (15-minute slots), a daily on-call
    /// opening 00:00-04:00 (60-minute slots, so the DST nights have slots), and three yearly holidays.
    static func clinic(_ count: Int) -> ([Schedule], [AvailabilityRule], [AvailabilityException]) {
        var schedules: [Schedule] = []
        var rules: [AvailabilityRule] = []
        var exceptions: [AvailabilityException] = []
        let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
        for i in 0..<count {
            let id = "s\(i)"
            schedules.append(Schedule(id: id, resourceIDs: ["r\(i)"], timeZone: zone))
            rules.append(
                AvailabilityRule(
                    id: "\(id)-a-week", scheduleID: id, recurrence: .weekly(weekdays: weekdays, interval: 1),
                    openings: [OpeningHours(LocalTime(8), LocalTime(13)), OpeningHours(LocalTime(14), LocalTime(18))],
                    validFrom: LocalDate(2024, 1, 1), slotLength: .fixed(minutes: 15),
                    serviceTypes: i % 2 == 0 ? [visit] : [Code(system: "urn:bench:service", code: "other")]))
            rules.append(
                AvailabilityRule(
                    id: "\(id)-b-sat", scheduleID: id, recurrence: .weekly(weekdays: [.saturday], interval: 1),
                    openings: [OpeningHours(LocalTime(9), LocalTime(12))], validFrom: LocalDate(2024, 1, 1),
                    slotLength: .fixed(minutes: 15), serviceTypes: [visit]))
            rules.append(
                AvailabilityRule(
                    id: "\(id)-c-oncall", scheduleID: id,
                    recurrence: .weekly(weekdays: Set(Weekday.allCases), interval: 1),
                    openings: [OpeningHours(LocalTime(0), LocalTime(4))], validFrom: LocalDate(2024, 1, 1),
                    slotLength: .fixed(minutes: 60), serviceTypes: [Code(system: "urn:bench:service", code: "on-call")])
            )
            for (m, d) in [(1, 1), (8, 15), (12, 25)] {
                exceptions.append(
                    AvailabilityException(
                        id: "\(id)-h-\(m)-\(d)", scope: .schedule(id), effect: .closure(.holiday),
                        span: .days(from: LocalDate(2024, m, d), through: LocalDate(2024, m, d)), yearly: true))
            }
        }
        return (schedules, rules, exceptions)
    }

    func compareWithReference(
        schedules: [Schedule], expanders: [SlotExpander], oursRate: Double, dir: URL, zone: ZoneResolver
    ) throws {
        var config: [[String: Any]] = []
        for s in schedules {
            config.append([
                "id": s.id, "timeZone": s.timeZone,
                "yearlyClosures": ["01-01", "08-15", "12-25"],
                "rules": [
                    [
                        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
                        "openings": [["08:00", "13:00"], ["14:00", "18:00"]], "slotMinutes": 15,
                    ],
                    ["weekdays": ["sat"], "openings": [["09:00", "12:00"]], "slotMinutes": 15],
                    [
                        "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                        "openings": [["00:00", "04:00"]], "slotMinutes": 60,
                    ],
                ],
            ])
        }
        let configURL = dir.appendingPathComponent("expand.json")
        try JSONSerialization.data(withJSONObject: ["schedules": config]).write(to: configURL)
        let run = try PythonScript.run(
            python,
            [
                "scripts/bench/expand_reference.py", "--config", configURL.path, "--from", "2025-01-01", "--to",
                "2026-01-01", "--dump-days", "2025-03-30,2025-10-26", "--rounds", "1",
            ])
        guard let json = run.json, let rate = json["slots_per_s"] as? Double, let refSlots = json["slots"] as? Int,
            let dump = json["dump"] as? [String]
        else {
            print("reference expander failed (status \(run.status))")
            return
        }
        var ours: [String] = []
        for dayText in ["2025-03-30", "2025-10-26"] {
            let day = LocalDate(dayText)!
            for x in expanders.prefix(3) {
                for s in x.slots(
                    from: zone.instant(day, minuteOfDay: 0), to: zone.instant(day.adding(days: 1), minuteOfDay: 0))
                {
                    let f = ISO8601DateFormatter()
                    f.timeZone = TimeZone(identifier: "UTC")
                    ours.append(
                        "\(x.schedule.id) \(f.string(from: s.start)) \(s.unavailableReason == .closed ? "closed" : "open")"
                    )
                }
            }
        }
        let equal = ours == dump
        print("reference (Python zoneinfo, same rules): \(refSlots) slots, \(Measure.format(rate, 0)) slots/s")
        print(
            "gate: DST days slot-for-slot \(equal ? "equal" : "DIFFERENT") (\(ours.count) slots on 2025-03-30 and 2025-10-26 for 3 schedules); totals \(refSlots == expanders.reduce(0) { $0 + $1.slots(from: zone.instant(Self.year.0, minuteOfDay: 0), to: zone.instant(Self.year.1, minuteOfDay: 0)).count } ? "equal" : "DIFFERENT")"
        )
        if !equal { print("ours: \(ours.prefix(6))\nref:  \(dump.prefix(6))") }
        print("ours/reference = \(Measure.format(oursRate / rate, 1))x (goal >= 30x)")
    }

    /// The physical limit: the booking transaction shape in raw SQL, one durable commit per booking.
    static func rawSQLiteBookings(count: Int, concurrency: Int, path: String) throws -> Double {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: path, configuration: config)
        try pool.write { db in
            try db.execute(
                sql: "CREATE TABLE slot (id INTEGER PRIMARY KEY, capacity INTEGER NOT NULL, used INTEGER NOT NULL)")
            try db.execute(
                sql: "CREATE TABLE booking (id INTEGER PRIMARY KEY, slot_id INTEGER NOT NULL, patient TEXT NOT NULL)")
            for i in 0..<count { try db.execute(sql: "INSERT INTO slot VALUES (?, 1, 0)", arguments: [i]) }
        }
        let t0 = Measure.now()
        DispatchQueue.concurrentPerform(iterations: concurrency) { worker in
            for i in stride(from: worker, to: count, by: concurrency) {
                try? pool.write { db in
                    try db.execute(
                        sql: "UPDATE slot SET used = used + 1 WHERE id = ? AND used < capacity", arguments: [i])
                    if db.changesCount == 1 {
                        try db.execute(
                            sql: "INSERT INTO booking (slot_id, patient) VALUES (?, ?)", arguments: [i, "p\(i)"])
                    }
                }
            }
        }
        return Double(count) / (Measure.now() - t0)
    }
}

/// A clock that does not move (benchmarks).
struct FixedClock: BookingClock {
    let date: Date
    func now() -> Date { date }
}
