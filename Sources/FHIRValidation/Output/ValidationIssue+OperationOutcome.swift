import FHIRModel

extension OperationOutcomeResource {
    /// The OperationOutcome of validation issues: severity, code, the message as `details.text`, the location
    /// as `expression`, `line L, column C` as `location` when known. An empty list gives one information issue
    /// saying that no problem was found (an OperationOutcome needs at least one issue).
    public init(validationIssues: [ValidationIssue]) {
        var issues = validationIssues.map { v in
            var location: [String] = []
            if let line = v.line { location.append(v.column.map { "line \(line), column \($0)" } ?? "line \(line)") }
            return Issue(
                severity: v.severity.rawValue, code: v.code.rawValue, detailsText: v.message,
                detailsCoding: v.constraintKey.map { [Coding(system: "urn:booking-gateway:invariant", code: $0)] }
                    ?? [],
                expression: v.expression.isEmpty ? [] : [v.expression], location: location)
        }
        if issues.isEmpty {
            issues = [Issue(severity: "information", code: "informational", detailsText: "No issues detected")]
        }
        self.init(issues: issues)
    }
}

extension ValidationIssue {
    /// A reader issue (the wire format's structural errors) as a validation issue, with its line and column.
    public init(parseIssue p: ParseIssue) {
        let code: Code =
            switch p.code {
            case .invalidPrimitive, .invalidXHTML: .value
            case .tooLarge, .tooDeep: .processing
            default: .structure
            }
        self.init(
            severity: p.severity == .warning ? .warning : .error, code: code,
            message: "\(p.code.rawValue): \(p.message)",
            expression: p.path, line: p.line, column: p.column)
    }
}
