/// One problem found while reading FHIR content, with where it was found.
///
/// Readers never stop at the first problem: they report every issue they can find and go on.
public struct ParseIssue: Sendable, Hashable, CustomStringConvertible {
    /// How serious the problem is.
    public enum Severity: String, Sendable, Hashable {
        case fatal, error, warning
    }

    /// The catalogue entry; its raw value is stable and tests assert on it.
    public var code: ParseIssueCode
    public var severity: Severity
    /// A human message. It never contains more of the input than the element name and the offending token.
    public var message: String
    /// FHIRPath-like location, e.g. `Appointment.participant[1].actor`; empty when the document itself is at fault.
    public var path: String
    /// 1-based line and column of the source, when known.
    public var line: Int?
    public var column: Int?

    public init(
        code: ParseIssueCode, severity: Severity = .error, message: String, path: String, line: Int? = nil,
        column: Int? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        var s = "\(severity.rawValue) [\(code.rawValue)]"
        if !path.isEmpty { s += " at \(path)" }
        if let line, let column {
            s += " (\(line):\(column))"
        } else if let line {
            s += " (line \(line))"
        }
        return s + ": " + message
    }
}

/// The catalogue of reader issues. Raw values are stable identifiers: never renumber or rename one.
public enum ParseIssueCode: String, Sendable, Hashable, CaseIterable {
    // Document level
    case tooLarge = "FMT-001"
    case tooDeep = "FMT-002"
    case invalidUTF8 = "FMT-003"
    case emptyDocument = "FMT-004"
    // JSON syntax
    case jsonSyntax = "JSON-001"
    case jsonDuplicateKey = "JSON-002"
    case jsonControlCharacter = "JSON-003"
    case jsonTrailingContent = "JSON-004"
    // FHIR JSON rules
    case jsonWrongType = "JSON-010"
    case jsonArrayExpected = "JSON-011"
    case jsonArrayNotExpected = "JSON-012"
    case jsonEmptyValue = "JSON-013"
    case jsonNullNotAllowed = "JSON-014"
    case jsonArrayMismatch = "JSON-015"
    case missingResourceType = "JSON-016"
    // XML
    case xmlSyntax = "XML-001"
    case xmlDoctype = "XML-002"
    case xmlWrongNamespace = "XML-003"
    case xmlUnexpectedAttribute = "XML-004"
    case xmlUnexpectedText = "XML-005"
    case xmlMissingValue = "XML-006"
    case xmlResourceWrapper = "XML-007"
    case xmlRepeated = "XML-008"
    case xmlOutOfOrder = "XML-009"
    // Structure, both formats
    case unknownElement = "STR-001"
    case unknownResourceType = "STR-002"
    case abstractResourceType = "STR-003"
    case multipleChoiceValues = "STR-004"
    case invalidPrimitive = "STR-005"
    case invalidXHTML = "STR-006"
    case elementWithoutContent = "STR-007"
}

/// Thrown when a reader found at least one error. `issues` holds every problem found, in document order.
public struct FHIRFormatError: Error, Sendable, CustomStringConvertible {
    public var issues: [ParseIssue]

    public init(issues: [ParseIssue]) {
        self.issues = issues
    }

    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
