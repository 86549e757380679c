import FHIRModel
import Foundation
import Hummingbird

/// `GET /fhir/metadata`: the CapabilityStatement, generated from the route catalogue.
struct MetadataInteraction {
    let services: GatewayServices
    let catalog: RouteCatalog
    let base: ServerBase

    func register(on router: Router<BasicRequestContext>) {
        router.get("/fhir/metadata") { request, _ in
            let negotiation = try Negotiation.response(for: request)
            return services.responses.resource(capabilityStatement().element, negotiation: negotiation)
        }
    }

    func capabilityStatement() -> CapabilityStatementResource {
        var cs = CapabilityStatementResource()
        var e = cs.element
        func p(_ name: String, _ type: String, _ value: String) -> Element {
            Element(name: name, type: type, value: value)
        }
        e.children += [
            p("status", "code", "active"),
            p("date", "dateTime", "2026-11-25"),
            p("kind", "code", "instance"),
            Element(name: "software", type: "BackboneElement", children: [p("name", "string", "booking-gateway")]),
            // kind = instance: this server at this base (cpb-14).
            Element(
                name: "implementation", type: "BackboneElement",
                children: [
                    p("description", "string", "booking-gateway FHIR R4 server"), p("url", "url", base.url),
                ]),
            p("fhirVersion", "code", "4.0.1"),
            p("format", "code", "application/fhir+json"),
            p("format", "code", "application/fhir+xml"),
        ]
        var rest = Element(name: "rest", type: "BackboneElement", children: [p("mode", "code", "server")])
        for (type, entry) in catalog.resources {
            var r = Element(name: "resource", type: "BackboneElement", children: [p("type", "code", type)])
            r.children += entry.interactions.map {
                Element(name: "interaction", type: "BackboneElement", children: [p("code", "code", $0)])
            }
            if entry.interactions.contains("vread") { r.children.append(p("versioning", "code", "versioned")) }
            for flag in ["readHistory", "updateCreate", "conditionalCreate", "conditionalUpdate"] {
                if let v = entry.flags[flag] { r.children.append(p(flag, "boolean", v)) }
            }
            if let v = entry.flags["conditionalDelete"] { r.children.append(p("conditionalDelete", "code", v)) }
            let includes = IncludeRequest.references[type]?.keys.sorted() ?? []
            r.children += includes.map { p("searchInclude", "string", "\(type):\($0)") }
            r.children += IncludeRequest.references.filter { IncludeRequest.reverseSources.contains($0.key) }
                .sorted { $0.key < $1.key }.flatMap { source, params in
                    params.keys.sorted().map { p("searchRevInclude", "string", "\(source):\($0)") }
                }
            r.children += entry.searchParameters.map {
                Element(
                    name: "searchParam", type: "BackboneElement",
                    children: [
                        p("name", "string", $0.name), p("type", "code", $0.type),
                        p("documentation", "markdown", $0.documentation),
                    ])
            }
            r.children += entry.operations.map {
                Element(
                    name: "operation", type: "BackboneElement",
                    children: [
                        p("name", "string", $0.code),
                        p("definition", "canonical", $0.canonical),
                    ])
            }
            rest.children.append(r)
        }
        rest.children += catalog.systemInteractionCodes.map {
            Element(name: "interaction", type: "BackboneElement", children: [p("code", "code", $0)])
        }
        rest.children += catalog.systemOperationSpecs.map {
            Element(
                name: "operation", type: "BackboneElement",
                children: [p("name", "string", $0.code), p("definition", "canonical", $0.canonical)])
        }
        e.children.append(rest)
        cs.element = e
        return cs
    }
}
