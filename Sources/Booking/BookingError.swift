import Foundation

/// Everything the booking domain refuses, with no HTTP in it (the server maps these to statuses).
public enum BookingError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidTimeZone(String)
    case notFound(kind: String, id: String)
    case invalid(kind: String, problems: [String])
    case slotNotFound(SlotID)
    case slotUnavailable(SlotID, UnavailableReason)
    case slotFull(SlotID)
    case dailyLimitReached(scheduleID: String, date: LocalDate)
    case overlap(resourceID: String)
    case invalidTransition(from: AppointmentStatus, to: AppointmentStatus)
    case holdNotFound(String)
    case holdExpired(String)
    case holdMismatch(String)
    case versionConflict(expected: Int, actual: Int)
    case availabilityChanged(scheduleID: String)
    case wrongMode(scheduleID: String, mode: BookingMode)
    case notOffered(String)
    case storage(String)

    public var description: String {
        switch self {
        case .invalidTimeZone(let z): "unknown IANA time zone '\(z)'"
        case .notFound(let k, let id): "\(k) '\(id)' not found"
        case .invalid(let k, let p): "invalid \(k): \(p.joined(separator: "; "))"
        case .slotNotFound(let s): "slot '\(s)' does not exist"
        case .slotUnavailable(let s, let r): "slot '\(s)' is not bookable (\(r.rawValue))"
        case .slotFull(let s): "slot '\(s)' is full"
        case .dailyLimitReached(let s, let d): "schedule '\(s)' has reached its booking limit for \(d)"
        case .overlap(let r): "resource '\(r)' already has an appointment at that time"
        case .invalidTransition(let f, let t): "an appointment cannot go from \(f.rawValue) to \(t.rawValue)"
        case .holdNotFound(let h): "hold '\(h)' not found"
        case .holdExpired(let h): "hold '\(h)' has expired"
        case .holdMismatch(let h): "hold '\(h)' does not cover the requested slots"
        case .versionConflict(let e, let a): "version conflict: expected \(e), found \(a)"
        case .availabilityChanged(let s): "the availability of schedule '\(s)' changed meanwhile"
        case .wrongMode(let s, let m): "schedule '\(s)' is in \(m.rawValue) mode"
        case .notOffered(let why): "not offered: \(why)"
        case .storage(let m): "storage error: \(m)"
        }
    }

    /// True for conflicts a client may resolve by choosing another slot or retrying.
    public var isConflict: Bool {
        switch self {
        case .slotFull, .slotUnavailable, .dailyLimitReached, .overlap, .holdExpired, .versionConflict,
            .availabilityChanged:
            true
        default: false
        }
    }
}
