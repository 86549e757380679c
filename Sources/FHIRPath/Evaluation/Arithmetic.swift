import Foundation

/// The math operators on System values.
enum Arithmetic {
    /// `a op b`; nil gives the empty collection (division by zero, overflow).
    static func apply(_ op: BinaryOperator, _ a: FHIRPathValue, _ b: FHIRPathValue) throws(FHIRPathError)
        -> FHIRPathValue?
    {
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)):
            return .string(x + y)
        case (.add, .integer(let x), .integer(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o || r > Int(Int32.max) || r < Int(Int32.min) ? nil : .integer(r)
        case (.subtract, .integer(let x), .integer(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o || r > Int(Int32.max) || r < Int(Int32.min) ? nil : .integer(r)
        case (.multiply, .integer(let x), .integer(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o || r > Int(Int32.max) || r < Int(Int32.min) ? nil : .integer(r)
        case (.div, .integer(let x), .integer(let y)):
            return y == 0 ? nil : .integer(x / y)
        case (.mod, .integer(let x), .integer(let y)):
            return y == 0 ? nil : .integer(x % y)
        case (.add, .date(let t), .quantity(let q)), (.add, .dateTime(let t), .quantity(let q)),
            (.add, .time(let t), .quantity(let q)):
            return try shift(t, q, sign: 1)
        case (.subtract, .date(let t), .quantity(let q)), (.subtract, .dateTime(let t), .quantity(let q)),
            (.subtract, .time(let t), .quantity(let q)):
            return try shift(t, q, sign: -1)
        case (.add, .quantity(let x), .quantity(let y)), (.subtract, .quantity(let x), .quantity(let y)):
            guard let (vx, vy) = UnitConversion.commensurate(x, y) else { return nil }
            if x.unit == y.unit {
                return .quantity(
                    FHIRPathQuantity(value: op == .add ? x.value + y.value : x.value - y.value, unit: x.unit))
            }
            // Computed in the dimension's base unit, given in the left operand's unit.
            guard let factor = UnitConversion.factor(x.unit) else { return nil }
            let r = op == .add ? vx + vy : vx - vy
            return .quantity(FHIRPathQuantity(value: r / factor, unit: x.unit))
        case (.multiply, .quantity(let q), .integer), (.multiply, .quantity(let q), .decimal):
            return .quantity(FHIRPathQuantity(value: q.value * Equality.numeric(b)!, unit: q.unit))
        case (.multiply, .integer, .quantity(let q)), (.multiply, .decimal, .quantity(let q)):
            return .quantity(FHIRPathQuantity(value: q.value * Equality.numeric(a)!, unit: q.unit))
        case (.multiply, .quantity(let x), .quantity(let y)):
            if let square = UnitConversion.square(x, y) { return .quantity(square) }
            return .quantity(
                FHIRPathQuantity(value: x.value * y.value, unit: productUnit(x.unit, y.unit, "."))
            )
        case (.divide, .quantity(let x), .quantity(let y)):
            guard y.value != 0 else { return nil }
            if x.unit == y.unit { return .quantity(FHIRPathQuantity(value: x.value / y.value, unit: "1")) }
            return .quantity(FHIRPathQuantity(value: x.value / y.value, unit: productUnit(x.unit, y.unit, "/")))
        case (.divide, .quantity(let q), .integer), (.divide, .quantity(let q), .decimal):
            let d = Equality.numeric(b)!
            return d == 0 ? nil : .quantity(FHIRPathQuantity(value: q.value / d, unit: q.unit))
        default:
            break
        }
        guard let x = Equality.numeric(a), let y = Equality.numeric(b) else {
            let temporal: Set<String> = ["System.Date", "System.DateTime", "System.Time"]
            if temporal.contains(a.typeName) || temporal.contains(b.typeName) {
                throw .semantic(message: "operator \(op.rawValue) not defined for \(a.typeName) and \(b.typeName)")
            }
            throw .execution(message: "operator \(op.rawValue) not defined for \(a.typeName) and \(b.typeName)")
        }
        switch op {
        case .add, .subtract:
            // Keep the larger scale of the operands: 1.50 + 2 is 3.50.
            let r = op == .add ? x + y : x - y
            let scale = Swift.max(Equality.scaleOf(a), Equality.scaleOf(b), -r.exponent, 0)
            return .decimal(r, scale: scale)
        case .multiply: return .decimal(x * y)
        case .divide: return y == 0 ? nil : .decimal(x / y)
        case .div:
            guard y != 0 else { return nil }
            return .integer(NSDecimalNumber(decimal: truncated(x / y)).intValue)
        case .mod:
            guard y != 0 else { return nil }
            return .decimal(x - y * truncated(x / y))
        default:
            throw .execution(message: "operator \(op.rawValue) not defined for numbers")
        }
    }

    static func truncated(_ d: Decimal) -> Decimal {
        var x = d
        var r = Decimal()
        NSDecimalRound(&r, &x, 0, d < 0 ? .up : .down)
        return r
    }

    private static func productUnit(_ a: String, _ b: String, _ op: String) -> String {
        if b == "1" { return a }
        if a == "1", op == "." { return b }
        return a + op + b
    }

    private static func shift(_ t: FHIRPathTemporal, _ q: FHIRPathQuantity, sign: Double) throws(FHIRPathError)
        -> FHIRPathValue?
    {
        guard let (unit, weeks) = q.temporalUnit, q.unit != "a", q.unit != "mo" else {
            throw .execution(message: "'\(q.unit)' is not a time unit")
        }
        if t.kind == .time, unit < .hour {
            throw .execution(message: "cannot add '\(q.unit)' to a time")
        }
        let amount = NSDecimalNumber(decimal: q.value).doubleValue * sign
        return t.adding(amount, unit: unit, weeks: weeks).map(FHIRPathValue.temporal)
    }
}
