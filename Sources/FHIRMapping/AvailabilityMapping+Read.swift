import Booking
import FHIRModel
import Foundation

extension AvailabilityMapping {
    /// A problem in an availability extension, with its location.
    public struct Problem: Error, Sendable {
        public var expression: String
        public var message: String
    }

    static func values(_ e: Element, _ url: String) -> [Element] {
        e.extensions(url: url).compactMap { $0.child("value") }
    }

    static func value(_ e: Element, _ url: String) -> String? { values(e, url).first?.value }

    static func int(_ e: Element, _ url: String, _ path: String) throws(Problem) -> Int? {
        guard let v = value(e, url) else { return nil }
        guard let n = Int(v) else { throw Problem(expression: "\(path).extension('\(url)')", message: "not a number") }
        return n
    }

    static func codes(_ e: Element, _ url: String) -> [Code] {
        values(e, url).flatMap { $0.children(named: "coding") }.map {
            Code(system: $0.string("system"), code: $0.string("code") ?? "", display: $0.string("display"))
        }
    }

    /// The rule an `availability-rule` extension describes, for `scheduleID`.
    public static func rule(from e: Element, scheduleID: String, path: String) throws(Problem) -> AvailabilityRule {
        func require(_ url: String) throws(Problem) -> String {
            guard let v = value(e, url) else { throw Problem(expression: path, message: "'\(url)' is required") }
            return v
        }
        let id = try require("id")
        let frequency = try require("frequency")
        let interval = try int(e, "interval", path) ?? 1
        let days = values(e, "dayOfWeek").compactMap { $0.value.flatMap(Weekday.init(rawValue:)) }
        let recurrence: Recurrence
        switch frequency {
        case "daily": recurrence = .daily(interval: interval)
        case "weekly": recurrence = .weekly(weekdays: Set(days), interval: interval)
        case "monthly":
            if let ordinal = try int(e, "weekdayOrdinal", path), let day = days.first {
                recurrence = .monthlyOnWeekday(ordinal: ordinal, weekday: day)
            } else {
                recurrence = .monthlyOnDays(values(e, "dayOfMonth").compactMap { $0.value.flatMap { Int($0) } })
            }
        default: throw Problem(expression: path, message: "frequency is daily, weekly or monthly")
        }
        var openings: [OpeningHours] = []
        for o in values(e, "opening") {
            let parts = (o.value ?? "").split(separator: "-").map(String.init)
            guard parts.count == 2, let s = LocalTime(parts[0]), let t = LocalTime(parts[1]) else {
                throw Problem(expression: path, message: "an opening is HH:mm-HH:mm")
            }
            openings.append(OpeningHours(s, t))
        }
        guard let from = LocalDate(try require("validFrom")) else {
            throw Problem(expression: path, message: "validFrom is a date")
        }
        let until = value(e, "validUntil").flatMap(LocalDate.init)
        let length: SlotLength
        if let m = try int(e, "slotMinutes", path) {
            length = .fixed(minutes: m)
        } else if let lo = try int(e, "flexibleMinMinutes", path), let hi = try int(e, "flexibleMaxMinutes", path) {
            length = .flexible(minMinutes: lo, maxMinutes: hi)
        } else {
            throw Problem(
                expression: path, message: "slotMinutes, or flexibleMinMinutes and flexibleMaxMinutes, are required")
        }
        let tele = value(e, "teleconsultation").flatMap(TeleconsultationPolicy.init(rawValue:)) ?? .inPersonOnly
        return AvailabilityRule(
            id: id, scheduleID: scheduleID, recurrence: recurrence, openings: openings, validFrom: from,
            validUntil: until,
            slotLength: length, bufferBeforeMinutes: try int(e, "bufferBeforeMinutes", path) ?? 0,
            bufferAfterMinutes: try int(e, "bufferAfterMinutes", path) ?? 0,
            gridMinutes: try int(e, "gridMinutes", path),
            capacity: try int(e, "capacity", path) ?? 1, maxBookingsPerDay: try int(e, "maxBookingsPerDay", path),
            serviceTypes: codes(e, "serviceType"), specialties: codes(e, "specialty"),
            appointmentTypes: codes(e, "appointmentType"),
            minimumNoticeMinutes: try int(e, "minimumNoticeMinutes", path) ?? 0,
            horizonDays: try int(e, "horizonDays", path),
            teleconsultation: tele)
    }

    /// The exception an `availability-exception` extension describes (scoped to `scheduleID` unless it names a
    /// resource); extra openings take the slot set-up of `template`.
    public static func exception(
        from e: Element, scheduleID: String, template: AvailabilityRule?, path: String
    ) throws(Problem) -> AvailabilityException {
        guard let id = value(e, "id"), let effectCode = value(e, "effect") else {
            throw Problem(expression: path, message: "id and effect are required")
        }
        guard let period = values(e, "period").first, let startText = period.string("start"),
            let endText = period.string("end")
        else { throw Problem(expression: path, message: "period with start and end is required") }
        let span: AvailabilityException.Span
        if let f = value(e, "fromTime"), let t = value(e, "toTime"), let day = LocalDate(startText),
            let from = LocalTime(String(f.prefix(5))), let to = LocalTime(String(t.prefix(5)))
        {
            span = .timeRange(on: day, from: from, to: to)
        } else if let a = LocalDate(startText), let b = LocalDate(endText) {
            span = .days(from: a, through: b)
        } else if let a = FHIRDateTime(startText), let b = FHIRDateTime(endText), a.offsetText != nil,
            b.offsetText != nil
        {
            span = .period(
                start: Date(timeIntervalSince1970: a.epochSeconds), end: Date(timeIntervalSince1970: b.epochSeconds))
        } else {
            throw Problem(
                expression: path, message: "period is two dates, a date with fromTime/toTime, or two instants")
        }
        let effect: AvailabilityException.Effect
        switch effectCode {
        case "closure":
            effect = .closure(value(e, "reason").flatMap(AvailabilityException.Reason.init(rawValue:)) ?? .other)
        case "extra-opening":
            guard var t = template else {
                throw Problem(expression: path, message: "an extra opening needs a rule of the schedule to copy")
            }
            t.id = "\(id)-opening"
            effect = .extraOpening(template: t)
        default: throw Problem(expression: path, message: "effect is closure or extra-opening")
        }
        let scopeRef = values(e, "scope").first?.string("reference")
        let scope: AvailabilityException.Scope =
            scopeRef.flatMap { $0.split(separator: "/").last.map { .resource(String($0)) } } ?? .schedule(scheduleID)
        return AvailabilityException(
            id: id, scope: scope, effect: effect, span: span, yearly: value(e, "yearly") == "true",
            comment: value(e, "comment"))
    }
}
