import FHIRModel

/// Compares element trees with fixed/pattern JSON values.
enum ValueMatcher {
    /// Whether `e` equals (`exact`) or contains (pattern) `v`. JSON member names may be choice wire names
    /// (`valueString`); `_field` members are ignored.
    static func matches(_ e: Element, _ v: JSONValue, exact: Bool) -> Bool {
        switch v {
        case .string(let s): return e.value == s
        case .number(let n):
            guard let value = e.value else { return false }
            return value == n || (Double(value) != nil && Double(value) == Double(n))
        case .bool(let b): return e.value == (b ? "true" : "false")
        case .null: return true
        case .array(let items):
            return items.allSatisfy { matches(e, $0.value, exact: exact) }
        case .object(let members):
            var used: Set<String> = []
            for m in members where !m.key.hasPrefix("_") {
                let kids = children(of: e, wireName: m.key)
                if let name = kids.first?.name { used.insert(name) }
                switch m.node.value {
                case .array(let items):
                    if exact && kids.count != items.count { return false }
                    for item in items where !kids.contains(where: { matches($0, item.value, exact: exact) }) {
                        return false
                    }
                default:
                    guard let first = kids.first, matches(first, m.node.value, exact: exact) else { return false }
                    if exact && kids.count != 1 { return false }
                }
            }
            if exact {
                for c in e.children where !used.contains(c.name) && c.name != "id" && c.name != "extension" {
                    return false
                }
            }
            return true
        }
    }

    static func children(of e: Element, wireName: String) -> [Element] {
        let direct = e.children(named: wireName)
        if !direct.isEmpty { return direct }
        return e.children.filter { c in
            wireName.hasPrefix(c.name) && wireName.count > c.name.count
                && wireName.dropFirst(c.name.count).lowercased() == c.type.lowercased()
        }
    }

    /// A short text of a value for messages.
    static func summary(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items): return items.map { summary($0.value) }.joined(separator: ", ")
        case .object(let members):
            return members.map { "\($0.key): \(summary($0.node.value))" }.joined(separator: ", ")
        }
    }

    static func summary(_ e: Element) -> String {
        if let v = e.value { return v }
        return e.children.filter { $0.name != "extension" }.map { "\($0.name): \(summary($0))" }.joined(
            separator: ", ")
    }
}
