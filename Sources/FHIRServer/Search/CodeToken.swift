import Booking

/// Token search on the domain's codes (service types, specialties, appointment types), as FHIR defines it:
/// `code` (any system), `system|code`, `|code` (a code without a system), `system|` (any code of the system);
/// several values are alternatives; `:not` keeps what matches none; `:text` matches the start of a display or of
/// any word in it, case-insensitive; `:missing=true` keeps what has no code.
enum CodeToken {
    static let modifiers: Set<String> = ["not", "text", "missing"]

    /// The CapabilityStatement entries of such parameters.
    static func searchParameters(_ names: [String]) -> [RouteCatalog.SearchParameter] {
        names.map {
            .init(
                name: $0, type: "token",
                documentation: "[system|]code, |code, system|; several values; :not, :text, :missing")
        }
    }

    static func matches(_ codes: [Code], _ p: SearchRequest.Value) -> Bool {
        if p.modifier == "missing" { return codes.isEmpty == (p.values.first == "true") }
        if p.modifier == "text" {
            return p.values.contains { v in
                let wanted = v.lowercased()
                return codes.contains { c in
                    guard let d = c.display?.lowercased() else { return false }
                    return d.hasPrefix(wanted) || d.split(separator: " ").contains { $0.hasPrefix(wanted) }
                }
            }
        }
        let any = p.values.contains { v in codes.contains { matches($0, v) } }
        return p.modifier == "not" ? !any : any
    }

    static func matches(_ c: Code, _ value: String) -> Bool {
        guard let bar = value.firstIndex(of: "|") else { return c.code == value }
        let system = String(value[..<bar])
        let code = String(value[value.index(after: bar)...])
        if system.isEmpty { return (c.system ?? "").isEmpty && c.code == code }
        if code.isEmpty { return c.system == system }
        return c.system == system && c.code == code
    }
}
