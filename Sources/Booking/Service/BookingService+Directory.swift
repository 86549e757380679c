import Foundation

extension BookingService {
    /// Registers or updates a bookable resource.
    /// - Throws: ``BookingError/invalid(kind:problems:)``, ``BookingError/invalidTimeZone(_:)``.
    public func saveResource(_ resource: BookableResource) async throws {
        guard !resource.id.isEmpty else { throw BookingError.invalid(kind: "resource", problems: ["empty id"]) }
        _ = try ZoneResolver(identifier: resource.timeZone)
        try await store.upsertResource(resource)
    }

    /// Creates or updates a schedule; its resources must exist.
    public func saveSchedule(_ schedule: Schedule) async throws {
        try await check(schedule)
        try await store.upsertSchedule(schedule)
        _ = try await recheck(scheduleIDs: [schedule.id])
    }

    /// Adds or replaces an availability rule; returns the appointments it leaves outside the availability
    /// (flagged as needing rescheduling).
    @discardableResult
    public func saveRule(_ rule: AvailabilityRule) async throws -> [Appointment] {
        let problems = rule.problems
        guard problems.isEmpty else { throw BookingError.invalid(kind: "availability rule", problems: problems) }
        _ = try await requireSchedule(rule.scheduleID)
        try await store.upsertRule(rule)
        return try await recheck(scheduleIDs: [rule.scheduleID])
    }

    /// Deletes a rule; returns the appointments flagged because of it.
    @discardableResult
    public func deleteRule(id: String) async throws -> [Appointment] {
        guard let rule = try await store.deleteRule(id: id) else {
            throw BookingError.notFound(kind: "availability rule", id: id)
        }
        return try await recheck(scheduleIDs: [rule.scheduleID])
    }

    /// Adds or replaces an exception; returns the appointments it leaves outside the availability.
    @discardableResult
    public func saveException(_ exception: AvailabilityException) async throws -> [Appointment] {
        let problems = exception.problems
        guard problems.isEmpty else { throw BookingError.invalid(kind: "exception", problems: problems) }
        let affected = try await schedules(in: exception.scope)
        try await store.upsertException(exception, affectedSchedules: affected)
        return try await recheck(scheduleIDs: affected)
    }

    @discardableResult
    public func deleteException(id: String) async throws -> [Appointment] {
        guard let existing = try await store.exceptions().first(where: { $0.id == id }) else {
            throw BookingError.notFound(kind: "exception", id: id)
        }
        let affected = try await schedules(in: existing.scope)
        _ = try await store.deleteException(id: id, affectedSchedules: affected)
        return try await recheck(scheduleIDs: affected)
    }

    /// Applies rules and exceptions to save or delete as one store transaction (deleting a missing id does
    /// nothing), then flags the appointments they leave outside the availability.
    /// - Returns: the newly flagged appointments.
    @discardableResult
    public func apply(_ change: AvailabilityChange) async throws -> [Appointment] {
        var problems = change.saveRules.flatMap { r in r.problems.map { "rule \(r.id): \($0)" } }
        problems += change.saveExceptions.flatMap { e in
            e.exception.problems.map { "exception \(e.exception.id): \($0)" }
        }
        guard problems.isEmpty else { throw BookingError.invalid(kind: "availability", problems: problems) }
        _ = try await store.apply(change, attached: nil)
        return try await recheck(scheduleIDs: change.affectedSchedules)
    }

    /// Writes a schedule with its whole availability as one (one store transaction with `attached`): `rules` and
    /// `exceptions` (schedule- or resource-scoped on its resources) replace the schedule's own; the Slots clients
    /// published stay. Everything is checked before anything is written; appointments left outside are flagged.
    /// - Returns: what `attached` returned, and the newly flagged appointments.
    @discardableResult
    public func replaceAvailability(
        _ schedule: Schedule, rules: [AvailabilityRule], exceptions: [AvailabilityException],
        attached: (any AttachedWork)? = nil
    ) async throws -> (attached: (any Sendable)?, flagged: [Appointment]) {
        var problems = rules.flatMap { r in r.problems.map { "rule \(r.id): \($0)" } }
        problems += rules.filter { $0.scheduleID != schedule.id }.map { "rule \($0.id) belongs to \($0.scheduleID)" }
        problems += exceptions.flatMap { e in e.problems.map { "exception \(e.id): \($0)" } }
        try await check(schedule, also: problems)
        var change = AvailabilityChange(schedule: schedule)
        change.saveRules = rules
        let keepRules = Set(rules.map(\.id))
        change.deleteRules = try await store.rules(scheduleID: schedule.id).filter {
            !keepRules.contains($0.id) && $0.publishedSlot != true
        }.map(\.id)
        for e in exceptions {
            let affected: [String]
            switch e.scope {
            case .schedule: affected = [schedule.id]
            case .resource(let id):
                guard schedule.resourceIDs.contains(id) else {
                    throw BookingError.invalid(
                        kind: "schedule", problems: ["exception \(e.id): resource \(id) is not one of this schedule's"])
                }
                affected = Array(Set([schedule.id] + (try await schedules(in: e.scope))))
            }
            change.saveExceptions.append((e, affected))
        }
        let keepExceptions = Set(exceptions.map(\.id))
        for old in try await store.exceptions()
        where !keepExceptions.contains(old.id) && old.publishedSlot != true && old.scope == .schedule(schedule.id) {
            change.deleteExceptions.append((old.id, [schedule.id]))
        }
        let result = try await store.apply(change, attached: attached)
        return (result, try await recheck(scheduleIDs: change.affectedSchedules))
    }

    /// A schedule's own rules (id, resources, zone, resources known), with `problems` found by the caller: one
    /// `invalid` error listing them all.
    func check(_ schedule: Schedule, also problems: [String] = []) async throws {
        var problems = problems
        if schedule.id.isEmpty || schedule.id.count > 40 { problems.append("a schedule id has 1 to 40 characters") }
        if schedule.resourceIDs.isEmpty { problems.append("a schedule needs at least one resource") }
        guard problems.isEmpty else { throw BookingError.invalid(kind: "schedule", problems: problems) }
        _ = try ZoneResolver(identifier: schedule.timeZone)
        for r in schedule.resourceIDs where try await store.resource(id: r) == nil {
            throw BookingError.notFound(kind: "resource", id: r)
        }
    }

    func schedules(in scope: AvailabilityException.Scope) async throws -> [String] {
        switch scope {
        case .schedule(let id):
            _ = try await requireSchedule(id)
            return [id]
        case .resource(let id):
            guard try await store.resource(id: id) != nil else { throw BookingError.notFound(kind: "resource", id: id) }
            return try await store.schedules().filter { $0.resourceIDs.contains(id) }.map(\.id)
        }
    }

    /// Rechecks every schedule whose availability changed without a completed recheck (e.g. after a crash).
    @discardableResult
    public func processPendingRechecks() async throws -> [Appointment] {
        try await recheck(scheduleIDs: try await store.pendingRechecks())
    }

    /// Flags every appointment of `scheduleIDs` that holds capacity, has not ended, and is no longer inside the
    /// availability: its slot gone or closed, its interval inside a closure, or its slot over a lowered
    /// capacity (the latest bookings first). Returns the newly flagged appointments. Nothing is deleted.
    func recheck(scheduleIDs: [String]) async throws -> [Appointment] {
        guard !scheduleIDs.isEmpty else { return [] }
        let now = clock.now()
        // Versions before reading the rules: a change after this point leaves its recheck job pending.
        let versions = try await store.availabilityVersions(scheduleIDs: Array(Set(scheduleIDs)))
        var flags: [String: RescheduleFlag] = [:]
        var flagged: [Appointment] = []
        for scheduleID in Set(scheduleIDs).sorted() {
            guard let schedule = try await store.schedule(id: scheduleID) else { continue }
            let expander = try await expander(for: schedule)
            let active = try await store.appointments(
                AppointmentQuery(scheduleIDs: [scheduleID], from: now)
            ).filter { $0.status.holdsCapacity && $0.rescheduleFlag == nil && flags[$0.id] == nil }
            let fullMode = schedule.effectiveMode(default: configuration.defaultMode) == .full
            var perSlot: [SlotID: [Appointment]] = [:]
            for a in active {
                let mine = a.slotIDs.filter { $0.scheduleID == scheduleID }
                if mine.isEmpty {
                    let closures = expander.closureIntervals(
                        from: expander.zone.local(a.start).date, through: expander.zone.local(a.end).date)
                    if let c = closures.first(where: { $0.start < a.end && $0.end > a.start }) {
                        flags[a.id] = RescheduleFlag(reason: "closed", causeID: c.id, flaggedAt: now)
                        flagged.append(a)
                    } else if fullMode, !expanderCovers(expander, start: a.start, end: a.end) {
                        flags[a.id] = RescheduleFlag(reason: "outside availability", causeID: nil, flaggedAt: now)
                        flagged.append(a)
                    }
                    continue
                }
                for slotID in mine {
                    guard let slot = expander.slot(slotID) else {
                        flags[a.id] = RescheduleFlag(reason: "outside availability", causeID: nil, flaggedAt: now)
                        flagged.append(a)
                        break
                    }
                    if slot.unavailableReason == .closed {
                        flags[a.id] = RescheduleFlag(reason: "closed", causeID: slot.closedBy, flaggedAt: now)
                        flagged.append(a)
                        break
                    }
                    perSlot[slotID, default: []].append(a)
                }
            }
            for (slotID, list) in perSlot {
                guard let slot = expander.slot(slotID), list.count > slot.capacity else { continue }
                for a in list.sorted(by: { $0.created < $1.created }).dropFirst(slot.capacity) where flags[a.id] == nil
                {
                    flags[a.id] = RescheduleFlag(reason: "over capacity", causeID: slot.ruleID, flaggedAt: now)
                    flagged.append(a)
                }
            }
        }
        let outbox = flagged.map {
            OutboxMessage(
                kind: "appointment.needs-reschedule", aggregateID: $0.id,
                payload: ["reason": flags[$0.id]?.reason ?? "", "patient": $0.patientID ?? ""])
        }
        try await store.flag(flags, recheckedVersions: versions, outbox: outbox)
        return flagged.map { a in
            var a = a
            a.rescheduleFlag = flags[a.id]
            return a
        }
    }

    /// Whether a flexible opening of the expander still contains `[start, end)`.
    func expanderCovers(_ expander: SlotExpander, start: Date, end: Date) -> Bool {
        expander.slots(from: start.addingTimeInterval(-86400), to: end).contains {
            $0.start <= start && $0.end >= end && $0.unavailableReason != .closed
        }
    }
}
