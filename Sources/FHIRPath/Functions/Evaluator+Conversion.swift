import Foundation

/// Conversion functions (§5.5): toX() and convertsToX().
extension Evaluator {
    func conversion(
        _ f: FunctionName, _ input: [FHIRPathValue], _ args: [[FHIRPathValue]]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        guard let item = try single(input, "\(f.rawValue)()") else { return [] }
        guard let v = item.systemValue else { return [] }
        let unit: String? =
            if args.first.map({ !$0.isEmpty }) == true, case .string(let u) = try singleValue(args[0], "unit") {
                u
            } else { nil }
        let converted: FHIRPathValue?
        switch f {
        case .toBoolean, .convertsToBoolean: converted = Self.toBoolean(v)
        case .toInteger, .convertsToInteger: converted = Self.toInteger(v)
        case .toDecimal, .convertsToDecimal: converted = Self.toDecimal(v)
        case .toString, .convertsToString: converted = Self.toString(v).map(FHIRPathValue.string)
        case .toDate, .convertsToDate: converted = Self.toTemporal(v, .date)
        case .toDateTime, .convertsToDateTime: converted = Self.toTemporal(v, .dateTime)
        case .toTime, .convertsToTime: converted = Self.toTemporal(v, .time)
        default: converted = Self.toQuantity(v, unit: unit)
        }
        if f.rawValue.hasPrefix("convertsTo") { return FHIRPathValue.booleanCollection(converted != nil) }
        return converted.map { [$0] } ?? []
    }

    static func toBoolean(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .boolean: return v
        case .integer(let i): return i == 1 ? .boolean(true) : i == 0 ? .boolean(false) : nil
        case .decimal(let d, _): return d == 1 ? .boolean(true) : d == 0 ? .boolean(false) : nil
        case .string(let s):
            switch s.lowercased() {
            case "true", "t", "yes", "y", "1", "1.0": return .boolean(true)
            case "false", "f", "no", "n", "0", "0.0": return .boolean(false)
            default: return nil
            }
        default: return nil
        }
    }

    static func toInteger(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .integer: return v
        case .boolean(let b): return .integer(b ? 1 : 0)
        case .string(let s):
            guard isInteger(s), let i = Int(s.hasPrefix("+") ? String(s.dropFirst()) : s) else { return nil }
            return .integer(i)
        default: return nil
        }
    }

    private static func isInteger(_ s: String) -> Bool {
        var u = Substring(s)
        if u.first == "+" || u.first == "-" { u = u.dropFirst() }
        return !u.isEmpty && u.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func isDecimal(_ s: String) -> Bool {
        var u = Substring(s)
        if u.first == "+" || u.first == "-" { u = u.dropFirst() }
        let parts = u.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    static func toDecimal(_ v: FHIRPathValue) -> FHIRPathValue? {
        switch v {
        case .decimal: return v
        case .integer(let i): return .decimal(Decimal(i))
        case .boolean(let b): return .decimal(b ? 1 : 0)
        case .string(let s):
            guard isDecimal(s) else { return nil }
            return FHIRPathValue.decimal(text: s)
        default: return nil
        }
    }

    static func toString(_ v: FHIRPathValue) -> String? {
        switch v {
        case .string(let s): s
        case .boolean(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .decimal(let d, let s): FHIRPathValue.format(d, scale: s)
        case .date(let t), .dateTime(let t), .time(let t): t.description
        case .quantity(let q): q.isCalendarDuration ? "\(q.value) \(q.unit)" : "\(q.value) '\(q.unit)'"
        case .node: nil
        }
    }

    static func toTemporal(_ v: FHIRPathValue, _ kind: FHIRPathTemporal.Kind) -> FHIRPathValue? {
        switch (v, kind) {
        case (.date(let t), .date), (.dateTime(let t), .dateTime), (.time(let t), .time):
            return .temporal(t)
        case (.date(var t), .dateTime):
            t.kind = .dateTime
            return .dateTime(t)
        case (.dateTime(var t), .date):
            t.kind = .date
            t.precision = min(t.precision, .day)
            t.offsetMinutes = nil
            return .date(t)
        case (.string(let s), _):
            guard var t = FHIRPathTemporal.parse(s, kind: kind == .time ? .time : nil) else { return nil }
            if kind == .date, t.kind == .dateTime {
                t.kind = .date
                t.precision = min(t.precision, .day)
                t.offsetMinutes = nil
            } else if kind == .dateTime {
                t.kind = .dateTime
            }
            guard t.kind == kind else { return nil }
            return .temporal(t)
        default:
            return nil
        }
    }

    static func toQuantity(_ v: FHIRPathValue, unit: String?) -> FHIRPathValue? {
        var q: FHIRPathQuantity
        switch v {
        case .quantity(let x): q = x
        case .integer(let i): q = FHIRPathQuantity(value: Decimal(i), unit: "1")
        case .decimal(let d, _): q = FHIRPathQuantity(value: d, unit: "1")
        case .boolean(let b): q = FHIRPathQuantity(value: b ? 1 : 0, unit: "1")
        case .string(let s):
            guard let parsed = parseQuantity(s) else { return nil }
            q = parsed
        default: return nil
        }
        if let unit, unit != q.unit {
            let target = FHIRPathQuantity(value: 1, unit: unit)
            guard let (vq, vt) = UnitConversion.commensurate(q, target), vt != 0 else { return nil }
            q = FHIRPathQuantity(value: vq / vt, unit: unit)
        }
        return .quantity(q)
    }

    /// `5.5 'mg'`, `4 days`, `1` (unit `1`).
    static func parseQuantity(_ s: String) -> FHIRPathQuantity? {
        let trimmed = s.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }
        guard isDecimal(String(number)), let value = Decimal(string: String(number), locale: nil) else { return nil }
        let rest = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        if rest.isEmpty { return FHIRPathQuantity(value: value, unit: "1") }
        if rest.count >= 2, rest.hasPrefix("'"), rest.hasSuffix("'") {
            return FHIRPathQuantity(value: value, unit: String(rest.dropFirst().dropLast()))
        }
        if FHIRPathQuantity.calendarUnits[rest] != nil { return FHIRPathQuantity(value: value, unit: rest) }
        return nil
    }
}
