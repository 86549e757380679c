/// Typed view of an OperationOutcome.
public struct OperationOutcomeResource: ResourceView {
    public static let resourceType = "OperationOutcome"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    /// One issue: severity (fatal | error | warning | information), IssueType code, text and locations.
    public struct Issue: Sendable, Hashable {
        public var severity: String
        public var code: String
        public var diagnostics: String?
        public var detailsText: String?
        public var detailsCoding: [Coding]
        public var expression: [String]
        public var location: [String]

        public init(
            severity: String, code: String, diagnostics: String? = nil, detailsText: String? = nil,
            detailsCoding: [Coding] = [], expression: [String] = [], location: [String] = []
        ) {
            self.severity = severity
            self.code = code
            self.diagnostics = diagnostics
            self.detailsText = detailsText
            self.detailsCoding = detailsCoding
            self.expression = expression
            self.location = location
        }

        init(element e: Element) {
            severity = e.string("severity") ?? ""
            code = e.string("code") ?? ""
            diagnostics = e.string("diagnostics")
            detailsText = e.descendant("details", "text")?.value
            detailsCoding = e.codings("details")
            expression = e.children(named: "expression").compactMap(\.value)
            location = e.children(named: "location").compactMap(\.value)
        }

        func element() -> Element {
            var e = Element(name: "issue", type: "BackboneElement")
            e.setPrimitive("severity", type: "code", severity)
            e.setPrimitive("code", type: "code", code)
            if detailsText != nil || !detailsCoding.isEmpty {
                var d = Element(name: "details", type: "CodeableConcept", children: detailsCoding.map { $0.element() })
                d.setPrimitive("text", type: "string", detailsText)
                e.children.append(d)
            }
            e.setPrimitive("diagnostics", type: "string", diagnostics)
            e.children += location.map { Element(name: "location", type: "string", value: $0) }
            e.children += expression.map { Element(name: "expression", type: "string", value: $0) }
            return e
        }
    }

    public init(issues: [Issue]) {
        self.init()
        self.issues = issues
    }

    public var issues: [Issue] {
        get { element.children(named: "issue").map(Issue.init(element:)) }
        set { element.setChildren("issue", newValue.map { $0.element() }) }
    }
}

extension OperationOutcomeResource {
    /// The outcome of reader issues: severity kept, `structure`/`value`/`invalid` codes, the path as
    /// expression and `line N, column M` as location.
    public init(parseIssues: [ParseIssue]) {
        self.init(
            issues: parseIssues.map { p in
                let code: String =
                    switch p.code {
                    case .tooLarge: "too-long"
                    case .tooDeep: "too-costly"
                    case .invalidPrimitive, .invalidXHTML: "value"
                    case .xmlDoctype: "security"
                    default: "structure"
                    }
                var location: [String] = []
                if let line = p.line {
                    location.append(p.column.map { "line \(line), column \($0)" } ?? "line \(line)")
                }
                return Issue(
                    severity: p.severity.rawValue, code: code, diagnostics: p.message,
                    detailsCoding: [Coding(system: "urn:booking-gateway:issue", code: p.code.rawValue)],
                    expression: p.path.isEmpty ? [] : [p.path], location: location)
            })
    }
}
