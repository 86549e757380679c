/// How much of a date or time was given.
public enum DatePrecision: Int, Sendable, Hashable, Comparable {
    case year, month, day, minute, second, fraction

    public static func < (a: DatePrecision, b: DatePrecision) -> Bool { a.rawValue < b.rawValue }
}

/// A FHIR `date`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with real calendar ranges; keeps its precision.
public struct FHIRDate: Sendable, Hashable, CustomStringConvertible {
    public let year: Int
    public let month: Int?
    public let day: Int?

    public init?(_ text: String) {
        guard let parsed = DateTimeScanner(text).scanDate(), parsed.rest.isEmpty else { return nil }
        (year, month, day) = (parsed.year, parsed.month, parsed.day)
    }

    public var precision: DatePrecision { day != nil ? .day : month != nil ? .month : .year }

    public var description: String {
        var s = pad(year, 4)
        if let month { s += "-" + pad(month, 2) }
        if let day { s += "-" + pad(day, 2) }
        return s
    }
}

/// A FHIR `dateTime` or `instant`: a partial date, or a full date with time to the second (optionally a
/// fraction) and a time zone. The text is kept so that precision and offset survive a round trip.
public struct FHIRDateTime: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let year: Int
    public let month: Int?
    public let day: Int?
    public let hour: Int?
    public let minute: Int?
    public let second: Int?
    /// Fraction digits as written (`"250"` for `.250`).
    public let fraction: String?
    /// `Z` or `+hh:mm` / `-hh:mm` as written; nil when only a date was given.
    public let offsetText: String?

    public init?(_ text: String) {
        let scanner = DateTimeScanner(text)
        guard let date = scanner.scanDate() else { return nil }
        self.text = text
        (year, month, day) = (date.year, date.month, date.day)
        if date.rest.isEmpty {
            (hour, minute, second, fraction, offsetText) = (nil, nil, nil, nil, nil)
            return
        }
        guard date.day != nil, date.rest.first == "T",
            let time = DateTimeScanner.scanTime(date.rest.dropFirst()),
            let offset = DateTimeScanner.scanOffset(time.rest)
        else { return nil }
        (hour, minute, second, fraction, offsetText) = (time.hour, time.minute, time.second, time.fraction, offset)
    }

    public var precision: DatePrecision {
        if fraction != nil { return .fraction }
        if second != nil { return .second }
        if day != nil { return .day }
        return month != nil ? .month : .year
    }

    /// Offset from UTC in seconds, when a time zone was given.
    public var offsetSeconds: Int? {
        guard let o = offsetText else { return nil }
        if o == "Z" { return 0 }
        let sign = o.hasPrefix("-") ? -1 : 1
        let h = Int(o.dropFirst().prefix(2)) ?? 0
        let m = Int(o.suffix(2)) ?? 0
        return sign * (h * 3600 + m * 60)
    }

    /// Seconds since 1970-01-01T00:00:00Z of the earliest instant this value covers (time zone applied when
    /// known; a date alone is taken at UTC midnight).
    public var epochSeconds: Double {
        let days = daysFromCivil(year, month ?? 1, day ?? 1)
        var s = Double(days * 86400 + (hour ?? 0) * 3600 + (minute ?? 0) * 60 + (second ?? 0))
        if let fraction { s += Double("0." + fraction) ?? 0 }
        return s - Double(offsetSeconds ?? 0)
    }

    public var description: String { text }
}

/// A FHIR `time`: `hh:mm:ss` with an optional fraction.
public struct FHIRTime: Sendable, Hashable {
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let fraction: String?

    public init?(_ text: String) {
        guard let t = DateTimeScanner.scanTime(Substring(text)), t.rest.isEmpty else { return nil }
        (hour, minute, second, fraction) = (t.hour, t.minute, t.second, t.fraction)
    }
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

/// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

struct DateTimeScanner {
    let text: Substring

    init(_ text: String) {
        self.text = Substring(text)
    }

    static func digits(_ s: Substring, _ n: Int) -> Int? {
        guard s.utf8.count >= n else { return nil }
        let part = s.utf8.prefix(n)
        guard part.allSatisfy(PrimitiveLexicon.isDigit) else { return nil }
        return Int(Substring(part))
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    func scanDate() -> (year: Int, month: Int?, day: Int?, rest: Substring)? {
        var s = text
        guard let y = Self.digits(s, 4), y >= 1 else { return nil }
        s = s.dropFirst(4)
        guard s.first == "-" else { return (y, nil, nil, s) }
        s = s.dropFirst()
        guard let m = Self.digits(s, 2), (1...12).contains(m) else { return nil }
        s = s.dropFirst(2)
        guard s.first == "-" else { return (y, m, nil, s) }
        s = s.dropFirst()
        guard let d = Self.digits(s, 2), d >= 1, d <= Self.daysIn(y, m) else { return nil }
        return (y, m, d, s.dropFirst(2))
    }

    static func scanTime(_ t: Substring) -> (hour: Int, minute: Int, second: Int, fraction: String?, rest: Substring)? {
        var s = t
        guard let h = digits(s, 2), h < 24 else { return nil }
        s = s.dropFirst(2)
        guard s.first == ":" else { return nil }
        s = s.dropFirst()
        guard let mi = digits(s, 2), mi < 60 else { return nil }
        s = s.dropFirst(2)
        guard s.first == ":" else { return nil }
        s = s.dropFirst()
        guard let se = digits(s, 2), se <= 60 else { return nil }
        s = s.dropFirst(2)
        var fraction: String?
        if s.first == "." {
            s = s.dropFirst()
            let f = s.prefix { $0.isASCII && $0.isNumber }
            guard !f.isEmpty else { return nil }
            fraction = String(f)
            s = s.dropFirst(f.count)
        }
        return (h, mi, se, fraction, s)
    }

    static func scanOffset(_ s: Substring) -> String? {
        if s == "Z" { return "Z" }
        guard s.count == 6, s.first == "+" || s.first == "-", let h = digits(s.dropFirst(), 2),
            s.dropFirst(3).first == ":", let m = digits(s.dropFirst(4), 2), m < 60, h * 60 + m <= 14 * 60
        else { return nil }
        return String(s)
    }
}
