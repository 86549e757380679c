extension ValidationRun {
    /// min/max of an element (or a slice) against the number of items found under `path`.
    mutating func checkCardinality(_ def: ProfileElement, count: Int, path: String) {
        let tooFew = count < def.min
        let tooMany = def.max.map { count > $0 } ?? false
        guard tooFew || tooMany else { return }
        // The message parts are built only for a finding (this runs for every child definition of every element).
        let what = def.sliceName.map { "\(def.name):\($0)" } ?? def.name
        let from = definitionURL.isEmpty ? "" : " (from \(definitionURL))"
        if tooFew {
            report(
                .error, .structure, "\(path).\(what): minimum required = \(def.min), but only found \(count)\(from)",
                at: path)
        }
        if let max = def.max, count > max {
            report(.error, .structure, "\(path).\(what): max allowed = \(max), but found \(count)\(from)", at: path)
        }
    }
}
