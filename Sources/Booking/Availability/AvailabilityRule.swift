/// How often a rule opens.
public enum Recurrence: Sendable, Hashable, Codable {
    /// Every `interval` days from the rule's first valid day.
    case daily(interval: Int)
    /// On the given weekdays, every `interval` weeks from the week of the rule's first valid day.
    case weekly(weekdays: Set<Weekday>, interval: Int)
    /// On the given days of the month (1…31; days a month lacks are skipped).
    case monthlyOnDays([Int])
    /// On the n-th weekday of each month (1…4, or -1 for the last one), e.g. the first Monday.
    case monthlyOnWeekday(ordinal: Int, weekday: Weekday)

    /// Whether the rule opens on `date`, counting intervals from `anchor`.
    public func matches(_ date: LocalDate, anchor: LocalDate) -> Bool {
        switch self {
        case .daily(let interval):
            let d = date.daysSinceEpoch - anchor.daysSinceEpoch
            return d >= 0 && d % max(1, interval) == 0
        case .weekly(let weekdays, let interval):
            guard weekdays.contains(date.weekday) else { return false }
            if interval <= 1 { return true }
            let weekStart = { (d: LocalDate) in d.daysSinceEpoch - Weekday.allCases.firstIndex(of: d.weekday)! }
            let weeks = (weekStart(date) - weekStart(anchor)) / 7
            return weeks >= 0 && weeks % interval == 0
        case .monthlyOnDays(let days):
            return days.contains(date.day)
        case .monthlyOnWeekday(let ordinal, let weekday):
            guard date.weekday == weekday else { return false }
            if ordinal == -1 { return date.day + 7 > LocalDate.daysIn(date.year, date.month) }
            return (date.day - 1) / 7 + 1 == ordinal
        }
    }
}

/// A local opening `start`–`end`; an `end` at or before `start` runs past midnight into the next day.
public struct OpeningHours: Sendable, Hashable, Codable {
    public var start: LocalTime
    public var end: LocalTime

    public init(_ start: LocalTime, _ end: LocalTime) {
        self.start = start
        self.end = end
    }

    public var crossesMidnight: Bool { end <= start }
}

/// Slot length: fixed, or flexible (the whole opening bookable for any duration in a range).
public enum SlotLength: Sendable, Hashable, Codable {
    case fixed(minutes: Int)
    case flexible(minMinutes: Int, maxMinutes: Int)
}

/// Whether slots may be used for teleconsultation.
public enum TeleconsultationPolicy: String, Sendable, Hashable, Codable {
    case inPersonOnly, allowed, only

    public func permits(teleconsultation: Bool) -> Bool {
        switch self {
        case .inPersonOnly: !teleconsultation
        case .allowed: true
        case .only: teleconsultation
        }
    }
}

/// When and how a schedule can be booked.
public struct AvailabilityRule: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var scheduleID: String
    public var recurrence: Recurrence
    public var openings: [OpeningHours]
    /// First day the rule applies (local date).
    public var validFrom: LocalDate
    /// Last day the rule applies; nil: open-ended.
    public var validUntil: LocalDate?
    public var slotLength: SlotLength
    public var bufferBeforeMinutes: Int
    public var bufferAfterMinutes: Int
    /// Minutes between consecutive slot starts; nil: buffer before + length + buffer after.
    public var gridMinutes: Int?
    /// Patients per slot (e.g. 3 for a vaccination slot).
    public var capacity: Int
    /// Bookings allowed per local day on this schedule from this rule; nil: no limit.
    public var maxBookingsPerDay: Int?
    public var serviceTypes: [Code]
    public var specialties: [Code]
    public var appointmentTypes: [Code]
    /// Bookings must be made at least this long before the slot starts.
    public var minimumNoticeMinutes: Int
    /// Bookings may be made at most this many days ahead; nil: no horizon.
    public var horizonDays: Int?
    public var teleconsultation: TeleconsultationPolicy
    /// True when the rule stands for one Slot a client published (a one-off opening of exactly that slot):
    /// it is written and removed through the Slot, not listed among the schedule's own rules.
    public var publishedSlot: Bool?

    public init(
        id: String, scheduleID: String, recurrence: Recurrence, openings: [OpeningHours], validFrom: LocalDate,
        validUntil: LocalDate? = nil, slotLength: SlotLength, bufferBeforeMinutes: Int = 0, bufferAfterMinutes: Int = 0,
        gridMinutes: Int? = nil, capacity: Int = 1, maxBookingsPerDay: Int? = nil, serviceTypes: [Code] = [],
        specialties: [Code] = [], appointmentTypes: [Code] = [], minimumNoticeMinutes: Int = 0,
        horizonDays: Int? = nil, teleconsultation: TeleconsultationPolicy = .inPersonOnly
    ) {
        self.id = id
        self.scheduleID = scheduleID
        self.recurrence = recurrence
        self.openings = openings
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.slotLength = slotLength
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.gridMinutes = gridMinutes
        self.capacity = capacity
        self.maxBookingsPerDay = maxBookingsPerDay
        self.serviceTypes = serviceTypes
        self.specialties = specialties
        self.appointmentTypes = appointmentTypes
        self.minimumNoticeMinutes = minimumNoticeMinutes
        self.horizonDays = horizonDays
        self.teleconsultation = teleconsultation
    }

    /// Whether the rule opens on `date`.
    public func opens(on date: LocalDate) -> Bool {
        date >= validFrom && (validUntil.map { date <= $0 } ?? true) && recurrence.matches(date, anchor: validFrom)
    }

    /// Problems that make the rule unusable, empty when it is valid.
    public var problems: [String] {
        var out: [String] = []
        if openings.isEmpty { out.append("a rule needs at least one opening") }
        if capacity < 1 { out.append("capacity must be at least 1") }
        switch slotLength {
        case .fixed(let m) where m <= 0: out.append("slot length must be positive")
        case .flexible(let lo, let hi) where lo <= 0 || hi < lo: out.append("flexible length range is invalid")
        default: break
        }
        if let g = gridMinutes, g <= 0 { out.append("grid must be positive") }
        if bufferBeforeMinutes < 0 || bufferAfterMinutes < 0 { out.append("buffers cannot be negative") }
        if minimumNoticeMinutes < 0 { out.append("minimum notice cannot be negative") }
        if let h = horizonDays, h < 0 { out.append("horizon cannot be negative") }
        if let u = validUntil, u < validFrom { out.append("validUntil is before validFrom") }
        if case .weekly(let days, _) = recurrence, days.isEmpty { out.append("a weekly rule needs weekdays") }
        if case .monthlyOnDays(let days) = recurrence, days.isEmpty || days.contains(where: { !(1...31).contains($0) })
        {
            out.append("monthly days must be 1...31")
        }
        return out
    }
}
