import Foundation

/// Utility functions (§5.9): now(), today(), timeOfDay(), in UTC, one instant per evaluation.
extension Evaluator {
    func utility(_ f: FunctionName) -> [FHIRPathValue] {
        let ms = context.clockMilliseconds ?? Int((Date().timeIntervalSince1970 * 1000).rounded(.down))
        var t = FHIRPathTemporal(kind: .dateTime, precision: .millisecond)
        t.setLocalMilliseconds(ms)
        t.offsetMinutes = 0
        t.fractionDigits = 3
        switch f {
        case .today:
            t.kind = .date
            t.precision = .day
            t.offsetMinutes = nil
            return [.date(t)]
        case .timeOfDay:
            var time = FHIRPathTemporal(kind: .time, precision: .millisecond)
            time.setLocalMilliseconds(ms % 86_400_000)
            return [.time(time)]
        default:
            return [.dateTime(t)]
        }
    }
}
