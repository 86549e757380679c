import Foundation

/// Math functions (§5.7).
extension Evaluator {
    func math(
        _ f: FunctionName, _ input: [FHIRPathValue], _ args: [[FHIRPathValue]]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        guard let v = try singleValue(input, "\(f.rawValue)()") else { return [] }
        if case .quantity(var q) = v, f == .abs {
            q.value = Swift.abs(q.value)
            return [.quantity(q)]
        }
        guard let d = Equality.numeric(v) else {
            throw .execution(message: "\(f.rawValue)() expects a number, got \(v.typeName)")
        }
        let x = NSDecimalNumber(decimal: d).doubleValue
        func decimal(_ r: Double) -> [FHIRPathValue] {
            r.isFinite ? [.decimal(Decimal(string: String(r), locale: nil) ?? Decimal(r))] : []
        }
        func argument() throws(FHIRPathError) -> Decimal? {
            guard !args.isEmpty, let a = try singleValue(args[0], "\(f.rawValue)()") else { return nil }
            guard let n = Equality.numeric(a) else { throw .execution(message: "\(f.rawValue)() needs a number") }
            return n
        }
        switch f {
        case .abs:
            if case .integer(let i) = v { return [.integer(Swift.abs(i))] }
            return [.decimal(Swift.abs(d))]
        case .ceiling: return [.integer(Int(x.rounded(.up)))]
        case .floor: return [.integer(Int(x.rounded(.down)))]
        case .truncate: return [.integer(Int(x.rounded(.towardZero)))]
        case .exp: return decimal(Foundation.exp(x))
        case .ln: return x <= 0 ? [] : decimal(Foundation.log(x))
        case .sqrt: return x < 0 ? [] : decimal(x.squareRoot())
        case .log:
            guard let base = try argument() else { return [] }
            let b = NSDecimalNumber(decimal: base).doubleValue
            return x <= 0 || b <= 0 || b == 1 ? [] : decimal(Foundation.log(x) / Foundation.log(b))
        case .power:
            guard let e = try argument() else { return [] }
            let ed = NSDecimalNumber(decimal: e).doubleValue
            let r = Foundation.pow(x, ed)
            guard r.isFinite, !r.isNaN else { return [] }
            if case .integer = v, let ev = args.first?.first?.systemValue, case .integer = ev {
                return r.magnitude <= Double(Int32.max) ? [.integer(Int(r))] : []
            }
            return decimal(r)
        default:  // round
            var precision = 0
            if let p = try argument() {
                precision = NSDecimalNumber(decimal: p).intValue
                guard precision >= 0 else { throw .execution(message: "round() precision must be >= 0") }
            }
            var value = d
            var r = Decimal()
            NSDecimalRound(&r, &value, precision, .plain)
            return [.decimal(r)]
        }
    }
}
