import Foundation

/// The stable, readable identity of a virtual slot: schedule id and UTC start, e.g.
/// `dr-rossi.20250330T0700Z`. Reading a slot by id, booking it and listing it all use this one form.
public struct SlotID: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public let scheduleID: String
    /// Start, whole minutes (UTC).
    public let start: Date

    public init(scheduleID: String, start: Date) {
        self.scheduleID = scheduleID
        self.start = Date(timeIntervalSince1970: (start.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }

    /// Parses `SCHEDULE.yyyyMMddTHHmmZ`; nil when the text is not a slot id.
    public init?(_ text: String) {
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex else { return nil }
        let stamp = Array(text[text.index(after: dot)...].utf8)
        guard stamp.count == 14, stamp[8] == UInt8(ascii: "T"), stamp[13] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard stamp[i] >= 0x30 && stamp[i] <= 0x39 else { return nil }
                n = n * 10 + Int(stamp[i] - 0x30)
            }
            return n
        }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11), let mi = num(11..<13),
            (1...12).contains(mo), d >= 1, d <= LocalDate.daysIn(y, mo), h < 24, mi < 60
        else { return nil }
        let days = LocalDate(y, mo, d).daysSinceEpoch
        self.init(
            scheduleID: String(text[..<dot]),
            start: Date(timeIntervalSince1970: Double(days * 86400 + h * 3600 + mi * 60)))
    }

    public var description: String {
        let t = Int(start.timeIntervalSince1970)
        let days = Int((Double(t) / 86400).rounded(.down))
        let date = LocalDate(daysSinceEpoch: days)
        let minute = (t - days * 86400) / 60
        func p(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return
            "\(scheduleID).\(p(date.year, 4))\(p(date.month, 2))\(p(date.day, 2))T\(p(minute / 60, 2))\(p(minute % 60, 2))Z"
    }

    public static func < (a: SlotID, b: SlotID) -> Bool {
        (a.start, a.scheduleID) < (b.start, b.scheduleID)
    }
}
