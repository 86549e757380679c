/// A calendar date without a time zone (proleptic Gregorian), as rules and exceptions are written.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// - Precondition: a real calendar date.
    public init(_ year: Int, _ month: Int, _ day: Int) {
        precondition((1...12).contains(month) && day >= 1 && day <= LocalDate.daysIn(year, month), "invalid date")
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil when not a real date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1,
            d <= LocalDate.daysIn(y, m)
        else { return nil }
        self.init(y, m, d)
    }

    public init(daysSinceEpoch n: Int) {
        // H. Hinnant's civil_from_days.
        let z = n + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// ISO weekday of this date.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let n = ((daysSinceEpoch % 7) + 7 + 3) % 7
        return Weekday.allCases[n]
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public var description: String {
        func pad(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(_ y: Int, _ m: Int) -> Int {
        [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let d = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "invalid date \(text)")
        }
        self = d
    }
}

/// ISO weekdays, Monday first.
public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable {
    case monday = "mon"
    case tuesday = "tue"
    case wednesday = "wed"
    case thursday = "thu"
    case friday = "fri"
    case saturday = "sat"
    case sunday = "sun"
}

/// A wall-clock time of day in minutes since midnight (0…1440; 1440 is the end of the day).
public struct LocalTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let minuteOfDay: Int

    public init(_ hour: Int, _ minute: Int = 0) {
        precondition(hour >= 0 && minute >= 0 && minute < 60 && hour * 60 + minute <= 1440, "invalid time")
        minuteOfDay = hour * 60 + minute
    }

    /// Parses `HH:mm` (24:00 allowed as the end of the day).
    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            h >= 0, m >= 0, m < 60, h * 60 + m <= 1440
        else { return nil }
        minuteOfDay = h * 60 + m
    }

    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minuteOfDay < b.minuteOfDay }

    public var description: String {
        let h = minuteOfDay / 60
        let m = minuteOfDay % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let t = LocalTime(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "invalid time \(text)")
        }
        self = t
    }
}
