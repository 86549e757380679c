import FHIRModel

extension ValidationRun {
    /// `fixed[x]` (exact) and `pattern[x]` (the instance holds at least the pattern) values.
    mutating func checkFixedAndPattern(_ e: Element, def: ProfileElement, path: String) {
        if let fixed = def.fixed, !ValueMatcher.matches(e, fixed.value, exact: true) {
            report(
                .error, .value,
                "Value is '\(ValueMatcher.summary(e))' but must be '\(ValueMatcher.summary(fixed.value))'",
                at: path)
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
}
