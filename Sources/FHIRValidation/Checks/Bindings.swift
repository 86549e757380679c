import FHIRModel

extension ValidationRun {
    /// The types a binding applies to.
    static let codedTypes: Set<String> = [
        "code", "string", "uri", "Coding", "CodeableConcept", "Quantity", "Age", "Duration", "Distance", "Count",
        "MoneyQuantity", "SimpleQuantity",
    ]

    /// Required (error) and extensible (warning) bindings of code, Coding, CodeableConcept, Quantity, string and
    /// uri values against the terminology data; value sets that cannot be expanded offline are reported as not
    /// checkable (information).
    mutating func checkBinding(_ e: Element, def: ProfileElement, path: String) {
        guard let binding = def.binding, let url = binding.valueSet,
            binding.strength == "required" || binding.strength == "extensible"
        else { return }
        guard Self.codedTypes.contains(e.type) else { return }
        let candidates = Terminology.candidates(of: e)
        if candidates.isEmpty { return }
        guard let content = store.terminology.valueSet(url) else {
            report(
                .warning, .notFound, "The value set \(url) is not known, so the code cannot be checked", at: path)
            return
        }
        switch content {
        case .unexpandable(let reason):
            report(
                .information, .notSupported,
                "The code cannot be checked against \(url) offline (\(reason))", at: path)
        case .codes:
            if content.contains(candidates) == true { return }
            let shown = candidates.map { c in c.system.map { "\($0)#\(c.code)" } ?? c.code }.joined(separator: ", ")
            if binding.strength == "required" {
                report(
                    .error, .codeInvalid,
                    "The value provided ('\(shown)') is not in the value set \(url), and a code is required from this value set",
                    at: path)
            } else {
                report(
                    .warning, .codeInvalid,
                    "The value provided ('\(shown)') is not in the value set \(url), and a code should come from this value set unless it has no suitable code",
                    at: path)
            }
        }
    }

    /// A Coding whose system is a complete code system known offline must use one of its codes.
    mutating func checkCodingSystem(_ e: Element, path: String) {
        guard let system = e.string("system") else { return }
        // A code system is identified by an absolute URI (R4 terminologies: a local `#id` or a bare name is not
        // one), and a value set's URL does not identify a code system.
        if !Self.hasScheme(system) {
            report(
                .error, .invalid, "Coding.system must be an absolute reference, not a local reference",
                at: path + ".system")
        } else if store.terminology.codeSystem(system) == nil,
            system.hasPrefix("http://hl7.org/fhir/ValueSet/") || store.terminology.valueSet(system) != nil
        {
            report(
                .error, .invalid, "The Coding references a value set, not a code system ('\(system)')",
                at: path + ".system")
        }
        guard let code = e.string("code"), let codes = store.terminology.codeSystem(system) else { return }
        if !codes.contains(code) {
            report(.error, .codeInvalid, "Unknown code '\(code)' in the CodeSystem '\(system)'", at: path + ".code")
        }
    }

    /// Whether `uri` starts with a scheme (`http:`, `urn:`): an absolute URI.
    static func hasScheme(_ uri: String) -> Bool {
        guard let colon = uri.firstIndex(of: ":"), colon != uri.startIndex, uri.first!.isLetter else { return false }
        return uri[..<colon].allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }
}
