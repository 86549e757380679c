/// A FHIRPath Date, DateTime or Time with partial precision.
///
/// Components are kept as written: a value has every component up to its ``precision`` and none after it.
/// `millisecond` holds the fraction of a second in milliseconds; an offset is kept in minutes (nil: no zone).
public struct FHIRPathTemporal: Sendable, Hashable {
    /// Which System type the value has.
    public enum Kind: Sendable, Hashable {
        case date, dateTime, time
    }

    /// Components from coarsest to finest.
    public enum Precision: Int, Sendable, Hashable, Comparable {
        case year, month, day, hour, minute, second, millisecond

        /// Coarser precisions order first.
        public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
    }

    /// Date, DateTime or Time.
    public var kind: Kind
    /// Components; those finer than ``precision`` hold their lowest value and are not part of the value.
    public var year = 0
    /// 1–12.
    public var month = 1
    /// 1–31.
    public var day = 1
    /// 0–23.
    public var hour = 0
    /// 0–59.
    public var minute = 0
    /// 0–60.
    public var second = 0
    /// 0–999.
    public var millisecond = 0
    /// Digits of the fraction as written (for output), when there is one.
    public var fractionDigits = 0
    /// The finest component present.
    public var precision: Precision
    /// Offset from UTC in minutes; nil when the value has no zone.
    public var offsetMinutes: Int?

    /// A value of `kind` with every component at its lowest value up to `precision`.
    public init(kind: Kind, precision: Precision) {
        self.kind = kind
        self.precision = precision
    }

    /// The coarsest component present (hour for a Time).
    public var lowestPrecision: Precision { kind == .time ? .hour : .year }

    /// Component value at `p`.
    public func component(_ p: Precision) -> Int {
        switch p {
        case .year: year
        case .month: month
        case .day: day
        case .hour: hour
        case .minute: minute
        case .second: second
        case .millisecond: millisecond
        }
    }
}

extension FHIRPathTemporal {
    /// Parses FHIR/FHIRPath text without the `@`: `2015`, `2015-02-04T14:34:28.123+09:00`, `2015-02T`,
    /// or, with `kind` `.time`, `14:34` (an optional leading `T` is accepted).
    public static func parse(_ text: String, kind requested: Kind? = nil) -> FHIRPathTemporal? {
        var s = Substring(text)
        if requested == .time || (requested == nil && s.hasPrefix("T")) {
            if s.hasPrefix("T") { s = s.dropFirst() }
            var t = FHIRPathTemporal(kind: .time, precision: .hour)
            guard parseTime(&s, into: &t), s.isEmpty else { return nil }
            return t
        }
        var t = FHIRPathTemporal(kind: .date, precision: .year)
        guard let y = digits(&s, 4) else { return nil }
        t.year = y
        if s.hasPrefix("-") {
            s = s.dropFirst()
            guard let m = digits(&s, 2), (1...12).contains(m) else { return nil }
            t.month = m
            t.precision = .month
            if s.hasPrefix("-") {
                s = s.dropFirst()
                guard let d = digits(&s, 2), d >= 1, d <= daysIn(year: y, month: m) else { return nil }
                t.day = d
                t.precision = .day
            }
        }
        if s.hasPrefix("T") {
            s = s.dropFirst()
            t.kind = .dateTime
            if !s.isEmpty {
                guard t.precision == .day, parseTime(&s, into: &t) else { return nil }
                if !s.isEmpty {
                    guard let off = parseOffset(&s), s.isEmpty else { return nil }
                    t.offsetMinutes = off
                }
            }
        } else if !s.isEmpty {
            // FHIR dateTime without a T cannot carry a zone; a date never does.
            return nil
        }
        if requested == .dateTime { t.kind = .dateTime }
        if requested == .date, t.kind != .date { return nil }
        return t
    }

    private static func parseTime(_ s: inout Substring, into t: inout FHIRPathTemporal) -> Bool {
        guard let h = digits(&s, 2), h < 24 else { return false }
        t.hour = h
        t.precision = .hour
        guard s.hasPrefix(":") else { return true }
        s = s.dropFirst()
        guard let mi = digits(&s, 2), mi < 60 else { return false }
        t.minute = mi
        t.precision = .minute
        guard s.hasPrefix(":") else { return true }
        s = s.dropFirst()
        guard let se = digits(&s, 2), se < 61 else { return false }
        t.second = se
        t.precision = .second
        guard s.hasPrefix(".") else { return true }
        s = s.dropFirst()
        var frac = ""
        while let c = s.first, c.isASCII, c.isNumber {
            frac.append(c)
            s = s.dropFirst()
        }
        guard !frac.isEmpty else { return false }
        t.fractionDigits = frac.count
        let padded = String((frac + "00").prefix(3))
        t.millisecond = Int(padded) ?? 0
        t.precision = .millisecond
        return true
    }

    private static func parseOffset(_ s: inout Substring) -> Int? {
        if s.hasPrefix("Z") {
            s = s.dropFirst()
            return 0
        }
        guard let sign = s.first, sign == "+" || sign == "-" else { return nil }
        s = s.dropFirst()
        guard let h = digits(&s, 2), s.hasPrefix(":") else { return nil }
        s = s.dropFirst()
        guard let m = digits(&s, 2), h <= 14, m < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (h * 60 + m)
    }

    private static func digits(_ s: inout Substring, _ n: Int) -> Int? {
        let head = s.prefix(n)
        guard head.count == n, head.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        s = s.dropFirst(n)
        return Int(head)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension FHIRPathTemporal: CustomStringConvertible {
    /// The ISO text (no `@`), with components up to the precision, e.g. `2015-02-04T14:34:28.000+09:00`.
    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
        }
        var out = ""
        if kind != .time {
            out = pad(year, 4)
            if precision >= .month { out += "-" + pad(month, 2) }
            if precision >= .day { out += "-" + pad(day, 2) }
            if kind == .dateTime {
                out += "T"
            }
        }
        if precision >= .hour {
            out += pad(hour, 2)
            if precision >= .minute { out += ":" + pad(minute, 2) }
            if precision >= .second { out += ":" + pad(second, 2) }
            if precision >= .millisecond { out += "." + pad(millisecond, 3) }
            if kind == .dateTime, let off = offsetMinutes {
                if off == 0 {
                    out += "Z"
                } else {
                    out += (off < 0 ? "-" : "+") + pad(abs(off) / 60, 2) + ":" + pad(abs(off) % 60, 2)
                }
            }
        } else if kind == .dateTime, out.hasSuffix("T"), precision < .hour {
            out.removeLast()
        }
        return out
    }
}
