import Foundation

/// Persistence of the booking domain. Every method is one transaction; every capacity check happens inside it
/// (never read-then-write in Swift), so the guarantees hold across threads and processes. Implementations:
/// SQLite (BookingSQLite) now, PostgreSQL later; one contract suite runs against each.
public protocol BookingStore: Sendable {
    // MARK: Directory
    func upsertResource(_ resource: BookableResource) async throws
    func resource(id: String) async throws -> BookableResource?
    func resources() async throws -> [BookableResource]
    /// Saves a schedule; bumps its availability version.
    func upsertSchedule(_ schedule: Schedule) async throws
    func schedule(id: String) async throws -> Schedule?
    /// The schedule with its availability version, read together.
    func scheduleAndVersion(id: String) async throws -> (schedule: Schedule, version: Int)?
    /// Every schedule with its availability version, read together.
    func schedulesAndVersions() async throws -> [(schedule: Schedule, version: Int)]
    func schedules() async throws -> [Schedule]

    // MARK: Availability (each change bumps the availability version of the schedules it touches and records a
    // recheck job in the same transaction)
    func upsertRule(_ rule: AvailabilityRule) async throws
    func deleteRule(id: String) async throws -> AvailabilityRule?
    func rules(scheduleID: String?) async throws -> [AvailabilityRule]
    func upsertException(_ exception: AvailabilityException, affectedSchedules: [String]) async throws
    func deleteException(id: String, affectedSchedules: [String]) async throws -> AvailabilityException?
    func exceptions() async throws -> [AvailabilityException]
    /// Current availability versions of the schedules.
    func availabilityVersions(scheduleIDs: [String]) async throws -> [String: Int]
    /// Applies a whole availability change (a schedule, its rules and exceptions) and `attached` in one
    /// transaction, bumping the versions of every schedule it touches (their recheck jobs set).
    func apply(_ change: AvailabilityChange, attached: (any AttachedWork)?) async throws -> (any Sendable)?
    /// Schedules whose availability changed and whose appointments have not been rechecked since.
    func pendingRechecks() async throws -> [String]

    // MARK: Capacity
    /// Places taken per slot (bookings and live holds) at `now`.
    func slotUsage(_ slots: [SlotID], now: Date) async throws -> [SlotID: Int]
    /// Slot places taken for every slot of `scheduleID` starting in `[from, to)`.
    func slotUsage(scheduleID: String, from: Date, to: Date, now: Date) async throws -> [SlotID: Int]
    func dayUsage(scheduleID: String, dates: [LocalDate], now: Date) async throws -> [LocalDate: Int]
    /// ``slotUsage(scheduleID:from:to:now:)`` and ``dayUsage(scheduleID:dates:now:)`` in one read.
    func usage(scheduleID: String, from: Date, to: Date, dates: [LocalDate], now: Date) async throws
        -> (slots: [SlotID: Int], days: [LocalDate: Int])

    // MARK: Commands
    /// Takes every claim or none; idempotent by `hold.requestKey` (returns the live hold for the same key).
    func placeHold(_ hold: Hold, now: Date) async throws -> Hold
    func releaseHold(id: String, now: Date) async throws
    func hold(id: String) async throws -> Hold?
    /// Books atomically: returns the existing appointment when its client request id or an identifier is
    /// already booked; otherwise consumes `holdID` (whose claims must equal `claims`) or takes `claims`,
    /// checks the availability versions, and writes the appointment, its first version and `outbox`.
    func book(_ command: BookCommand, now: Date) async throws -> (appointment: Appointment, created: Bool)
    /// Applies every step in order, then `attached` (another store's writes, e.g. a FHIR transaction's other
    /// resources), in one transaction: all or nothing. `attached` sees the steps' results (for a booking, the
    /// existing appointment with `created` false when it repeats one).
    func commit(_ steps: [StoreStep], now: Date, attached: any AttachedWork) async throws
        -> (results: [(appointment: Appointment, created: Bool)], attached: any Sendable)
    /// Replaces an appointment (status, participants, fields) with the capacity `action`: `release` frees its
    /// claims and offers freed slots to the waitlist, `claim` takes `claims`, `move` releases the old claims and
    /// takes `claims` (reschedule); all or nothing, with `expectedVersion` checked.
    func update(_ command: UpdateCommand, now: Date) async throws -> Appointment
    func appointment(id: String) async throws -> Appointment?
    func appointments(_ query: AppointmentQuery) async throws -> [Appointment]
    /// Every version of an appointment, oldest first.
    func history(appointmentID: String) async throws -> [Appointment]
    /// Versions of every appointment recorded at or after `since`, newest first, at most `limit`.
    /// (`since` and `until` inclusive; ties by appointment id and version, descending.)
    func recentVersions(since: Date?, until: Date?, limit: Int) async throws -> [Appointment]
    /// Flags appointments (that still hold capacity) as needing rescheduling, and clears the recheck job of each
    /// schedule in `recheckedVersions` whose availability version is still the one that was checked.
    func flag(_ flags: [String: RescheduleFlag], recheckedVersions: [String: Int], outbox: [OutboxMessage]) async throws

    // MARK: Waitlist
    func addWaitlistEntry(_ entry: WaitlistEntry) async throws
    func waitlist() async throws -> [WaitlistEntry]

    // MARK: Outbox
    func pendingOutbox(limit: Int) async throws -> [(id: Int64, message: OutboxMessage)]
}

/// The handle of a store transaction, for work of another store that shares its database (see
/// ``AttachedWork``); `underlying` is the store's own connection object (a GRDB `Database` for SQLite).
public protocol StoreTransaction {
    var underlying: Any { get }
}

/// Writes of another store that commit or roll back with the booking store's transaction.
public protocol AttachedWork: Sendable {
    /// Runs inside the transaction after the steps; throwing rolls everything back.
    func apply(in transaction: any StoreTransaction, results: [(appointment: Appointment, created: Bool)]) throws
        -> any Sendable
}

/// A schedule's availability written as one: the schedule, rules and exceptions to save, rules and exceptions to
/// delete, with the schedules each exception touches.
public struct AvailabilityChange: Sendable {
    public var schedule: Schedule?
    public var saveRules: [AvailabilityRule] = []
    public var deleteRules: [String] = []
    public var saveExceptions: [(exception: AvailabilityException, affectedSchedules: [String])] = []
    public var deleteExceptions: [(id: String, affectedSchedules: [String])] = []

    public init(schedule: Schedule?) { self.schedule = schedule }

    /// Every schedule whose availability the change touches.
    public var affectedSchedules: [String] {
        Array(
            Set(
                (schedule.map { [$0.id] } ?? []) + saveRules.map(\.scheduleID)
                    + saveExceptions.flatMap(\.affectedSchedules) + deleteExceptions.flatMap(\.affectedSchedules))
        ).sorted()
    }
}

/// One step of a unit of work (``BookingStore/commit(_:now:attached:)``).
public enum StoreStep: Sendable {
    case book(BookCommand)
    case update(UpdateCommand)
}

/// A booking to write.
public struct BookCommand: Sendable {
    public var appointment: Appointment
    public var claims: [CapacityClaim]
    public var holdID: String?
    /// The availability versions the request was validated against.
    public var availabilityVersions: [String: Int]
    public var outbox: [OutboxMessage]

    public init(
        appointment: Appointment, claims: [CapacityClaim], holdID: String?, availabilityVersions: [String: Int],
        outbox: [OutboxMessage]
    ) {
        self.appointment = appointment
        self.claims = claims
        self.holdID = holdID
        self.availabilityVersions = availabilityVersions
        self.outbox = outbox
    }
}

/// A change to an appointment.
public struct UpdateCommand: Sendable {
    public enum Action: Sendable {
        case none
        case release(freedSlots: [Slot])
        case claim
        case move(freedSlots: [Slot])
    }

    public var appointment: Appointment
    public var expectedVersion: Int
    public var action: Action
    public var claims: [CapacityClaim]
    public var availabilityVersions: [String: Int]
    public var outbox: [OutboxMessage]
    /// Minutes a waitlist offer holds freed capacity.
    public var waitlistOfferMinutes: Int

    public init(
        appointment: Appointment, expectedVersion: Int, action: Action, claims: [CapacityClaim] = [],
        availabilityVersions: [String: Int] = [:], outbox: [OutboxMessage] = [], waitlistOfferMinutes: Int = 60
    ) {
        self.appointment = appointment
        self.expectedVersion = expectedVersion
        self.action = action
        self.claims = claims
        self.availabilityVersions = availabilityVersions
        self.outbox = outbox
        self.waitlistOfferMinutes = waitlistOfferMinutes
    }
}

/// Which appointments to list.
public struct AppointmentQuery: Sendable {
    public var scheduleIDs: [String]?
    public var statuses: [AppointmentStatus]?
    public var from: Date?
    public var to: Date?
    public var needsReschedule: Bool?
    public var identifier: BusinessIdentifier?
    public var patientID: String?

    public init(
        scheduleIDs: [String]? = nil, statuses: [AppointmentStatus]? = nil, from: Date? = nil, to: Date? = nil,
        needsReschedule: Bool? = nil, identifier: BusinessIdentifier? = nil, patientID: String? = nil
    ) {
        self.scheduleIDs = scheduleIDs
        self.statuses = statuses
        self.from = from
        self.to = to
        self.needsReschedule = needsReschedule
        self.identifier = identifier
        self.patientID = patientID
    }
}

extension BookingStore {
    public func schedulesAndVersions() async throws -> [(schedule: Schedule, version: Int)] {
        let all = try await schedules()
        let versions = try await availabilityVersions(scheduleIDs: all.map(\.id))
        return all.map { ($0, versions[$0.id] ?? 0) }
    }

    public func scheduleAndVersion(id: String) async throws -> (schedule: Schedule, version: Int)? {
        guard let s = try await schedule(id: id) else { return nil }
        return (s, try await availabilityVersions(scheduleIDs: [id])[id] ?? 0)
    }

    public func usage(scheduleID: String, from: Date, to: Date, dates: [LocalDate], now: Date) async throws
        -> (slots: [SlotID: Int], days: [LocalDate: Int])
    {
        (
            try await slotUsage(scheduleID: scheduleID, from: from, to: to, now: now),
            try await dayUsage(scheduleID: scheduleID, dates: dates, now: now)
        )
    }
}
