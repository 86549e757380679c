import Foundation

/// A schedule shared with a regional booking centre (CUP).
///
/// - competitive: the CUP and the local desk both book, first come first served.
/// - exclusive: only the CUP books a slot until `releaseHours` before its start; after that the slot opens to
///   local booking too (unused CUP capacity is not wasted).
///
/// A booking is the CUP's when it carries a business identifier in `cupSystem`, the system of the CUP's own
/// booking ids (kept on the appointment and findable by `identifier`). Until access control lands, that
/// identifier is the CUP's claim; an authenticated channel will replace it without changing the rule.
/// To share part of an agenda, split it into two schedules and share one.
public struct AgendaSharing: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case competitive, exclusive
    }

    public var mode: Mode
    public var cupSystem: String
    /// Exclusive mode: hours before a slot's start from which local booking is allowed.
    public var releaseHours: Int

    public init(mode: Mode, cupSystem: String, releaseHours: Int = 72) {
        self.mode = mode
        self.cupSystem = cupSystem
        self.releaseHours = releaseHours
    }

    /// Whether a booking with `identifiers` is the CUP's.
    public func isCUPBooking(_ identifiers: [BusinessIdentifier]) -> Bool {
        identifiers.contains { $0.system == cupSystem }
    }

    /// When local booking of a slot starting at `start` opens (nil: it is always open).
    public func localRelease(slotStart start: Date) -> Date? {
        mode == .exclusive ? start.addingTimeInterval(-Double(releaseHours) * 3600) : nil
    }
}
