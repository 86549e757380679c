import Foundation

/// What a slot search looks for.
public struct SlotQuery: Sendable {
    public var from: Date
    public var to: Date
    /// Restrict to these schedules (nil: every active full-mode schedule).
    public var scheduleIDs: [String]?
    /// Restrict to schedules of these resources.
    public var resourceIDs: [String]?
    public var serviceType: Code?
    public var specialty: Code?
    public var appointmentType: Code?
    /// true: teleconsultation slots; false: in-person slots; nil: either.
    public var teleconsultation: Bool?
    /// Only slots that can be booked now.
    public var onlyFree: Bool
    public var limit: Int?

    public init(
        from: Date, to: Date, scheduleIDs: [String]? = nil, resourceIDs: [String]? = nil, serviceType: Code? = nil,
        specialty: Code? = nil, appointmentType: Code? = nil, teleconsultation: Bool? = nil, onlyFree: Bool = true,
        limit: Int? = nil
    ) {
        self.from = from
        self.to = to
        self.scheduleIDs = scheduleIDs
        self.resourceIDs = resourceIDs
        self.serviceType = serviceType
        self.specialty = specialty
        self.appointmentType = appointmentType
        self.teleconsultation = teleconsultation
        self.onlyFree = onlyFree
        self.limit = limit
    }
}

extension BookingService {
    /// The slots of a schedule starting in `[from, to)`, with bookings, holds, notice, horizon and daily
    /// limits applied.
    public func slots(scheduleID: String, from: Date, to: Date) async throws -> [Slot] {
        let schedule = try await requireSchedule(scheduleID)
        guard schedule.effectiveMode(default: configuration.defaultMode) == .full else {
            throw BookingError.wrongMode(scheduleID: scheduleID, mode: .appointments)
        }
        let expander = try await expander(for: schedule)
        return try await applyAvailability(expander.slots(from: from, to: to), expander: expander)
    }

    /// One slot by id, as listing would show it; nil when the rules do not produce it.
    public func slot(_ id: SlotID) async throws -> Slot? {
        try await slotInZone(id)?.slot
    }

    /// One slot by id with its schedule's zone (to write its local times), in one pass over the store.
    public func slotInZone(_ id: SlotID) async throws -> (slot: Slot, zone: ZoneResolver)? {
        guard let (schedule, version) = try await store.scheduleAndVersion(id: id.scheduleID),
            schedule.effectiveMode(default: configuration.defaultMode) == .full
        else { return nil }
        let expander = try await expander(for: schedule, version: version)
        guard let raw = expander.slot(id), let slot = try await applyAvailability([raw], expander: expander).first
        else { return nil }
        return (slot, expander.zone)
    }

    /// Free (or all) slots across schedules matching `query`, ordered by start.
    public func findSlots(_ query: SlotQuery) async throws -> [Slot] {
        // Schedules and their versions in one read (the expanders are cached per version).
        var schedules = try await store.schedulesAndVersions().filter {
            $0.schedule.active && $0.schedule.effectiveMode(default: configuration.defaultMode) == .full
        }
        if let ids = query.scheduleIDs { schedules = schedules.filter { ids.contains($0.schedule.id) } }
        if let rs = query.resourceIDs {
            schedules = schedules.filter { !Set($0.schedule.resourceIDs).isDisjoint(with: rs) }
        }
        var out: [Slot] = []
        for (schedule, version) in schedules {
            let expander = try await expander(for: schedule, version: version)
            let offered = expander.slots(from: query.from, to: query.to).filter { slot in
                (query.serviceType.map { q in slot.serviceTypes.contains { $0.matches(q) } } ?? true)
                    && (query.specialty.map { q in
                        slot.specialties.contains { $0.matches(q) } || schedule.specialties.contains { $0.matches(q) }
                    } ?? true)
                    && (query.appointmentType.map { q in
                        slot.appointmentTypes.isEmpty || slot.appointmentTypes.contains { $0.matches(q) }
                    } ?? true)
                    && (query.teleconsultation.map { slot.teleconsultation.permits(teleconsultation: $0) } ?? true)
            }
            var slots = try await applyAvailability(offered, expander: expander)
            if query.onlyFree { slots = slots.filter { $0.status == .free } }
            out += slots
        }
        out.sort { $0.id < $1.id }
        if let limit = query.limit { out = Array(out.prefix(limit)) }
        return out
    }

    /// Applies usage, notice, horizon and daily limits to expanded slots.
    func applyAvailability(_ raw: [Slot], expander: SlotExpander) async throws -> [Slot] {
        guard !raw.isEmpty else { return [] }
        let now = clock.now()
        var days: Set<LocalDate> = []
        for s in raw { days.insert(expander.zone.local(s.start).date) }
        let (usage, dayUsage) = try await store.usage(
            scheduleID: expander.schedule.id, from: raw.first!.start, to: raw.last!.start.addingTimeInterval(60),
            dates: Array(days), now: now)
        let rulesByID = ruleIndex(expander)
        return raw.map { slot in
            var s = slot
            s.booked = usage[s.id] ?? 0
            guard s.status == .free else { return s }
            let rule = rulesByID[s.ruleID]
            if s.start <= now {
                s.status = .busyUnavailable
                s.unavailableReason = .past
            } else if let rule, s.start.timeIntervalSince(now) < Double(rule.minimumNoticeMinutes * 60) {
                s.status = .busyUnavailable
                s.unavailableReason = .tooSoon
            } else if let rule, let h = rule.horizonDays, s.start.timeIntervalSince(now) > Double(h * 86400) {
                s.status = .busyUnavailable
                s.unavailableReason = .beyondHorizon
            } else if s.booked >= s.capacity {
                s.status = .busy
            } else if let limit = rule?.maxBookingsPerDay, (dayUsage[expander.zone.local(s.start).date] ?? 0) >= limit {
                s.status = .busyUnavailable
                s.unavailableReason = .dailyLimitReached
            }
            return s
        }
    }

    /// Rules and extra-opening templates by id.
    func ruleIndex(_ expander: SlotExpander) -> [String: AvailabilityRule] {
        var out: [String: AvailabilityRule] = [:]
        for r in expander.rules { out[r.id] = r }
        for e in expander.exceptions { if case .extraOpening(let t) = e.effect { out[t.id] = t } }
        return out
    }
}
