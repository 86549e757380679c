import Foundation

/// Turns local wall-clock times of one IANA time zone into instants and back, with defined answers for the
/// two hard cases of daylight-saving changes:
///
/// - a local time that does not exist (the spring-forward gap, e.g. 02:30 on the last Sunday of March in
///   Europe/Rome) is moved forward by the length of the gap (02:30 → 03:30 CEST), as RFC 5545 and java.time do;
/// - a local time that occurs twice (the autumn fall-back, e.g. 02:30 on the last Sunday of October) is taken at
///   its first occurrence (the earlier instant, still in summer time).
public struct ZoneResolver: Sendable {
    public let timeZone: TimeZone
    /// Offsets known for an interval (see ``prepared(from:to:)``): the offset before the first transition and
    /// each transition instant with the offset after it.
    private var table: OffsetTable?

    struct OffsetTable: Sendable {
        var from: Double
        var to: Double
        var initial: Int
        var transitions: [(at: Double, offset: Int)]

        func offset(at t: Double) -> Int? {
            guard t >= from && t < to else { return nil }
            var result = initial
            for tr in transitions {
                if tr.at <= t { result = tr.offset } else { break }
            }
            return result
        }
    }

    /// A resolver that answers offsets in `[from, to)` from a precomputed transition table (the zone database
    /// is asked once per transition instead of once per lookup).
    public func prepared(from: Date, to: Date) -> ZoneResolver {
        var copy = self
        var transitions: [(Double, Int)] = []
        var cursor = from
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next < to {
            transitions.append((next.timeIntervalSince1970, timeZone.secondsFromGMT(for: next)))
            cursor = next
        }
        copy.table = OffsetTable(
            from: from.timeIntervalSince1970, to: to.timeIntervalSince1970, initial: timeZone.secondsFromGMT(for: from),
            transitions: transitions)
        return copy
    }

    /// - Throws: ``BookingError/invalidTimeZone(_:)`` for an unknown IANA identifier.
    public init(identifier: String) throws(BookingError) {
        guard let tz = TimeZone(identifier: identifier) else { throw .invalidTimeZone(identifier) }
        timeZone = tz
    }

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Offset from UTC in seconds at `instant`.
    public func offset(at instant: Date) -> Int {
        if let table, let o = table.offset(at: instant.timeIntervalSince1970) { return o }
        return timeZone.secondsFromGMT(for: instant)
    }

    /// The instant of `date` at `minuteOfDay` local time (see the type's rules for gaps and repeats).
    public func instant(_ date: LocalDate, minuteOfDay: Int) -> Date {
        let wall = Double(date.daysSinceEpoch * 86400 + minuteOfDay * 60)
        // Offsets on either side of any transition near this wall time.
        let before = offset(at: Date(timeIntervalSince1970: wall - 86400))
        let after = offset(at: Date(timeIntervalSince1970: wall + 86400))
        if before == after { return Date(timeIntervalSince1970: wall - Double(before)) }
        let early = Date(timeIntervalSince1970: wall - Double(before))
        let late = Date(timeIntervalSince1970: wall - Double(after))
        let earlyValid = offset(at: early) == before
        let lateValid = offset(at: late) == after
        switch (earlyValid, lateValid) {
        case (true, true): return min(early, late)  // repeated: first occurrence
        case (true, false): return early
        case (false, true): return late
        case (false, false): return early  // gap: the pre-transition offset lands after the gap
        }
    }

    /// The local date and minute of day of `instant`.
    public func local(_ instant: Date) -> (date: LocalDate, minuteOfDay: Int) {
        let wall = Int(instant.timeIntervalSince1970.rounded(.down)) + offset(at: instant)
        let days = Int((Double(wall) / 86400).rounded(.down))
        return (LocalDate(daysSinceEpoch: days), (wall - days * 86400) / 60)
    }

    /// ISO 8601 text of `instant` with this zone's offset, e.g. `2025-03-30T09:00:00+02:00`.
    public func iso8601(_ instant: Date) -> String {
        let (date, minute) = local(instant)
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) % 60
        let off = offset(at: instant)
        let sign = off < 0 ? "-" : "+"
        let a = abs(off) / 60
        func p2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(date)T\(p2(minute / 60)):\(p2(minute % 60)):\(p2((seconds + 60) % 60))\(sign)\(p2(a / 60)):\(p2(a % 60))"
    }
}
