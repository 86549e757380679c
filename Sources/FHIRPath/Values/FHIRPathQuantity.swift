import Foundation

/// A System.Quantity: a decimal value and a unit (UCUM code, or a calendar duration keyword such as `year`).
public struct FHIRPathQuantity: Sendable, Hashable, CustomStringConvertible {
    /// The amount.
    public var value: Decimal
    /// The UCUM code or calendar keyword; `1` when there is none.
    public var unit: String

    /// A quantity of `value` in `unit` (a UCUM code such as `mg`, or a calendar keyword such as `days`).
    public init(value: Decimal, unit: String) {
        self.value = value
        self.unit = unit
    }

    /// FHIRPath literal form: `5 'mg'`.
    public var description: String { "\(value) '\(unit)'" }

    /// Calendar duration keywords (singular and plural) and the temporal component they add.
    static let calendarUnits: [String: FHIRPathTemporal.Precision] = [
        "year": .year, "years": .year, "month": .month, "months": .month, "week": .day, "weeks": .day,
        "day": .day, "days": .day, "hour": .hour, "hours": .hour, "minute": .minute, "minutes": .minute,
        "second": .second, "seconds": .second, "millisecond": .millisecond, "milliseconds": .millisecond,
    ]

    /// UCUM time codes usable in date arithmetic.
    static let ucumTimeUnits: [String: FHIRPathTemporal.Precision] = [
        "a": .year, "mo": .month, "wk": .day, "d": .day, "h": .hour, "min": .minute, "s": .second,
        "ms": .millisecond,
    ]

    /// Whether the unit is a calendar keyword (`year`, `months`, …).
    public var isCalendarDuration: Bool { Self.calendarUnits[unit] != nil }

    /// The temporal component this quantity adds, and whether it counts weeks.
    var temporalUnit: (FHIRPathTemporal.Precision, weeks: Bool)? {
        if let p = Self.calendarUnits[unit] { return (p, unit.hasPrefix("week")) }
        if let p = Self.ucumTimeUnits[unit] { return (p, unit == "wk") }
        return nil
    }
}
