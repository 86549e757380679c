import FHIRModel
import Foundation

extension Evaluator {
    func binary(
        _ op: BinaryOperator, _ l: ExpressionNode, _ r: ExpressionNode, scope: Scope
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        switch op {
        case .and, .or, .xor, .implies:
            return try logic(op, l, r, scope: scope)
        default:
            break
        }
        var operandScope = scope
        if op == .union { operandScope.inUnion = true }
        let left = try evaluate(l, scope: operandScope)
        let right = try evaluate(r, scope: operandScope)
        switch op {
        case .union:
            return Equality.distinct(left + right)
        case .equal:
            return Equality.equal(left, right).map { FHIRPathValue.booleanCollection($0) } ?? []
        case .notEqual:
            return Equality.equal(left, right).map { FHIRPathValue.booleanCollection(!$0) } ?? []
        case .equivalent:
            return FHIRPathValue.booleanCollection(Equality.equivalent(left, right))
        case .notEquivalent:
            return FHIRPathValue.booleanCollection(!Equality.equivalent(left, right))
        case .in, .contains:
            let (item, collection) = op == .in ? (left, right) : (right, left)
            guard let x = try single(item, op.rawValue) else { return [] }
            return FHIRPathValue.booleanCollection(Equality.contains(collection, x))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let a = try singleValue(left, op.rawValue), let b = try singleValue(right, op.rawValue) else {
                return []
            }
            guard let c = try compare(a, b) else { return [] }
            switch op {
            case .less: return FHIRPathValue.booleanCollection(c < 0)
            case .lessOrEqual: return FHIRPathValue.booleanCollection(c <= 0)
            case .greater: return FHIRPathValue.booleanCollection(c > 0)
            default: return FHIRPathValue.booleanCollection(c >= 0)
            }
        case .concatenate:
            let a = try singleValue(left, "&")
            let b = try singleValue(right, "&")
            return [.string(Self.text(a) + Self.text(b))]
        default:
            guard let a = try singleValue(left, op.rawValue), let b = try singleValue(right, op.rawValue) else {
                return []
            }
            return try Arithmetic.apply(op, a, b).map { [$0] } ?? []
        }
    }

    private static func text(_ v: FHIRPathValue?) -> String {
        if case .string(let s) = v { return s }
        return ""
    }

    /// Three-valued logic; the right side is evaluated only when needed.
    private func logic(
        _ op: BinaryOperator, _ l: ExpressionNode, _ r: ExpressionNode, scope: Scope
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        let a = try boolean(try evaluate(l, scope: scope), op.rawValue)
        func result(_ b: Bool?) -> [FHIRPathValue] { b.map { FHIRPathValue.booleanCollection($0) } ?? [] }
        switch op {
        case .and:
            if a == false { return FHIRPathValue.booleanCollection(false) }
            let b = try boolean(try evaluate(r, scope: scope), op.rawValue)
            if b == false { return FHIRPathValue.booleanCollection(false) }
            return a == true && b == true ? FHIRPathValue.booleanCollection(true) : []
        case .or:
            if a == true { return FHIRPathValue.booleanCollection(true) }
            let b = try boolean(try evaluate(r, scope: scope), op.rawValue)
            if b == true { return FHIRPathValue.booleanCollection(true) }
            return a == false && b == false ? FHIRPathValue.booleanCollection(false) : []
        case .xor:
            let b = try boolean(try evaluate(r, scope: scope), op.rawValue)
            guard let a, let b else { return [] }
            return FHIRPathValue.booleanCollection(a != b)
        default:  // implies
            if a == false { return FHIRPathValue.booleanCollection(true) }
            let b = try boolean(try evaluate(r, scope: scope), op.rawValue)
            if b == true { return FHIRPathValue.booleanCollection(true) }
            if a == true { return result(b) }
            return []
        }
    }

    /// Orders two System values; nil when unknown (dates of different precision); an execution error
    /// when they are not comparable at all.
    func compare(_ a: FHIRPathValue, _ b: FHIRPathValue) throws(FHIRPathError) -> Int? {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.integer, .integer), (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal):
            let x = Equality.numeric(a)!
            let y = Equality.numeric(b)!
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.date(let x), .date(let y)), (.dateTime(let x), .dateTime(let y)), (.time(let x), .time(let y)),
            (.date(let x), .dateTime(let y)), (.dateTime(let x), .date(let y)):
            return FHIRPathTemporal.compare(x, y)
        case (.quantity(let x), .quantity(let y)):
            guard let (vx, vy) = UnitConversion.commensurate(x, y) else {
                if x.isCalendarDuration || y.isCalendarDuration { return nil }
                throw .execution(message: "cannot compare quantities in '\(x.unit)' and '\(y.unit)'")
            }
            return vx == vy ? 0 : (vx < vy ? -1 : 1)
        default:
            throw .execution(message: "cannot compare \(a.typeName) with \(b.typeName)")
        }
    }

    func negate(_ c: [FHIRPathValue]) throws(FHIRPathError) -> [FHIRPathValue] {
        guard let v = try singleValue(c, "unary -") else { return [] }
        switch v {
        case .integer(let i): return [.integer(-i)]
        case .decimal(let d, let s): return [.decimal(-d, scale: s)]
        case .quantity(var q):
            q.value = -q.value
            return [.quantity(q)]
        default: throw .execution(message: "cannot negate \(v.typeName)")
        }
    }
}
