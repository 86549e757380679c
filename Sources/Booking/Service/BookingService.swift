import Foundation

/// Deployment settings of the booking domain (documented defaults).
public struct BookingConfiguration: Sendable {
    /// Mode of schedules that do not choose one. Default: full.
    public var defaultMode: BookingMode
    /// How long a hold lasts. Default: 5 minutes.
    public var holdMinutes: Int
    /// How long a waitlist offer holds freed capacity. Default: 60 minutes.
    public var waitlistOfferMinutes: Int

    public init(defaultMode: BookingMode = .full, holdMinutes: Int = 5, waitlistOfferMinutes: Int = 60) {
        self.defaultMode = defaultMode
        self.holdMinutes = holdMinutes
        self.waitlistOfferMinutes = waitlistOfferMinutes
    }
}

/// The booking domain's commands and queries over a ``BookingStore`` and a ``BookingClock``.
///
/// Validation that depends only on rules and time happens here; every capacity decision happens in the
/// store's transaction. Availability versions make a booking validated against rules that changed meanwhile
/// fail and retry instead of slipping past the recheck that flags appointments.
public struct BookingService: Sendable {
    public let store: any BookingStore
    public let clock: any BookingClock
    public let configuration: BookingConfiguration
    let cache = AvailabilityCache()

    public init(
        store: any BookingStore, clock: any BookingClock = SystemClock(), configuration: BookingConfiguration = .init()
    ) {
        self.store = store
        self.clock = clock
        self.configuration = configuration
    }

    /// A new opaque identifier.
    static func newID() -> String { UUID().uuidString.lowercased() }

    func requireSchedule(_ id: String) async throws -> Schedule {
        guard let s = try await store.schedule(id: id) else { throw BookingError.notFound(kind: "Schedule", id: id) }
        return s
    }

    /// The expander of a schedule with its current rules and exceptions (cached per availability version).
    func expander(for schedule: Schedule, version known: Int? = nil) async throws -> SlotExpander {
        let version: Int
        if let known {
            version = known
        } else {
            version = try await store.availabilityVersions(scheduleIDs: [schedule.id])[schedule.id] ?? 0
        }
        if let cached = cache.expander(scheduleID: schedule.id, version: version), cached.schedule == schedule {
            return cached
        }
        let expander = try SlotExpander(
            schedule: schedule, rules: try await store.rules(scheduleID: schedule.id),
            exceptions: try await store.exceptions())
        cache.store(expander, version: version)
        return expander
    }

    /// Retries `body` when the availability changed between validation and commit.
    func retryingOnAvailabilityChange<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch BookingError.availabilityChanged(let s) {
                attempt += 1
                if attempt >= 5 { throw BookingError.availabilityChanged(scheduleID: s) }
            }
        }
    }
}
