import FHIRModel
import FHIRValidation
import Foundation
import HTTPTypes
import Hummingbird

/// `$validate` (R4 Resource/$validate) at type level (`POST /fhir/{type}/$validate`) and instance level
/// (`POST` or `GET /fhir/{type}/{id}/$validate`).
///
/// The body is the resource, or a Parameters with `resource`, `mode` (create | update | delete) and `profile`.
/// The answer is always an OperationOutcome with one issue per problem (severity, code, location as a FHIRPath
/// `expression` and, for JSON, `line N, column M`), and HTTP 200 whenever the validation could run, valid or not:
/// the status says whether the operation ran, the outcome says whether the resource conforms. A body that is not a
/// resource at all is 400. `mode=update` checks the id against the URL's, `mode=delete` that the resource
/// exists and may be deleted. At instance level without a body, the stored resource is validated.
struct ValidateOperation {
    let services: GatewayServices
    let base: ServerBase
    let validator: Validator

    static let spec = OperationSpec(
        code: "validate", resources: ["Resource"], type: true, instance: true, affectsState: false,
        title: "Validate a resource",
        description: """
            Checks a resource against its base definition, the profiles in its meta.profile and the `profile` \
            parameter (structure, cardinality, types, bindings against the bundled terminology, slicing, extensions, \
            references, invariants), as a create, an update or a delete when `mode` says so. Returns an \
            OperationOutcome with 200 whether or not the resource is valid.
            """,
        parameters: [
            .init("resource", .in, type: "Resource", "The resource (required unless mode is delete)"),
            .init("mode", .in, type: "code", "create | update | delete"),
            .init("profile", .in, type: "uri", "A profile to validate against, besides meta.profile"),
            .init("return", .out, min: 1, type: "OperationOutcome", "All issues found"),
        ])

    /// The served types answer `$validate` on their own path; any other resource type the structure registry
    /// knows is validated at type level too (`/fhir/Observation/$validate`).
    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog, servedTypes: [String]) {
        for type in servedTypes {
            catalog.add(type, operation: Self.spec)
            router.post(RouterPath("/fhir/\(type)/$validate")) { request, _ in
                try await validate(request, type: type, id: nil)
            }
            router.post(RouterPath("/fhir/\(type)/:id/$validate")) { request, context in
                try await validate(request, type: type, id: try context.parameters.require("id"))
            }
            router.get(RouterPath("/fhir/\(type)/:id/$validate")) { request, context in
                try await validate(request, type: type, id: try context.parameters.require("id"))
            }
        }
        router.post("/fhir/:type/$validate") { request, context in
            let type = try context.parameters.require("type")
            guard services.responses.codec.registry.type(named: type)?.kind == .resource else {
                throw FHIRError(.notFound, code: "not-supported", "\(type) is not a resource type")
            }
            return try await validate(request, type: type, id: nil)
        }
    }

    func validate(_ request: Request, type: String, id: String?) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let buffer = try await request.body.collect(upTo: services.maxBodyBytes + 1)
        if buffer.readableBytes > services.maxBodyBytes {
            throw FHIRError(.contentTooLarge, code: "too-long", "the body exceeds \(services.maxBodyBytes) bytes")
        }
        var bytes = Array(buffer.readableBytesView)
        var format = FHIRFormat.json
        var mode: String?
        var profiles: [String] = []
        if !bytes.isEmpty {
            format = try Negotiation.body(of: request)
            // A Parameters body carries the resource, the mode and the profile.
            if let element = try? services.responses.codec.read(bytes, format: format), element.type == "Parameters",
                type != "Parameters", let parameters = ParametersResource(element)
            {
                mode = parameters.parameters(named: "mode").first?.value?.value
                profiles = parameters.parameters(named: "profile").compactMap { $0.value?.value }
                if let resource = parameters.parameters(named: "resource").first?.resource {
                    bytes = services.responses.codec.write(resource, format: format)
                } else {
                    bytes = []
                }
            }
        }
        if let m = request.uri.queryParameters["mode"] { mode = String(m) }
        if let p = request.uri.queryParameters["profile"] { profiles.append(String(p)) }
        if let mode, !["create", "update", "delete"].contains(mode) {
            throw FHIRError(.badRequest, code: "code-invalid", "mode is create, update or delete")
        }
        if (mode == "update" || mode == "delete") && id == nil {
            throw FHIRError(
                .badRequest, code: "invalid", "mode \(mode!) is for the instance level: \(type)/{id}/$validate")
        }
        var issues: [ValidationIssue] = []
        if mode == "delete" {
            issues += try await deleteIssues(type: type, id: id!)
        } else {
            if bytes.isEmpty, let id {
                guard let stored = try await storedResource(type: type, id: id) else {
                    throw FHIRError(.notFound, code: "not-found", "\(type)/\(id) not found")
                }
                bytes = services.responses.codec.write(stored, format: .json)
                format = .json
            }
            guard !bytes.isEmpty else {
                throw FHIRError(.badRequest, code: "required", "give the resource to validate (body or 'resource')")
            }
            issues += validator.validate(
                bytes: bytes, format: format, registry: services.responses.codec.registry, profiles: profiles)
            if let resource = try? services.responses.codec.read(bytes, format: format) {
                if resource.type != type {
                    issues.append(
                        ValidationIssue(
                            severity: .error, code: .invalid,
                            message: "the resource is a \(resource.type), not a \(type)",
                            expression: resource.type))
                }
                if mode == "update", resource.resourceID != id {
                    issues.append(
                        ValidationIssue(
                            severity: .error, code: .invalid, message: "an update needs the URL's id (\(id ?? ""))",
                            expression: "\(type).id"))
                }
            }
        }
        let outcome = OperationOutcomeResource(validationIssues: issues)
        return services.responses.resource(outcome.element, negotiation: negotiation)
    }

    /// The stored resource as a client would read it: written and read again, so that a resource the mapping
    /// assembled (Appointment, Slot, Schedule) is in definition order, as the validator and FHIRPath expect.
    func storedResource(type: String, id: String) async throws -> Element? {
        guard let e = try await IncludeResolver(services: services, base: base).load(type: type, id: id) else {
            return nil
        }
        let codec = services.responses.codec
        return try codec.read(codec.write(e, format: .json), format: .json)
    }

    func deleteIssues(type: String, id: String) async throws -> [ValidationIssue] {
        guard try await storedResource(type: type, id: id) != nil else {
            return [
                ValidationIssue(
                    severity: .error, code: .notFound, message: "\(type)/\(id) does not exist", expression: type)
            ]
        }
        if !DirectoryInteractions.documentTypes.contains(type) {
            return [
                ValidationIssue(
                    severity: .error, code: .businessRule,
                    message: "\(type) resources are not deleted here (appointments are cancelled)", expression: type)
            ]
        }
        return []
    }
}
