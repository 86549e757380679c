/// One problem found by the ``Validator``.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// How bad the issue is (OperationOutcome `issue.severity`).
    public enum Severity: String, Sendable, Hashable, Comparable {
        case fatal, error, warning, information

        var rank: Int {
            switch self {
            case .fatal: 0
            case .error: 1
            case .warning: 2
            case .information: 3
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// The OperationOutcome `issue.code` (IssueType) values the validator uses.
    public enum Code: String, Sendable, Hashable {
        case structure, required, value, invariant, invalid, security, `extension`, processing, informational
        case codeInvalid = "code-invalid"
        case notSupported = "not-supported"
        case businessRule = "business-rule"
        case notFound = "not-found"
    }

    public var severity: Severity
    public var code: Code
    /// A human message (no resource content beyond the offending value).
    public var message: String
    /// FHIRPath location, e.g. `Appointment.participant[1].actor` (index only on repeating elements).
    public var expression: String
    /// Source position when known (the readers' structural issues carry it; tree checks do not yet).
    public var line: Int?
    public var column: Int?
    /// The invariant key for `invariant` issues (`app-3`), or nil.
    public var constraintKey: String?

    public init(
        severity: Severity, code: Code, message: String, expression: String, line: Int? = nil, column: Int? = nil,
        constraintKey: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.expression = expression
        self.line = line
        self.column = column
        self.constraintKey = constraintKey
    }

    /// True for error and fatal issues.
    public var isError: Bool { severity == .error || severity == .fatal }

    /// `error at Appointment.status (3:5): message`.
    public var description: String {
        let position = line.map { l in column.map { " (\(l):\($0))" } ?? " (\(l))" } ?? ""
        return "\(severity.rawValue) at \(expression)\(position): \(message)"
    }
}
