/// Functions whose arguments are evaluated per input item: where, select, repeat, all, exists(criteria),
/// aggregate, iif, sort, trace.
extension Evaluator {
    func lambda(
        _ f: FunctionName, input: [FHIRPathValue], arguments: [ExpressionNode], scope: Scope, hasBase: Bool
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        func item(_ v: FHIRPathValue, _ i: Int) -> Scope { Scope(this: [v], index: i, total: scope.total) }
        switch f {
        case .where:
            var out: [FHIRPathValue] = []
            for (i, v) in input.enumerated()
            where try boolean(try evaluate(arguments[0], scope: item(v, i)), "where()") == true {
                out.append(v)
            }
            return out
        case .select:
            var out: [FHIRPathValue] = []
            for (i, v) in input.enumerated() { out.append(contentsOf: try evaluate(arguments[0], scope: item(v, i))) }
            return out
        case .exists:
            if arguments.isEmpty { return FHIRPathValue.booleanCollection(!input.isEmpty) }
            for (i, v) in input.enumerated()
            where try boolean(try evaluate(arguments[0], scope: item(v, i)), "exists()") == true {
                return FHIRPathValue.booleanCollection(true)
            }
            return FHIRPathValue.booleanCollection(false)
        case .all:
            for (i, v) in input.enumerated()
            where try boolean(try evaluate(arguments[0], scope: item(v, i)), "all()") != true {
                return FHIRPathValue.booleanCollection(false)
            }
            return FHIRPathValue.booleanCollection(true)
        case .repeat:
            var out: [FHIRPathValue] = []
            var frontier = input
            var rounds = 0
            while !frontier.isEmpty, rounds < 10_000 {
                var next: [FHIRPathValue] = []
                for (i, v) in frontier.enumerated() {
                    for r in try evaluate(arguments[0], scope: item(v, i)) where !Equality.contains(out, r) {
                        out.append(r)
                        next.append(r)
                    }
                }
                frontier = next
                rounds += 1
            }
            return out
        case .aggregate:
            var total = arguments.count > 1 ? try evaluate(arguments[1], scope: scope) : []
            for (i, v) in input.enumerated() {
                total = try evaluate(arguments[0], scope: Scope(this: [v], index: i, total: total))
            }
            return total
        case .iif:
            var s = scope
            if hasBase {
                if input.count > 1 { throw .execution(message: "iif() on more than one item") }
                s = Scope(this: input, index: scope.index, total: scope.total)
            }
            let c = try evaluate(arguments[0], scope: s)
            if c.count > 1 { throw .semantic(message: "iif() criterion gives more than one item") }
            if let first = c.first {
                guard case .boolean(let value) = first.systemValue else {
                    throw .semantic(message: "iif() criterion is not a Boolean")
                }
                if value { return try evaluate(arguments[1], scope: s) }
            }
            return arguments.count > 2 ? try evaluate(arguments[2], scope: s) : []
        case .trace:
            return input
        default:  // sort
            return try sort(input, arguments, scope: scope)
        }
    }

    private func sort(
        _ input: [FHIRPathValue], _ arguments: [ExpressionNode], scope: Scope
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        // Keys per item, then a stable insertion sort (collections are small).
        var keyed: [(FHIRPathValue, [FHIRPathValue?], Int)] = []
        for (i, v) in input.enumerated() {
            var keys: [FHIRPathValue?] = []
            if arguments.isEmpty {
                keys.append(v.systemValue)
            } else {
                for a in arguments {
                    var expr = a
                    if case .negate(let inner) = a { expr = inner }
                    let k = try evaluate(expr, scope: Scope(this: [v], index: i, total: scope.total))
                    keys.append(try singleValue(k, "sort()"))
                }
            }
            keyed.append((v, keys, i))
        }
        var descending: [Bool] = arguments.map { if case .negate = $0 { true } else { false } }
        if descending.isEmpty { descending = [false] }
        func less(_ a: [FHIRPathValue?], _ b: [FHIRPathValue?]) throws(FHIRPathError) -> Bool {
            for k in 0..<a.count {
                guard let x = a[k] else {
                    if b[k] != nil { return true }
                    continue
                }
                guard let y = b[k] else { return false }
                var c = try compare(x, y) ?? 0
                if descending[k] { c = -c }
                if c != 0 { return c < 0 }
            }
            return false
        }
        var sorted: [(FHIRPathValue, [FHIRPathValue?], Int)] = []
        for e in keyed {
            var at = sorted.count
            while at > 0, try less(e.1, sorted[at - 1].1) { at -= 1 }
            sorted.insert(e, at: at)
        }
        return sorted.map(\.0)
    }
}
