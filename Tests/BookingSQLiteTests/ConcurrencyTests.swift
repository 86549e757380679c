import Booking
import BookingSQLite
import BookingTestSupport
import FHIRTestSupport
import Foundation
import Testing

/// A slot is never booked beyond its capacity, whatever the number of tasks, connections or processes.
@Suite("Booking concurrency")
struct ConcurrencyTests {
    /// A clinic whose slot is in the future for the real clock (the processes use it).
    static func seed(_ path: String) async throws -> SlotID {
        let store = try SQLiteBookingStore(path: path)
        let service = BookingService(store: store)
        try await service.saveResource(
            BookableResource(id: "vax", kind: .location, name: "Vaccination", timeZone: "Europe/Rome"))
        try await service.saveSchedule(Schedule(id: "vax", resourceIDs: ["vax"], timeZone: "Europe/Rome"))
        try await service.saveRule(
            AvailabilityRule(
                id: "vax-days", scheduleID: "vax", recurrence: .daily(interval: 1),
                openings: [OpeningHours(LocalTime(9), LocalTime(12))], validFrom: LocalDate(2020, 1, 1),
                slotLength: .fixed(minutes: 15), capacity: 3))
        let zone = try ZoneResolver(identifier: "Europe/Rome")
        let day = zone.local(Date()).date.adding(days: 7)
        return SlotID(scheduleID: "vax", start: zone.instant(day, minuteOfDay: 9 * 60))
    }

    static func temporaryDatabase() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("race.sqlite").path
    }

    @Test("200 concurrent bookings of a capacity-3 slot over 4 connections: exactly 3 succeed, the rest conflict")
    func concurrentTasks() async throws {
        let path = try Self.temporaryDatabase()
        let slot = try await Self.seed(path)
        let services = try (0..<4).map { _ in BookingService(store: try SQLiteBookingStore(path: path)) }
        let outcomes = await withTaskGroup(of: String.self) { group in
            for i in 0..<200 {
                group.addTask {
                    do {
                        let r = BookingRequest(
                            slotIDs: [slot], participants: [Participant(actor: ParticipantActor(.patient, "t\(i)"))])
                        _ = try await services[i % 4].book(r)
                        return "booked"
                    } catch let e as BookingError where e == .slotFull(slot) {
                        return "full"
                    } catch {
                        return "other: \(error)"
                    }
                }
            }
            var all: [String] = []
            for await o in group { all.append(o) }
            return all
        }
        #expect(outcomes.filter { $0 == "booked" }.count == 3)
        #expect(outcomes.filter { $0 == "full" }.count == 197, "\(Set(outcomes))")
        let store = try SQLiteBookingStore(path: path)
        #expect(try await store.consistencyProblems(now: Date()).isEmpty)
        #expect(try await store.appointments(AppointmentQuery(scheduleIDs: ["vax"])).count == 3)
    }

    @Test("two OS processes booking the same slot on one SQLite file: exactly 3 succeed in all")
    func twoProcesses() async throws {
        let path = try Self.temporaryDatabase()
        let slot = try await Self.seed(path)
        let binary = Conformance.repositoryRoot.appendingPathComponent(".build/debug/booking-gateway").path
        let results = try await withThrowingTaskGroup(of: Shell.Result.self) { group in
            for p in ["a", "b"] {
                group.addTask {
                    try Shell.run(
                        binary,
                        [
                            "race", "--database", path, "--slot", slot.description, "--attempts", "100",
                            "--patient-prefix", p,
                        ])
                }
            }
            var all: [Shell.Result] = []
            for try await r in group { all.append(r) }
            return all
        }
        var booked = 0
        var conflicts = 0
        for r in results {
            #expect(r.status == 0, "\(r.stderr)")
            let node = try RaceOutput.parse(r.stdout)
            booked += node["booked"] ?? 0
            conflicts += node["conflicts"] ?? 0
            #expect(node["errors"] == 0, "\(r.stderr)")
        }
        #expect(booked == 3)
        #expect(conflicts == 197)
        let store = try SQLiteBookingStore(path: path)
        #expect(try await store.consistencyProblems(now: Date()).isEmpty)
        #expect(try await store.appointments(AppointmentQuery(scheduleIDs: ["vax"])).count == 3)
    }
}

/// Reads the race command's one-line JSON of integers.
enum RaceOutput {
    static func parse(_ text: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst().dropLast()
        for pair in body.split(separator: ",") {
            let kv = pair.split(separator: ":")
            guard kv.count == 2 else { continue }
            let key = kv[0].trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
            out[key] = Int(kv[1].trimmingCharacters(in: .whitespaces))
        }
        return out
    }
}
