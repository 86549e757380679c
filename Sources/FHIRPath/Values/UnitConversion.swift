import Foundation

/// The UCUM conversions the engine knows: enough for comparing common clinical quantities (mass, length,
/// volume, time, and calendar durations), not a UCUM implementation.
enum UnitConversion {
    /// A dimension name and the factor to its base unit.
    private static let table: [String: (dimension: String, factor: Decimal)] = {
        var t: [String: (String, Decimal)] = [:]
        for (u, f) in [("kg", "1000"), ("g", "1"), ("mg", "0.001"), ("ug", "0.000001"), ("ng", "0.000000001")] {
            t[u] = ("mass", Decimal(string: f)!)
        }
        for (u, f) in [("km", "1000"), ("m", "1"), ("dm", "0.1"), ("cm", "0.01"), ("mm", "0.001"), ("um", "0.000001")] {
            t[u] = ("length", Decimal(string: f)!)
        }
        for (u, f) in [("L", "1"), ("l", "1"), ("dL", "0.1"), ("cL", "0.01"), ("mL", "0.001"), ("uL", "0.000001")] {
            t[u] = ("volume", Decimal(string: f)!)
        }
        for (u, f) in [
            ("wk", "604800"), ("d", "86400"), ("h", "3600"), ("min", "60"), ("s", "1"), ("ms", "0.001"),
            ("a", "31557600"), ("mo", "2629800"),
        ] {
            t[u] = ("time", Decimal(string: f)!)
        }
        t["[in_i]"] = ("length", Decimal(string: "0.0254")!)
        t["[lb_av]"] = ("mass", Decimal(string: "453.59237")!)
        t["1"] = ("one", 1)
        t["%"] = ("one", Decimal(string: "0.01")!)
        return t
    }()

    /// Calendar keywords that equal a definite UCUM duration (week and finer); year and month do not.
    private static let definiteCalendar: [String: String] = [
        "week": "wk", "weeks": "wk", "day": "d", "days": "d", "hour": "h", "hours": "h", "minute": "min",
        "minutes": "min", "second": "s", "seconds": "s", "millisecond": "ms", "milliseconds": "ms",
    ]
    private static let nominalCalendar: [String: String] = [
        "year": "a", "years": "a", "month": "mo", "months": "mo",
    ]

    /// The UCUM code a unit stands for; with `equivalence`, years and months map to `a`/`mo` too.
    static func canonicalUnit(_ unit: String, equivalence: Bool) -> String {
        if let u = definiteCalendar[unit] { return u }
        if equivalence, let u = nominalCalendar[unit] { return u }
        return unit
    }

    /// Base unit of each dimension, for products.
    private static let baseUnits = ["mass": "g", "length": "m", "volume": "L", "time": "s"]

    /// The product of two quantities of one dimension, in the base unit squared (`2.0 'cm' * 2.0 'm'` is
    /// `0.0400 'm2'`); nil for other products.
    static func square(_ a: FHIRPathQuantity, _ b: FHIRPathQuantity) -> FHIRPathQuantity? {
        guard let da = table[canonicalUnit(a.unit, equivalence: false)],
            let db = table[canonicalUnit(b.unit, equivalence: false)], da.dimension == db.dimension,
            let base = baseUnits[da.dimension]
        else { return nil }
        return FHIRPathQuantity(value: a.value * da.factor * b.value * db.factor, unit: base + "2")
    }

    /// How many base units of its dimension one `unit` is (`kg` → 1000, base `g`); nil for unknown units.
    static func factor(_ unit: String) -> Decimal? {
        table[canonicalUnit(unit, equivalence: false)]?.factor
    }

    /// Both quantities expressed in one unit, or nil when they are not comparable.
    static func commensurate(
        _ a: FHIRPathQuantity, _ b: FHIRPathQuantity, equivalence: Bool = false
    ) -> (Decimal, Decimal)? {
        let ua = canonicalUnit(a.unit, equivalence: equivalence)
        let ub = canonicalUnit(b.unit, equivalence: equivalence)
        if ua == ub { return (a.value, b.value) }
        guard let da = table[ua], let db = table[ub], da.dimension == db.dimension else { return nil }
        // Calendar years/months never equal days except under equivalence.
        return (a.value * da.factor, b.value * db.factor)
    }
}
