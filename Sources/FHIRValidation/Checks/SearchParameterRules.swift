import FHIRModel

extension ValidationRun {
    /// A SearchParameter derived from another (`derivedFrom`, when that one is known) keeps its type and may only
    /// narrow its base; its expression's paths must start at one of its base types.
    mutating func checkSearchParameter(_ sp: Element, path: String) {
        let base = sp.children(named: "base").compactMap(\.value)
        if let expression = sp.string("expression"), !base.isEmpty,
            !base.contains("Resource") && !base.contains("DomainResource")
        {
            for name in Self.leadingTypeNames(expression) where isResourceType(name) && !base.contains(name) {
                report(
                    .error, .invalid,
                    "Error in search expression '\(expression)': the name '\(name)' is not valid for any of the possible types: [\(base.joined(separator: ", "))]",
                    at: path + ".expression")
                break
            }
        }
        guard let from = sp.string("derivedFrom"), let parent = store.searchParameters[Terminology.unversioned(from)]
        else { return }
        if let type = sp.string("type"), type != parent.type {
            report(
                .error, .businessRule,
                "The type \(type) is different to the type \(parent.type) of \(parent.url) in the derivedFrom SearchParameter",
                at: path)
        }
        if !parent.base.contains("Resource") && !parent.base.contains("DomainResource") {
            for b in base where !parent.base.contains(b) {
                report(
                    .error, .businessRule,
                    "The resource type \(b) is not listed as a base in the SearchParameter this is derived from (\(parent.url))",
                    at: path)
            }
        }
    }

    /// A CapabilityStatement's search parameter that names a known definition must have that definition's type.
    mutating func checkCapabilityStatementSearchParameters(_ cs: Element, path: String) {
        for (r, rest) in cs.children(named: "rest").enumerated() {
            for (i, resource) in rest.children(named: "resource").enumerated() {
                for (j, param) in resource.children(named: "searchParam").enumerated() {
                    guard let definition = param.string("definition"), let type = param.string("type"),
                        let known = store.searchParameters[Terminology.unversioned(definition)], known.type != type
                    else { continue }
                    report(
                        .error, .invalid,
                        "Type mismatch - SearchParameter '\(definition)' type is \(known.type), but type here is \(type)",
                        at: path + ".rest[\(r)].resource[\(i)].searchParam[\(j)]")
                }
            }
        }
    }

    /// The type names the top-level union members of a FHIRPath expression start with (`Organization` in
    /// `Organization.name | (Organization.alias)`); members starting otherwise (a function, `%resource`) give none.
    static func leadingTypeNames(_ expression: String) -> [String] {
        var members: [Substring] = []
        var depth = 0
        var quoted = false
        var start = expression.startIndex
        var i = expression.startIndex
        while i < expression.endIndex {
            let c = expression[i]
            if quoted {
                if c == "\\" {
                    i = expression.index(after: i)
                    if i == expression.endIndex { break }
                } else if c == "'" {
                    quoted = false
                }
            } else if c == "'" {
                quoted = true
            } else if c == "(" || c == "[" {
                depth += 1
            } else if c == ")" || c == "]" {
                depth -= 1
            } else if c == "|" && depth == 0 {
                members.append(expression[start..<i])
                start = expression.index(after: i)
            }
            i = expression.index(after: i)
        }
        members.append(expression[start...])
        return members.compactMap { m in
            let trimmed = m.drop { $0 == " " || $0 == "(" || $0 == "\n" || $0 == "\t" }
            let name = trimmed.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard let first = name.first, first.isUppercase else { return nil }
            let after = trimmed.dropFirst(name.count).first
            return after == nil || after == "." || after == " " || after == ")" ? String(name) : nil
        }
    }
}
