import FHIRModel
import Foundation

/// What an operation takes and returns, declared once by the interaction that routes it. The OperationDefinition
/// served at `/fhir/OperationDefinition/{id}` and the CapabilityStatement's `operation` entries are generated from
/// it, so the published contract is the routed one.
public struct OperationSpec: Sendable {
    public struct Parameter: Sendable {
        public enum Use: String, Sendable { case `in`, out }
        public var name: String
        public var use: Use
        public var min: Int
        public var max: String
        /// A FHIR type (`dateTime`, `Appointment`, `Bundle`) or nil for a search-style `string` with `searchType`.
        public var type: String
        public var searchType: String?
        public var documentation: String

        public init(
            _ name: String, _ use: Use, min: Int = 0, max: String = "1", type: String, searchType: String? = nil,
            _ documentation: String
        ) {
            self.name = name
            self.use = use
            self.min = min
            self.max = max
            self.type = type
            self.searchType = searchType
            self.documentation = documentation
        }
    }

    /// The code without `$` (`find`).
    public var code: String
    /// The resource types it is invoked on (empty: system level).
    public var resources: [String]
    public var system: Bool = false
    public var type: Bool = true
    public var instance: Bool = false
    /// False when the operation changes nothing (GET allowed).
    public var affectsState: Bool
    public var title: String
    public var description: String
    public var parameters: [Parameter]

    /// `Appointment-find`, the OperationDefinition's logical id.
    public var id: String { (resources.first.map { "\($0)-" } ?? "") + code }
    /// The canonical URL of the OperationDefinition.
    public var canonical: String { "https://booking-gateway.dev/fhir/OperationDefinition/\(id)" }

    /// The OperationDefinition resource.
    public var definition: Element {
        func p(_ name: String, _ type: String, _ value: String) -> Element {
            Element(name: name, type: type, value: value)
        }
        var e = Element.resource("OperationDefinition")
        e.children = [
            p("id", "id", id),
            Element(
                name: "text", type: "Narrative",
                children: [
                    p("status", "code", "generated"),
                    p(
                        "div", "xhtml",
                        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>\(Self.escaped(title))</p></div>"),
                ]),
            p("url", "uri", canonical),
            p("version", "string", "1.0.0"),
            p("name", "string", id.replacingOccurrences(of: "-", with: "_").capitalizedFirst),
            p("title", "string", title),
            p("status", "code", "active"),
            p("kind", "code", "operation"),
            p("date", "dateTime", "2026-11-25"),
            p("publisher", "string", "booking-gateway"),
            p("description", "markdown", description),
            p("affectsState", "boolean", affectsState ? "true" : "false"),
            p("code", "code", code),
        ]
        e.children += resources.map { p("resource", "code", $0) }
        e.children += [
            p("system", "boolean", String(system)), p("type", "boolean", String(type)),
            p("instance", "boolean", String(instance)),
        ]
        e.children += parameters.map { parameter in
            var children = [
                p("name", "code", parameter.name), p("use", "code", parameter.use.rawValue),
                p("min", "integer", String(parameter.min)), p("max", "string", parameter.max),
                p("documentation", "string", parameter.documentation), p("type", "code", parameter.type),
            ]
            if let s = parameter.searchType { children.append(p("searchType", "code", s)) }
            return Element(name: "parameter", type: "BackboneElement", children: children)
        }
        return e
    }

    private static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
