import FHIRModel

extension ValidationRun {
    /// `fixed[x]` (exact) and `pattern[x]` (the instance holds at least the pattern) values.
    mutating func checkFixedAndPattern(_ e: Element, def: ProfileElement, path: String) {
        if let fixed = def.fixed, !ValueMatcher.matches(e, fixed.value, exact: true) {
            reportFixedDifferences(e, fixed.value, path: path)
        }
        if let pattern = def.pattern, !ValueMatcher.matches(e, pattern.value, exact: false) {
            report(
                .error, .value,
                "The pattern '\(ValueMatcher.summary(pattern.value))' defined in the profile is not found (found '\(ValueMatcher.summary(e))')",
                at: path)
        }
        if let limit = def.minValue ?? def.maxValue, !isPrimitiveType(e.type), let v = e.string("value"),
            let x = Double(v), let y = Double(limit)
        {
            if def.minValue != nil && x < y {
                report(.error, .value, "The value \(v) is below the minimum of \(limit)", at: path)
            }
            if let maxText = def.maxValue, let m = Double(maxText), x > m {
                report(.error, .value, "The value \(v) is above the maximum of \(maxText)", at: path)
            }
        }
    }

    /// Where `e` differs from a fixed value: for a complex value, each element the instance has that the fixed
    /// value does not (a fixed value is exact), each one it lacks, and each differing part; otherwise the value.
    mutating func reportFixedDifferences(_ e: Element, _ fixed: JSONValue, path: String) {
        guard case .object(let members) = fixed, e.value == nil else {
            report(
                .error, .value, "Value is '\(ValueMatcher.summary(e))' but must be '\(ValueMatcher.summary(fixed))'",
                at: path)
            return
        }
        var used: Set<String> = []
        for m in members where !m.key.hasPrefix("_") {
            let kids = ValueMatcher.children(of: e, wireName: m.key)
            let name = kids.first?.name ?? m.key
            used.insert(name)
            guard let first = kids.first else {
                report(
                    .error, .value, "Missing element '\(m.key)' - required by fixed value assigned in profile",
                    at: path)
                continue
            }
            if case .array = m.node.value {
                if !ValueMatcher.matches(e, .object([m]), exact: true) {
                    report(
                        .error, .value,
                        "Value is '\(kids.map(ValueMatcher.summary).joined(separator: ", "))' but must be '\(ValueMatcher.summary(m.node.value))'",
                        at: path + "." + name)
                }
            } else if kids.count != 1 {
                report(
                    .error, .value, "The element \(name) repeats, but the fixed value has one", at: path + "." + name)
            } else if !ValueMatcher.matches(first, m.node.value, exact: true) {
                reportFixedDifferences(first, m.node.value, path: path + "." + name)
            }
        }
        var extra: [String] = []
        for c in e.children where !used.contains(c.name) && c.name != "id" && c.name != "extension" {
            if !extra.contains(c.name) { extra.append(c.name) }
        }
        for name in extra {
            report(
                .error, .value,
                "The element \(name) is present in the instance but not allowed in the applicable fixed value specified in profile",
                at: path + "." + name)
        }
    }
}
