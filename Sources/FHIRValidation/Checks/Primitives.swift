import FHIRModel
import Foundation

extension ValidationRun {
    /// A URL on an example domain: `example.org` (or a subdomain) or `acme.com`.
    static func isExampleURL(_ value: String) -> Bool {
        let parts = value.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty else { return false }
        let rest = parts[2]
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" }.lowercased()
        return ["example.org", "acme.com"].contains { host == $0 || host.hasSuffix("." + $0) }
    }

    /// The lexical rules of the primitive (``PrimitiveLexicon``), maxLength, minValue and maxValue.
    mutating func checkPrimitive(_ e: Element, def: ProfileElement, path: String) {
        guard let value = e.value else { return }
        if !invalidValuePaths.isEmpty && invalidValuePaths.contains(Self.wirePath(path)) { return }
        if e.type != "xhtml", let problem = PrimitiveLexicon.problem(type: e.type, value: value) {
            report(.error, .value, "The value '\(value)' is not a valid \(e.type): \(problem)", at: path)
            return
        }
        if e.type == "markdown", let at = HTMLTags.markdownTag(in: value) {
            report(
                options.htmlInMarkdownSeverity, .invalid,
                "The markdown contains content that appears to be an embedded HTML tag starting at '\(at)'; it will (or should) be escaped when shown",
                at: path)
        } else if e.type == "string", HTMLTags.containsTag(value) {
            report(
                .error, .security,
                "The string value contains text that looks like embedded HTML tags, which are not allowed for security reasons",
                at: path)
        }
        if !options.allowsExampleURLs, ["uri", "url", "canonical"].contains(e.type), Self.isExampleURL(value) {
            report(.error, .invalid, "Example URLs are not allowed in this context (\(value))", at: path)
        }
        if let maxLength = def.maxLength, value.count > maxLength {
            report(
                .error, .value, "The value is longer than the permitted maximum length of \(maxLength)", at: path)
        }
        if let minLength = def.minLength, value.count < minLength {
            report(
                .error, .value, "Value '\(value)' is shorter than permitted minimum length of \(minLength)", at: path)
        }
        if let min = def.minValue, let c = compare(value, min, type: e.type), c < 0 {
            report(.error, .value, "The value '\(value)' is below the minimum of \(min)", at: path)
        }
        if let max = def.maxValue, let c = compare(value, max, type: e.type), c > 0 {
            report(.error, .value, "The value '\(value)' is above the maximum of \(max)", at: path)
        }
    }

    /// The reader's form of a validation path: `Observation.value.ofType(dateTime)` → `Observation.valueDateTime`.
    static func wirePath(_ path: String) -> String {
        guard path.contains(".ofType(") else { return path }
        var out = ""
        var rest = Substring(path)
        while let r = rest.range(of: ".ofType(") {
            let type = rest[r.upperBound...].prefix { $0 != ")" }
            out += PathSteps.wireName(rest[..<r.lowerBound], type: type)
            rest = rest[r.upperBound...].dropFirst(type.count + 1)
        }
        return out + rest
    }

    /// -1, 0, 1 for numbers and same-precision dates/times; nil when they cannot be compared.
    func compare(_ a: String, _ b: String, type: String) -> Int? {
        switch type {
        case "integer", "positiveInt", "unsignedInt", "decimal":
            guard let x = Double(a), let y = Double(b) else { return nil }
            return x < y ? -1 : x > y ? 1 : 0
        case "date", "dateTime", "instant", "time":
            guard a.count == b.count else { return nil }
            return a < b ? -1 : a > b ? 1 : 0
        default:
            return nil
        }
    }
}
