import Foundation

/// Capacity one booking or hold takes, as the store must enforce it atomically.
public enum CapacityClaim: Sendable, Hashable, Codable {
    /// One place in a fixed slot of `capacity`, optionally counting against a daily limit.
    case slot(SlotID, end: Date, capacity: Int, dailyLimit: DailyLimit?)
    /// A time interval on a schedule's resources (appointments mode, or a flexible slot): refused when it
    /// overlaps `capacity` or more active intervals of the same resource, unless overlaps are allowed.
    case interval(scheduleID: String, resourceIDs: [String], start: Date, end: Date, capacity: Int, allowOverlap: Bool)

    public var scheduleID: String {
        switch self {
        case .slot(let id, _, _, _): id.scheduleID
        case .interval(let s, _, _, _, _, _): s
        }
    }
}

/// A per-schedule, per-local-day booking limit.
public struct DailyLimit: Sendable, Hashable, Codable {
    public var date: LocalDate
    public var limit: Int

    public init(date: LocalDate, limit: Int) {
        self.date = date
        self.limit = limit
    }
}

/// A side effect written in the same transaction as the change that causes it (notifications, video rooms,
/// audit): a later worker delivers it, so a committed change never loses its effect and a rolled-back one never
/// has one.
public struct OutboxMessage: Sendable, Hashable, Codable {
    public var kind: String
    public var aggregateID: String
    public var payload: [String: String]

    public init(kind: String, aggregateID: String, payload: [String: String] = [:]) {
        self.kind = kind
        self.aggregateID = aggregateID
        self.payload = payload
    }
}
