import FHIRModel

/// Line and column for validation issues on a JSON source: each issue's FHIRPath location is followed through
/// the parsed JSON (member names, array indexes, `ofType(T)` as the `nameT` choice key, resources nested in
/// `resource`/`contained`). An element that does not exist (a missing required one) gets the position of its
/// nearest existing ancestor. The JSON is parsed again only when there are issues to place.
enum JSONSourcePositions {
    static func locate(_ issues: [ValidationIssue], json bytes: [UInt8]) -> [ValidationIssue] {
        guard issues.contains(where: { $0.line == nil && !$0.expression.isEmpty }),
            let root = try? JSONParser(limits: ReaderLimits(maxBytes: Int.max, maxDepth: 1024)).parse(bytes)
        else { return issues }
        let locator = SourceLocator(bytes)
        return issues.map { issue in
            guard issue.line == nil, !issue.expression.isEmpty else { return issue }
            var located = issue
            if let l = locator.location(of: offset(of: issue.expression, in: root)) {
                located.line = l.line
                located.column = l.column
            }
            return located
        }
    }

    /// The byte offset of the deepest JSON node the path reaches.
    static func offset(of path: String, in root: JSONNode) -> Int {
        let steps = PathSteps.split(path)
        var node = root
        var found = root.offset
        var i = 1
        while i < steps.count {
            var (name, index) = split(steps[i])
            if i + 1 < steps.count, steps[i + 1].hasPrefix("ofType(") {
                let type = String(steps[i + 1].dropFirst("ofType(".count).dropLast())
                name = PathSteps.wireName(name, type: type)
                i += 1
            }
            guard let member = node.value.objectValue?.first(where: { $0.key == name }) else { break }
            found = member.keyOffset
            node = member.node
            if case .array(let items) = node.value {
                guard let item = items.indices.contains(index ?? 0) ? items[index ?? 0] : nil else { break }
                node = item
                if index != nil { found = item.offset }
            }
            i += 1
        }
        return found
    }

    /// `participant[1]` → ("participant", 1).
    static func split(_ step: String) -> (String, Int?) {
        guard step.hasSuffix("]"), let open = step.lastIndex(of: "[") else { return (step, nil) }
        return (String(step[..<open]), Int(step[step.index(after: open)..<step.index(before: step.endIndex)]))
    }
}
