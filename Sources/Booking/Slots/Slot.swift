import Foundation

/// Whether a slot can be booked now.
public enum SlotStatus: String, Sendable, Codable {
    /// Capacity left and bookable now.
    case free
    /// Every place taken (by bookings or live holds).
    case busy
    /// Not bookable: closed by an exception, in the past or inside the minimum notice, beyond the horizon,
    /// or the day's booking limit is reached.
    case busyUnavailable = "busy-unavailable"
}

/// Why a slot is unavailable.
public enum UnavailableReason: String, Sendable, Codable {
    case closed, tooSoon, beyondHorizon, dailyLimitReached, past
}

/// A virtual slot: expanded on demand from the rules, never stored in bulk.
public struct Slot: Sendable, Hashable, Codable, Identifiable {
    public var id: SlotID
    public var scheduleID: String { id.scheduleID }
    public var start: Date { id.start }
    public var end: Date
    public var ruleID: String
    public var capacity: Int
    /// Places taken by bookings and live holds.
    public var booked: Int
    public var status: SlotStatus
    public var unavailableReason: UnavailableReason?
    /// For flexible slots: the allowed booking durations in minutes.
    public var flexibleMinutes: ClosedRange<Int>?
    public var serviceTypes: [Code]
    public var specialties: [Code]
    public var appointmentTypes: [Code]
    public var teleconsultation: TeleconsultationPolicy
    public var closedBy: String?

    public var remaining: Int { max(0, capacity - booked) }

    public init(
        id: SlotID, end: Date, ruleID: String, capacity: Int, booked: Int = 0, status: SlotStatus = .free,
        unavailableReason: UnavailableReason? = nil, flexibleMinutes: ClosedRange<Int>? = nil,
        serviceTypes: [Code] = [], specialties: [Code] = [], appointmentTypes: [Code] = [],
        teleconsultation: TeleconsultationPolicy = .inPersonOnly, closedBy: String? = nil
    ) {
        self.id = id
        self.end = end
        self.ruleID = ruleID
        self.capacity = capacity
        self.booked = booked
        self.status = status
        self.unavailableReason = unavailableReason
        self.flexibleMinutes = flexibleMinutes
        self.serviceTypes = serviceTypes
        self.specialties = specialties
        self.appointmentTypes = appointmentTypes
        self.teleconsultation = teleconsultation
        self.closedBy = closedBy
    }
}
