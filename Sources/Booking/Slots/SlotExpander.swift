import Foundation

/// Expands a schedule's rules and exceptions into slots over an interval, in the schedule's IANA time zone.
///
/// Rules:
/// - openings are anchored at their local start and end times on each day the rule opens (see
///   ``ZoneResolver`` for non-existent and repeated local times); an opening whose end is not after its start
///   runs past midnight;
/// - slots are laid out in elapsed time from the opening's start: start = opening start + k × grid + buffer
///   before, end = start + length; a slot is kept when its end plus buffer after fits in the opening. So a
///   09:00–13:00 opening gives the same local slots on both DST Sundays, and an opening across the change
///   has exactly as many slots as real minutes allow;
/// - a flexible rule gives one slot per opening (the whole opening);
/// - closures (schedule- or resource-scoped, one-off or yearly) mark the slots they overlap as closed; extra
///   openings add slots; exceptions win over rules;
/// - two slots of a schedule with the same start are one slot: the first rule (by id) wins.
public struct SlotExpander: Sendable {
    public let schedule: Schedule
    public let rules: [AvailabilityRule]
    public let exceptions: [AvailabilityException]
    let zone: ZoneResolver

    /// - Throws: ``BookingError/invalidTimeZone(_:)``.
    public init(schedule: Schedule, rules: [AvailabilityRule], exceptions: [AvailabilityException]) throws(BookingError)
    {
        self.schedule = schedule
        self.rules = rules.filter { $0.scheduleID == schedule.id }.sorted { $0.id < $1.id }
        self.exceptions = exceptions.filter { ex in
            switch ex.scope {
            case .schedule(let id): id == schedule.id
            case .resource(let id): schedule.resourceIDs.contains(id)
            }
        }
        zone = try ZoneResolver(identifier: schedule.timeZone)
    }

    /// Slots starting in `[from, to)`, sorted by start, with `booked` 0 and status free or closed; the
    /// caller applies bookings, notice, horizon and limits (``SlotAvailability``).
    public func slots(from: Date, to: Date) -> [Slot] {
        guard from < to else { return [] }
        let zone = self.zone.prepared(from: from.addingTimeInterval(-3 * 86400), to: to.addingTimeInterval(3 * 86400))
        let firstDay = zone.local(from).date.adding(days: -1)
        let lastDay = zone.local(to).date
        var out: [Slot] = []
        var day = firstDay
        let closures = closureIntervals(from: firstDay, through: lastDay.adding(days: 1), zone: zone)
        let offers = rules.map(SlotOffer.init(rule:))
        while day <= lastDay {
            for (rule, offer) in zip(rules, offers) where rule.opens(on: day) {
                for opening in rule.openings {
                    layOut(
                        rule: rule, offer: offer, opening: opening, on: day, from: from, to: to, closures: closures,
                        zone: zone, into: &out)
                }
            }
            for ex in exceptions where ex.occurs(on: day) {
                guard case .extraOpening(let template) = ex.effect else { continue }
                let offer = SlotOffer(rule: template)
                let openings: [OpeningHours]
                if case .timeRange(_, let f, let t) = ex.span {
                    openings = [OpeningHours(f, t)]
                } else {
                    openings = template.openings
                }
                for o in openings {
                    layOut(
                        rule: template, offer: offer, opening: o, on: day, from: from, to: to, closures: closures,
                        zone: zone, into: &out)
                }
            }
            day = day.adding(days: 1)
        }
        if !out.isSorted(byStart: ()) { out.sort { $0.id.start < $1.id.start } }
        var unique: [Slot] = []
        unique.reserveCapacity(out.count)
        for s in out where unique.last?.id.start != s.id.start { unique.append(s) }
        return unique
    }

    /// The slot with exactly this id, if the rules produce it.
    public func slot(_ id: SlotID) -> Slot? {
        guard id.scheduleID == schedule.id else { return nil }
        return slots(from: id.start, to: id.start.addingTimeInterval(60)).first { $0.id == id }
    }

    struct Closure {
        var start: Date
        var end: Date
        var id: String
    }

    func closureIntervals(from: LocalDate, through: LocalDate) -> [Closure] {
        closureIntervals(from: from, through: through, zone: zone)
    }

    func closureIntervals(from: LocalDate, through: LocalDate, zone: ZoneResolver) -> [Closure] {
        var out: [Closure] = []
        for ex in exceptions where ex.isClosure {
            switch ex.span {
            case .period(let s, let e):
                out.append(Closure(start: s, end: e, id: ex.id))
            case .days, .timeRange:
                var d = from
                while d <= through {
                    if ex.occurs(on: d) {
                        switch ex.span {
                        case .timeRange(_, let f, let t):
                            out.append(
                                Closure(
                                    start: zone.instant(d, minuteOfDay: f.minuteOfDay),
                                    end: zone.instant(d, minuteOfDay: t.minuteOfDay), id: ex.id))
                        default:
                            out.append(
                                Closure(
                                    start: zone.instant(d, minuteOfDay: 0),
                                    end: zone.instant(d.adding(days: 1), minuteOfDay: 0), id: ex.id))
                        }
                    }
                    d = d.adding(days: 1)
                }
            }
        }
        return out
    }

    func layOut(
        rule: AvailabilityRule, offer: SlotOffer, opening: OpeningHours, on day: LocalDate, from: Date, to: Date,
        closures: [Closure], zone: ZoneResolver, into out: inout [Slot]
    ) {
        let openStart = zone.instant(day, minuteOfDay: opening.start.minuteOfDay)
        let openEnd = zone.instant(
            opening.crossesMidnight ? day.adding(days: 1) : day, minuteOfDay: opening.end.minuteOfDay)
        guard openStart < openEnd, openEnd > from, openStart < to else { return }
        func make(_ start: Date, _ end: Date) {
            guard start >= from, start < to else { return }
            var slot = Slot(id: SlotID(scheduleID: schedule.id, start: start), end: end, offer: offer)
            if let c = closures.first(where: { $0.start < end && $0.end > start }) {
                slot.status = .busyUnavailable
                slot.unavailableReason = .closed
                slot.closedBy = c.id
            }
            out.append(slot)
        }
        switch rule.slotLength {
        case .flexible:
            make(openStart, openEnd)
        case .fixed(let length):
            let before = Double(rule.bufferBeforeMinutes * 60)
            let after = Double(rule.bufferAfterMinutes * 60)
            let len = Double(length * 60)
            let grid = Double((rule.gridMinutes ?? (rule.bufferBeforeMinutes + length + rule.bufferAfterMinutes)) * 60)
            var t = openStart.timeIntervalSince1970
            let limit = openEnd.timeIntervalSince1970
            while t + before + len + after <= limit {
                let s = Date(timeIntervalSince1970: t + before)
                make(s, s.addingTimeInterval(len))
                t += grid
            }
        }
    }
}

extension Array where Element == Slot {
    func isSorted(byStart: Void) -> Bool {
        var last = -Double.infinity
        for s in self {
            let t = s.id.start.timeIntervalSince1970
            if t < last { return false }
            last = t
        }
        return true
    }
}
