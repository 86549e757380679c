extension FHIRPathTemporal {
    /// Days since 1970-01-01 of a civil date (proleptic Gregorian).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Milliseconds since the epoch (date part) or since midnight (time), ignoring the zone.
    var localMilliseconds: Int {
        let days = kind == .time ? 0 : Self.daysFromCivil(year, month, day)
        return (((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + millisecond
    }

    /// Sets the components from milliseconds since the epoch (or since midnight for a Time).
    mutating func setLocalMilliseconds(_ total: Int) {
        var ms = total
        let dayMs = 86_400_000
        var days = ms >= 0 ? ms / dayMs : -((-ms + dayMs - 1) / dayMs)
        ms -= days * dayMs
        if kind == .time { days = 0 }
        if kind != .time { (year, month, day) = Self.civilFromDays(days) }
        hour = ms / 3_600_000
        minute = ms / 60_000 % 60
        second = ms / 1000 % 60
        millisecond = ms % 1000
    }

    /// This value moved to UTC when it has a zone and at least an hour; unchanged otherwise.
    var normalizedToUTC: FHIRPathTemporal {
        guard let off = offsetMinutes, off != 0, precision >= .hour, kind == .dateTime else { return self }
        var t = self
        t.setLocalMilliseconds(localMilliseconds - off * 60_000)
        t.offsetMinutes = 0
        return t
    }

    /// Orders two values per FHIRPath: -1, 0 or 1, or nil when they cannot be compared (different precision
    /// beyond the components they share, or a Time against a Date/DateTime).
    public static func compare(_ a0: FHIRPathTemporal, _ b0: FHIRPathTemporal) -> Int? {
        if (a0.kind == .time) != (b0.kind == .time) { return nil }
        var a = a0
        var b = b0
        if a.offsetMinutes != nil || b.offsetMinutes != nil {
            // A zone on one side only: the instant of the other is unknown.
            if a.precision >= .hour, b.precision >= .hour, (a.offsetMinutes == nil) != (b.offsetMinutes == nil) {
                return nil
            }
            a = a.normalizedToUTC
            b = b.normalizedToUTC
        }
        // Seconds and milliseconds are one precision for comparison.
        func level(_ p: Precision) -> Precision { p == .millisecond ? .second : p }
        let pa = level(a.precision)
        let pb = level(b.precision)
        var p = a.lowestPrecision
        while p <= min(pa, pb) {
            let va = p == .second ? a.second * 1000 + a.millisecond : a.component(p)
            let vb = p == .second ? b.second * 1000 + b.millisecond : b.component(p)
            if va != vb { return va < vb ? -1 : 1 }
            guard let next = Precision(rawValue: p.rawValue + 1) else { break }
            p = next
        }
        return pa == pb ? 0 : nil
    }

    /// Adds `amount` of a calendar `unit` (year, month, week, day, hour, minute, second, millisecond);
    /// nil for other units. Amounts finer than the value's precision are truncated to that precision.
    public func adding(_ amount: Double, unit: Precision, weeks: Bool = false) -> FHIRPathTemporal? {
        var t = self
        var unit = unit
        var amount = weeks ? amount * 7 : amount
        let myPrecision = precision == .millisecond ? Precision.millisecond : precision
        if kind != .time, unit > myPrecision {
            // Convert to the value's own precision, truncating.
            let seconds: Double
            switch unit {
            case .day: seconds = amount * 86400
            case .hour: seconds = amount * 3600
            case .minute: seconds = amount * 60
            case .second: seconds = amount
            case .millisecond: seconds = amount / 1000
            default: seconds = 0
            }
            switch myPrecision {
            case .year: amount = (seconds / (365 * 86400)).rounded(.towardZero)
            case .month: amount = (seconds / (30 * 86400)).rounded(.towardZero)
            case .day: amount = (seconds / 86400).rounded(.towardZero)
            case .hour: amount = (seconds / 3600).rounded(.towardZero)
            case .minute: amount = (seconds / 60).rounded(.towardZero)
            case .second: amount = seconds.rounded(.towardZero)
            case .millisecond: amount = (seconds * 1000).rounded(.towardZero)
            }
            unit = myPrecision
        }
        let whole = Int(amount.rounded(.towardZero))
        switch unit {
        case .year, .month:
            guard kind != .time else { return nil }
            let months = t.year * 12 + (t.month - 1) + (unit == .year ? whole * 12 : whole)
            t.year = months >= 0 ? months / 12 : -((-months + 11) / 12)
            t.month = months - t.year * 12 + 1
            t.day = Swift.min(t.day, Self.daysIn(year: t.year, month: t.month))
        case .day:
            guard kind != .time else { return nil }
            t.setLocalMilliseconds(t.localMilliseconds + whole * 86_400_000)
        case .hour, .minute, .second, .millisecond:
            let factor: Double =
                switch unit {
                case .hour: 3_600_000
                case .minute: 60_000
                case .second: 1000
                default: 1
                }
            var total = t.localMilliseconds + whole * Int(factor)
            if kind == .time { total = ((total % 86_400_000) + 86_400_000) % 86_400_000 }
            t.setLocalMilliseconds(total)
        }
        return t
    }
}
