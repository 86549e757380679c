import FHIRModel
import Foundation

/// FHIRPath equality (`=`) and equivalence (`~`) of items and collections.
enum Equality {
    /// Item equality: true/false, or nil when the answer is unknown (dates of different precision,
    /// quantities of incomparable units).
    static func equal(_ a0: FHIRPathValue, _ b0: FHIRPathValue) -> Bool? {
        if case .node(let ea) = a0, case .node(let eb) = b0, ea.value == nil || eb.value == nil {
            if !FHIRPathValue.quantityTypes.contains(ea.type) || !FHIRPathValue.quantityTypes.contains(eb.type) {
                return ea.value == eb.value && ea.children == eb.children
            }
        }
        guard let a = a0.systemValue, let b = b0.systemValue else { return false }
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.integer(let x), .integer(let y)): return x == y
        case (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal):
            return numeric(a)! == numeric(b)!
        case (.date(let x), .date(let y)), (.dateTime(let x), .dateTime(let y)), (.time(let x), .time(let y)),
            (.date(let x), .dateTime(let y)), (.dateTime(let x), .date(let y)):
            return FHIRPathTemporal.compare(x, y).map { $0 == 0 }
        case (.quantity(let x), .quantity(let y)):
            guard let (vx, vy) = UnitConversion.commensurate(x, y) else { return nil }
            return vx == vy
        default:
            return false
        }
    }

    /// Item equivalence: never unknown.
    static func equivalent(_ a0: FHIRPathValue, _ b0: FHIRPathValue) -> Bool {
        if case .node(let ea) = a0, case .node(let eb) = b0, ea.value == nil || eb.value == nil {
            if !FHIRPathValue.quantityTypes.contains(ea.type) || !FHIRPathValue.quantityTypes.contains(eb.type) {
                return equivalentChildren(ea, eb)
            }
        }
        guard let a = a0.systemValue, let b = b0.systemValue else { return false }
        switch (a, b) {
        case (.string(let x), .string(let y)): return normalized(x) == normalized(y)
        case (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal):
            let x = numeric(a)!
            let y = numeric(b)!
            let scale = min(scaleOf(a), scaleOf(b))
            return rounded(x, scale) == rounded(y, scale)
        case (.date(let x), .date(let y)), (.dateTime(let x), .dateTime(let y)), (.time(let x), .time(let y)),
            (.date(let x), .dateTime(let y)), (.dateTime(let x), .date(let y)):
            return FHIRPathTemporal.compare(x, y) == 0
        case (.quantity(let x), .quantity(let y)):
            guard let (vx, vy) = UnitConversion.commensurate(x, y, equivalence: true) else { return false }
            let scale = min(scaleOf(.decimal(x.value)), scaleOf(.decimal(y.value)))
            return rounded(vx, scale) == rounded(vy, scale)
        default:
            return equal(a, b) ?? false
        }
    }

    private static func equivalentChildren(_ a: Element, _ b: Element) -> Bool {
        let ca = a.children.filter { $0.name != "id" }
        let cb = b.children.filter { $0.name != "id" }
        guard a.value == b.value, ca.count == cb.count else { return false }
        return zip(ca, cb).allSatisfy { x, y in x.name == y.name && equivalent(.node(x), .node(y)) }
    }

    /// Collection equality (`=`): nil when either side is empty or an item pair is unknown.
    static func equal(_ a: [FHIRPathValue], _ b: [FHIRPathValue]) -> Bool? {
        if a.isEmpty || b.isEmpty { return nil }
        if a.count != b.count { return false }
        var unknown = false
        for (x, y) in zip(a, b) {
            guard let e = equal(x, y) else {
                unknown = true
                continue
            }
            if !e { return false }
        }
        return unknown ? nil : true
    }

    /// Collection equivalence (`~`): order does not matter; two empty collections are equivalent.
    static func equivalent(_ a: [FHIRPathValue], _ b: [FHIRPathValue]) -> Bool {
        if a.isEmpty && b.isEmpty { return true }
        if a.count != b.count { return false }
        var used = [Bool](repeating: false, count: b.count)
        for x in a {
            guard let k = b.indices.first(where: { !used[$0] && equivalent(x, b[$0]) }) else { return false }
            used[k] = true
        }
        return true
    }

    /// Whether `item` is in `collection` by equality.
    static func contains(_ collection: [FHIRPathValue], _ item: FHIRPathValue) -> Bool {
        collection.contains { equal($0, item) == true }
    }

    /// The collection without repeated items (first occurrence kept).
    static func distinct(_ c: [FHIRPathValue]) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        out.reserveCapacity(c.count)
        for x in c where !contains(out, x) { out.append(x) }
        return out
    }

    static func numeric(_ v: FHIRPathValue) -> Decimal? {
        switch v {
        case .integer(let i): Decimal(i)
        case .decimal(let d, _): d
        default: nil
        }
    }

    static func normalized(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Digits after the point of a number.
    static func scaleOf(_ v: FHIRPathValue) -> Int {
        guard case .decimal(_, let scale) = v else { return 0 }
        return scale
    }

    static func rounded(_ d: Decimal, _ scale: Int) -> Decimal {
        var x = d
        var r = Decimal()
        NSDecimalRound(&r, &x, scale, .plain)
        return r
    }
}
