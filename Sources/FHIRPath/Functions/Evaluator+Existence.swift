/// Existence functions (spec §5.1) and `not()`.
extension Evaluator {
    func existence(
        _ f: FunctionName, _ input: [FHIRPathValue], _ args: [[FHIRPathValue]]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        func booleans() throws(FHIRPathError) -> [Bool] {
            var out: [Bool] = []
            for v in input {
                guard case .boolean(let b) = v.systemValue else {
                    throw .execution(message: "\(f.rawValue)() expects Booleans, got \(v.typeName)")
                }
                out.append(b)
            }
            return out
        }
        switch f {
        case .empty: return FHIRPathValue.booleanCollection(input.isEmpty)
        case .allTrue: return FHIRPathValue.booleanCollection(try booleans().allSatisfy { $0 })
        case .anyTrue: return FHIRPathValue.booleanCollection(try booleans().contains(true))
        case .allFalse: return FHIRPathValue.booleanCollection(try booleans().allSatisfy { !$0 })
        case .anyFalse: return FHIRPathValue.booleanCollection(try booleans().contains(false))
        case .subsetOf: return FHIRPathValue.booleanCollection(input.allSatisfy { Equality.contains(args[0], $0) })
        case .supersetOf: return FHIRPathValue.booleanCollection(args[0].allSatisfy { Equality.contains(input, $0) })
        case .count: return FHIRPathValue.integerCollection(input.count)
        case .distinct: return Equality.distinct(input)
        case .isDistinct: return FHIRPathValue.booleanCollection(Equality.distinct(input).count == input.count)
        default:  // not
            guard let b = try boolean(input, "not()") else { return [] }
            return FHIRPathValue.booleanCollection(!b)
        }
    }

    /// Subsetting (§5.3) and combining (§5.4) functions.
    func subsetting(
        _ f: FunctionName, _ input: [FHIRPathValue], _ args: [[FHIRPathValue]]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        func count() throws(FHIRPathError) -> Int? {
            guard let v = try singleValue(args[0], "\(f.rawValue)()") else { return nil }
            guard case .integer(let n) = v else { throw .execution(message: "\(f.rawValue)() needs an integer") }
            return n
        }
        switch f {
        case .single: return try single(input, "single()").map { [$0] } ?? []
        case .first: return input.first.map { [$0] } ?? []
        case .last: return input.last.map { [$0] } ?? []
        case .tail: return Array(input.dropFirst())
        case .skip:
            guard let n = try count() else { return [] }
            return n <= 0 ? input : Array(input.dropFirst(n))
        case .take:
            guard let n = try count() else { return [] }
            return n <= 0 ? [] : Array(input.prefix(n))
        case .intersect: return Equality.distinct(input.filter { Equality.contains(args[0], $0) })
        case .exclude: return input.filter { !Equality.contains(args[0], $0) }
        case .union: return Equality.distinct(input + args[0])
        default: return input + args[0]  // combine
        }
    }
}
