import Foundation

/// An exception to the availability rules: a closure or an extra opening. Exceptions win over rules.
public struct AvailabilityException: Sendable, Hashable, Codable, Identifiable {
    /// Why a closure exists.
    public enum Reason: String, Sendable, Codable, CaseIterable {
        case holiday, sickLeave, strike, maintenance, other
    }

    /// What the exception does.
    public enum Effect: Sendable, Hashable, Codable {
        case closure(Reason)
        /// Extra opening with the slot set-up of `template` (its recurrence and validity are ignored).
        case extraOpening(template: AvailabilityRule)
    }

    /// When it applies.
    public enum Span: Sendable, Hashable, Codable {
        /// Whole local days, `from` through `through` inclusive.
        case days(from: LocalDate, through: LocalDate)
        /// A local time range on one day (an extra opening uses it as its opening hours).
        case timeRange(on: LocalDate, from: LocalTime, to: LocalTime)
        /// An absolute period (e.g. sick leave from a given instant).
        case period(start: Date, end: Date)
    }

    /// Whom it applies to.
    public enum Scope: Sendable, Hashable, Codable {
        case schedule(String)
        case resource(String)
    }

    public var id: String
    public var scope: Scope
    public var effect: Effect
    public var span: Span
    /// Yearly repetition (e.g. 25 December, 15 August) of a `days` or `timeRange` span.
    public var yearly: Bool
    public var comment: String?
    /// True when it closes a Slot a client published as busy (see ``AvailabilityRule/publishedSlot``).
    public var publishedSlot: Bool?

    public init(id: String, scope: Scope, effect: Effect, span: Span, yearly: Bool = false, comment: String? = nil) {
        self.id = id
        self.scope = scope
        self.effect = effect
        self.span = span
        self.yearly = yearly
        self.comment = comment
    }

    public var isClosure: Bool {
        if case .closure = effect { return true }
        return false
    }

    /// The local days this exception touches on or around `date` (for yearly spans, shifted to `date`'s year).
    func occurs(on date: LocalDate) -> Bool {
        switch span {
        case .days(let from, let through):
            guard yearly else { return from <= date && date <= through }
            let key = date.month * 100 + date.day
            let a = from.month * 100 + from.day
            let b = through.month * 100 + through.day
            return a <= b ? (a <= key && key <= b) : (key >= a || key <= b)
        case .timeRange(let on, _, _):
            return yearly ? (on.month == date.month && on.day == date.day) : on == date
        case .period:
            return false  // handled as absolute intervals
        }
    }

    /// Problems that make the exception unusable, empty when valid.
    public var problems: [String] {
        var out: [String] = []
        switch span {
        case .days(let from, let through) where !yearly && through < from: out.append("the days end before they start")
        case .timeRange(_, let from, let to) where to <= from: out.append("the time range ends before it starts")
        case .period(let s, let e) where e <= s: out.append("the period ends before it starts")
        default: break
        }
        if case .extraOpening(let t) = effect {
            if case .period = span { out.append("an extra opening needs days or a time range") }
            out += t.problems.filter { $0 != "a rule needs at least one opening" }
        }
        return out
    }
}
