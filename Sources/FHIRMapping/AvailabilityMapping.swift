import Booking
import FHIRModel
import Foundation

/// Availability rules and exceptions as Schedule extensions (``ExtensionCatalog``), so that a regional system
/// can read the rules and not only the slots.
public enum AvailabilityMapping {
    static func part(_ url: String, _ type: String, _ value: String) -> Element {
        Element(
            name: "extension", type: "Extension",
            children: [Element(name: "url", type: "uri", value: url), Element(name: "value", type: type, value: value)])
    }

    static func part(_ url: String, _ value: Element) -> Element {
        var v = value
        v.name = "value"
        return Element(
            name: "extension", type: "Extension", children: [Element(name: "url", type: "uri", value: url), v])
    }

    static func period(_ start: String?, _ end: String?) -> Element {
        var p = Element(name: "value", type: "Period")
        p.setPrimitive("start", type: "dateTime", start)
        p.setPrimitive("end", type: "dateTime", end)
        return p
    }

    /// The `availability-rule` extension of `rule`.
    public static func extensionElement(_ rule: AvailabilityRule) -> Element {
        var parts = [part("id", "string", rule.id)]
        switch rule.recurrence {
        case .daily(let interval):
            parts += [part("frequency", "code", "daily"), part("interval", "positiveInt", String(interval))]
        case .weekly(let days, let interval):
            parts += [part("frequency", "code", "weekly"), part("interval", "positiveInt", String(interval))]
            parts += Weekday.allCases.filter(days.contains).map { part("dayOfWeek", "code", $0.rawValue) }
        case .monthlyOnDays(let days):
            parts.append(part("frequency", "code", "monthly"))
            parts += days.map { part("dayOfMonth", "positiveInt", String($0)) }
        case .monthlyOnWeekday(let ordinal, let weekday):
            parts += [
                part("frequency", "code", "monthly"), part("dayOfWeek", "code", weekday.rawValue),
                part("weekdayOrdinal", "integer", String(ordinal)),
            ]
        }
        // Local wall-clock times "HH:mm-HH:mm" (an end at or before the start runs past midnight).
        parts += rule.openings.map { part("opening", "string", "\($0.start)-\($0.end)") }
        parts.append(part("validFrom", "date", rule.validFrom.description))
        if let u = rule.validUntil { parts.append(part("validUntil", "date", u.description)) }
        switch rule.slotLength {
        case .fixed(let m): parts.append(part("slotMinutes", "positiveInt", String(m)))
        case .flexible(let lo, let hi):
            parts += [
                part("flexibleMinMinutes", "positiveInt", String(lo)),
                part("flexibleMaxMinutes", "positiveInt", String(hi)),
            ]
        }
        if rule.bufferBeforeMinutes > 0 {
            parts.append(part("bufferBeforeMinutes", "unsignedInt", String(rule.bufferBeforeMinutes)))
        }
        if rule.bufferAfterMinutes > 0 {
            parts.append(part("bufferAfterMinutes", "unsignedInt", String(rule.bufferAfterMinutes)))
        }
        if let g = rule.gridMinutes { parts.append(part("gridMinutes", "positiveInt", String(g))) }
        parts.append(part("capacity", "positiveInt", String(rule.capacity)))
        if let m = rule.maxBookingsPerDay { parts.append(part("maxBookingsPerDay", "positiveInt", String(m))) }
        parts += rule.serviceTypes.map { part("serviceType", $0.coding.codeableConcept(named: "value")) }
        parts += rule.specialties.map { part("specialty", $0.coding.codeableConcept(named: "value")) }
        parts += rule.appointmentTypes.map { part("appointmentType", $0.coding.codeableConcept(named: "value")) }
        if rule.minimumNoticeMinutes > 0 {
            parts.append(part("minimumNoticeMinutes", "unsignedInt", String(rule.minimumNoticeMinutes)))
        }
        if let h = rule.horizonDays { parts.append(part("horizonDays", "unsignedInt", String(h))) }
        parts.append(part("teleconsultation", "code", rule.teleconsultation.rawValue))
        return Element(
            name: "extension", type: "Extension",
            children: [Element(name: "url", type: "uri", value: ProjectExtension.availabilityRule)] + parts)
    }

    /// The `availability-exception` extension of `exception`: its span as a Period of local dates (with local
    /// `fromTime`/`toTime` for a time range), or of instants for an absolute period.
    public static func extensionElement(_ exception: AvailabilityException) -> Element {
        var parts = [part("id", "string", exception.id)]
        switch exception.effect {
        case .closure(let reason):
            parts += [part("effect", "code", "closure"), part("reason", "code", reason.rawValue)]
        case .extraOpening: parts.append(part("effect", "code", "extra-opening"))
        }
        switch exception.span {
        case .days(let from, let through): parts.append(part("period", period(from.description, through.description)))
        case .timeRange(let on, let f, let t):
            parts += [
                part("period", period(on.description, on.description)), part("fromTime", "time", "\(f):00"),
                part("toTime", "time", t.minuteOfDay >= 1440 ? "23:59:59" : "\(t):00"),
            ]
        case .period(let s, let e):
            parts.append(part("period", period(AppointmentMapping.instantText(s), AppointmentMapping.instantText(e))))
        }
        if exception.yearly { parts.append(part("yearly", "boolean", "true")) }
        if case .resource(let id) = exception.scope {
            parts.append(part("scope", Reference("Practitioner/\(id)").element(named: "value")))
        }
        if let c = exception.comment { parts.append(part("comment", "string", c)) }
        return Element(
            name: "extension", type: "Extension",
            children: [Element(name: "url", type: "uri", value: ProjectExtension.availabilityException)] + parts)
    }
}
