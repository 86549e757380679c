import Booking
import BookingSQLite
import BookingTestSupport
import Foundation

/// A fresh SQLite store in a temporary folder, a manual clock, and a small clinic in Europe/Rome.
struct StoreFixture {
    let path: String
    let store: SQLiteBookingStore
    let clock: ManualClock
    let service: BookingService
    static let rome = try! ZoneResolver(identifier: "Europe/Rome")
    static let patient = Participant(actor: ParticipantActor(.patient, "p1"))
    static let vaccination = Code(system: "urn:test:service", code: "vaccination")
    static let visit = Code(system: "urn:test:service", code: "visit")

    init(now: String = "2025-06-02T08:00:00+02:00", mode: BookingMode = .full) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("booking-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("gateway.sqlite").path
        store = try SQLiteBookingStore(path: path)
        clock = ManualClock(instant(now))
        service = BookingService(store: store, clock: clock, configuration: BookingConfiguration(defaultMode: mode))
    }

    /// Dr Rossi (weekdays 09-13, 30 min, capacity `capacity`), room 1 (weekdays 09-13, 30 min), nurse schedule
    /// in appointments mode.
    func seedClinic(capacity: Int = 1, notice: Int = 0, horizon: Int? = nil, dailyLimit: Int? = nil) async throws {
        for (id, kind) in [
            ("rossi", BookableResource.Kind.practitioner), ("room1", .location), ("nurse", .practitioner),
        ] {
            try await service.saveResource(BookableResource(id: id, kind: kind, name: id, timeZone: "Europe/Rome"))
        }
        try await service.saveSchedule(Schedule(id: "dr-rossi", resourceIDs: ["rossi"], timeZone: "Europe/Rome"))
        try await service.saveSchedule(Schedule(id: "room-1", resourceIDs: ["room1"], timeZone: "Europe/Rome"))
        try await service.saveSchedule(
            Schedule(id: "nurse", resourceIDs: ["nurse"], mode: .appointments, timeZone: "Europe/Rome"))
        let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
        try await service.saveRule(
            AvailabilityRule(
                id: "rossi-mornings", scheduleID: "dr-rossi", recurrence: .weekly(weekdays: weekdays, interval: 1),
                openings: [OpeningHours(LocalTime(9), LocalTime(13))], validFrom: LocalDate(2025, 1, 1),
                slotLength: .fixed(minutes: 30), capacity: capacity, maxBookingsPerDay: dailyLimit,
                serviceTypes: [Self.visit, Self.vaccination], minimumNoticeMinutes: notice, horizonDays: horizon,
                teleconsultation: .allowed))
        try await service.saveRule(
            AvailabilityRule(
                id: "room-1-mornings", scheduleID: "room-1", recurrence: .weekly(weekdays: weekdays, interval: 1),
                openings: [OpeningHours(LocalTime(9), LocalTime(13))], validFrom: LocalDate(2025, 1, 1),
                slotLength: .fixed(minutes: 30)))
    }

    func slot(_ schedule: String, _ local: String) -> SlotID {
        SlotID(scheduleID: schedule, start: instant(local))
    }

    func request(_ slots: [SlotID], patient: String = "p1", key: String? = nil) -> BookingRequest {
        BookingRequest(
            slotIDs: slots, participants: [Participant(actor: ParticipantActor(.patient, patient))],
            clientRequestID: key)
    }
}
