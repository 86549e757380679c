/// Splitting of FHIRPath-like discriminator and location paths.
enum PathSteps {
    /// The wire name of a choice element of `type`: `value` + `dateTime` → `valueDateTime`.
    static func wireName(_ name: some StringProtocol, type: some StringProtocol) -> String {
        name + type.prefix(1).uppercased() + type.dropFirst()
    }

    /// Splits on dots outside parentheses and quotes.
    static func split(_ path: String) -> [String] {
        var out: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for ch in path {
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
            } else if ch == "(" {
                depth += 1
            } else if ch == ")" {
                depth -= 1
            } else if ch == "." && depth == 0 {
                out.append(current)
                current = ""
                continue
            }
            current.append(ch)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
