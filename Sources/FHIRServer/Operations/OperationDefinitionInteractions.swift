import FHIRModel
import Hummingbird

/// `GET /fhir/OperationDefinition/{id}` and `GET /fhir/OperationDefinition?url=…`: the definitions of the
/// operations the server routes, generated from their ``OperationSpec`` (the canonicals the CapabilityStatement
/// names resolve here).
struct OperationDefinitionInteractions {
    let services: GatewayServices
    let base: ServerBase

    static let searchParameters: [RouteCatalog.SearchParameter] = [
        .init(name: "_id", type: "token", documentation: "logical id, e.g. Appointment-find"),
        .init(name: "url", type: "uri", documentation: "canonical URL"),
        .init(name: "code", type: "token", documentation: "operation code without $"),
        .init(name: "name", type: "string", documentation: "computer name, starts with (case-insensitive)"),
    ]

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.add("OperationDefinition", interaction: "read")
        catalog.add("OperationDefinition", interaction: "search-type")
        catalog.add("OperationDefinition", searchParameters: Self.searchParameters)
        router.get("/fhir/OperationDefinition/:id") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            guard let spec = catalog.operations.first(where: { $0.id == id }) else {
                throw FHIRError(.notFound, code: "not-found", "OperationDefinition/\(id) not found")
            }
            return services.responses.resource(spec.definition, negotiation: negotiation)
        }
        router.get("/fhir/OperationDefinition") { request, _ in
            let negotiation = try Negotiation.response(for: request)
            let search = try SearchRequest(query: request.uri.query, strict: request.prefersStrictHandling)
            let warnings = try search.unsupported(Set(Self.searchParameters.map(\.name)))
            let matches = catalog.operations.filter { spec in
                search.parameters.allSatisfy { p in
                    switch p.name {
                    case "_id": return p.values.contains(spec.id)
                    case "url": return p.values.contains(spec.canonical)
                    case "code": return p.values.contains { $0 == spec.code || $0 == "$" + spec.code }
                    case "name":
                        let name = spec.definition.string("name")?.lowercased() ?? ""
                        return p.values.contains { name.hasPrefix($0.lowercased()) }
                    default: return true
                    }
                }
            }.map(\.definition)
            let bundle = try await SearchsetBuilder(baseURL: base.url, type: "OperationDefinition", request: request)
                .bundle(
                    matches: matches, count: search.count, offset: try SearchsetBuilder.offset(request),
                    warnings: warnings)
            return services.responses.resource(bundle.element, negotiation: negotiation)
        }
    }
}
