import Foundation

/// precision(), lowBoundary(), highBoundary() and comparable() (FHIRPath 2.0 additions in the suite).
extension Evaluator {
    func boundaries(
        _ f: FunctionName, _ input: [FHIRPathValue], _ args: [[FHIRPathValue]]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        guard let v = try singleValue(input, "\(f.rawValue)()") else { return [] }
        switch f {
        case .comparable:
            guard case .quantity(let a) = v, case .quantity(let b)? = try singleValue(args[0], "comparable()") else {
                return []
            }
            return FHIRPathValue.booleanCollection(UnitConversion.commensurate(a, b) != nil)
        case .precision:
            switch v {
            case .decimal: return [.integer(Equality.scaleOf(v))]
            case .integer: return [.integer(0)]
            case .date(let t), .dateTime(let t), .time(let t):
                let digits: [FHIRPathTemporal.Precision: Int] = [
                    .year: 4, .month: 6, .day: 8, .hour: 10, .minute: 12, .second: 14, .millisecond: 17,
                ]
                let n = digits[t.precision] ?? 0
                return [.integer(t.kind == .time ? n - 8 : n)]
            default: return []
            }
        default:
            var precision: Int?
            if let a = args.first, let p = try singleValue(a, "\(f.rawValue)()") {
                guard case .integer(let n) = p else { throw .execution(message: "precision must be an integer") }
                precision = n
            }
            return boundary(v, high: f == .highBoundary, precision: precision).map { [$0] } ?? []
        }
    }

    private func boundary(_ v: FHIRPathValue, high: Bool, precision: Int?) -> FHIRPathValue? {
        switch v {
        case .decimal, .integer:
            let d = Equality.numeric(v)!
            let target = precision ?? 8
            guard target >= 0, target <= 28 else { return nil }
            let half = Decimal(sign: .plus, exponent: -(Equality.scaleOf(v) + 1), significand: 5)
            var x = high ? d + half : d - half
            var r = Decimal()
            let mode: NSDecimalNumber.RoundingMode = high ? (x < 0 ? .up : .plain) : (x < 0 ? .plain : .down)
            NSDecimalRound(&r, &x, target, mode)
            return .decimal(r, scale: target)
        case .quantity(var q):
            guard
                case .decimal(let d, _)? = boundary(
                    .decimal(text: "\(q.value)") ?? .decimal(q.value), high: high, precision: precision)
            else { return nil }
            q.value = d
            return .quantity(q)
        case .date(var t), .dateTime(var t), .time(var t):
            let fullDate = t.kind == .date ? FHIRPathTemporal.Precision.day : .millisecond
            if t.precision < .month { t.month = high ? 12 : 1 }
            if t.precision < .day { t.day = high ? FHIRPathTemporal.daysIn(year: t.year, month: t.month) : 1 }
            if t.precision < .hour { t.hour = high ? 23 : 0 }
            if t.precision < .minute { t.minute = high ? 59 : 0 }
            if t.precision < .second { t.second = high ? 59 : 0 }
            if t.precision < .millisecond { t.millisecond = high ? 999 : 0 }
            if t.kind == .dateTime, t.offsetMinutes == nil { t.offsetMinutes = high ? -12 * 60 : 14 * 60 }
            t.precision = fullDate
            if let precision {
                let digits: [Int: FHIRPathTemporal.Precision] =
                    t.kind == .time
                    ? [2: .hour, 4: .minute, 6: .second, 9: .millisecond]
                    : [4: .year, 6: .month, 8: .day, 10: .hour, 12: .minute, 14: .second, 17: .millisecond]
                guard let p = digits[precision] else { return nil }
                t.precision = p
                if t.kind == .dateTime, p <= .day {
                    t.kind = .date
                    t.offsetMinutes = nil
                }
            }
            return .temporal(t)
        default:
            return nil
        }
    }
}
