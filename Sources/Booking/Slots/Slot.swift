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

/// What a slot offers, shared by every slot a rule produces (one reference instead of copied arrays).
public final class SlotOffer: Sendable, Hashable, Codable {
    public let ruleID: String
    public let capacity: Int
    public let flexibleMinutes: ClosedRange<Int>?
    public let serviceTypes: [Code]
    public let specialties: [Code]
    public let appointmentTypes: [Code]
    public let teleconsultation: TeleconsultationPolicy

    public init(rule: AvailabilityRule) {
        ruleID = rule.id
        capacity = rule.capacity
        if case .flexible(let lo, let hi) = rule.slotLength { flexibleMinutes = lo...hi } else { flexibleMinutes = nil }
        serviceTypes = rule.serviceTypes
        specialties = rule.specialties
        appointmentTypes = rule.appointmentTypes
        teleconsultation = rule.teleconsultation
    }

    public static func == (a: SlotOffer, b: SlotOffer) -> Bool {
        a === b
            || (a.ruleID == b.ruleID && a.capacity == b.capacity && a.flexibleMinutes == b.flexibleMinutes
                && a.serviceTypes == b.serviceTypes && a.specialties == b.specialties
                && a.appointmentTypes == b.appointmentTypes && a.teleconsultation == b.teleconsultation)
    }

    public func hash(into h: inout Hasher) {
        h.combine(ruleID)
        h.combine(capacity)
    }
}

/// A virtual slot: expanded on demand from the rules, never stored in bulk.
public struct Slot: Sendable, Hashable, Codable, Identifiable {
    public var id: SlotID
    public var scheduleID: String { id.scheduleID }
    public var start: Date { id.start }
    public var end: Date
    public var offer: SlotOffer
    /// Places taken by bookings and live holds.
    public var booked: Int
    public var status: SlotStatus
    public var unavailableReason: UnavailableReason?
    public var closedBy: String?

    public var ruleID: String { offer.ruleID }
    public var capacity: Int { offer.capacity }
    /// For flexible slots: the allowed booking durations in minutes.
    public var flexibleMinutes: ClosedRange<Int>? { offer.flexibleMinutes }
    public var serviceTypes: [Code] { offer.serviceTypes }
    public var specialties: [Code] { offer.specialties }
    public var appointmentTypes: [Code] { offer.appointmentTypes }
    public var teleconsultation: TeleconsultationPolicy { offer.teleconsultation }
    public var remaining: Int { max(0, capacity - booked) }

    public init(
        id: SlotID, end: Date, offer: SlotOffer, booked: Int = 0, status: SlotStatus = .free,
        unavailableReason: UnavailableReason? = nil, closedBy: String? = nil
    ) {
        self.id = id
        self.end = end
        self.offer = offer
        self.booked = booked
        self.status = status
        self.unavailableReason = unavailableReason
        self.closedBy = closedBy
    }
}
