import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// The directory resources appointments refer to (Patient, Practitioner, PractitionerRole, Location,
/// HealthcareService, Device), stored as versioned FHIR documents: read, vread, create (with If-None-Exist),
/// update (update-as-create, If-Match, conditional), delete (logical, with history; conditional), history and
/// search. A bookable resource and its FHIR resource share the id (`rossi` is `Practitioner/rossi`).
struct DirectoryInteractions {
    let services: GatewayServices
    let documents: any DocumentStore
    let base: ServerBase
    var baseURL: String { base.url }

    /// The types stored as documents: the directory, and AppointmentResponse (whose writes also record the
    /// participant's answer on the Appointment, see ``AppointmentResponseEffect``).
    static let documentTypes = DirectoryIndex.types + ["AppointmentResponse"]

    func handles(_ type: String) -> Bool { Self.documentTypes.contains(type) }

    static func searchParameters(_ type: String) -> [RouteCatalog.SearchParameter] {
        type == "AppointmentResponse" ? AppointmentResponseIndex.searchParameters : DirectoryIndex.searchParameters
    }

    static func modifiers(_ type: String) -> Set<String> {
        type == "AppointmentResponse"
            ? [
                "missing", "not", "Appointment", "Patient", "Practitioner", "PractitionerRole", "Location", "Device",
                "HealthcareService", "RelatedPerson",
            ]
            : ["exact", "missing", "not", "contains"]
    }

    static func indexEntries(_ type: String, _ resource: Element) -> [IndexEntry] {
        type == "AppointmentResponse" ? AppointmentResponseIndex.entries(resource) : DirectoryIndex.entries(resource)
    }

    static func criteria(_ type: String, _ search: SearchRequest) throws(FHIRError) -> [SearchCriterion] {
        type == "AppointmentResponse"
            ? try AppointmentResponseIndex.criteria(search) : try DirectoryIndex.criteria(search)
    }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        for type in Self.documentTypes {
            for i in [
                "read", "vread", "update", "patch", "delete", "history-instance", "history-type", "create",
                "search-type",
            ] {
                catalog.add(type, interaction: i)
            }
            catalog.add(type, searchParameters: Self.searchParameters(type))
            for flag in ["readHistory", "updateCreate", "conditionalCreate", "conditionalUpdate"] {
                catalog.set(type, flag, "true")
            }
            catalog.set(type, "conditionalDelete", "multiple")
            let path = "/fhir/\(type)"
            router.get(RouterPath("\(path)/:id")) { request, context in
                try await read(request, type, try context.parameters.require("id"))
            }
            router.get(RouterPath("\(path)/:id/_history/:vid")) { request, context in
                try await vread(
                    request, type, try context.parameters.require("id"), try context.parameters.require("vid"))
            }
            router.get(RouterPath("\(path)/:id/_history")) { request, context in
                try await history(request, type, id: try context.parameters.require("id"))
            }
            router.get(RouterPath("\(path)/_history")) { request, _ in try await history(request, type, id: nil) }
            router.get(RouterPath(path)) { request, _ in try await search(request, type, query: request.uri.query) }
            router.post(RouterPath("\(path)/_search")) { request, _ in
                try await search(request, type, query: String(buffer: try await request.body.collect(upTo: 1 << 20)))
            }
            router.post(RouterPath(path)) { request, _ in try await create(request, type) }
            router.patch(RouterPath("\(path)/:id")) { request, context in
                try await patch(request, type, id: try context.parameters.require("id"))
            }
            router.put(RouterPath("\(path)/:id")) { request, context in
                try await update(request, type, id: try context.parameters.require("id"))
            }
            router.put(RouterPath(path)) { request, _ in try await conditionalUpdate(request, type) }
            router.delete(RouterPath("\(path)/:id")) { request, context in
                try await delete(request, type, id: try context.parameters.require("id"))
            }
            router.delete(RouterPath(path)) { request, _ in try await conditionalDelete(request, type) }
        }
    }

    // MARK: Reading

    func element(_ doc: StoredDocument) throws -> Element {
        try services.responses.codec.read(doc.body, format: .json)
    }

    func read(_ request: Request, _ type: String, _ id: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        guard let doc = try await documents.current(type: type, id: id) else {
            throw FHIRError(.notFound, code: "not-found", "\(type)/\(id) not found")
        }
        if doc.deleted { throw FHIRError(.gone, code: "deleted", "\(type)/\(id) was deleted") }
        return services.responses.read(try element(doc), request: request, negotiation: negotiation)
    }

    func vread(_ request: Request, _ type: String, _ id: String, _ vid: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        guard let v = Int(vid), let doc = try await documents.version(type: type, id: id, version: v) else {
            throw FHIRError(.notFound, code: "not-found", "\(type)/\(id)/_history/\(vid) not found")
        }
        if doc.deleted { throw FHIRError(.gone, code: "deleted", "\(type)/\(id) version \(vid) is a delete") }
        return services.responses.resource(try element(doc), negotiation: negotiation)
    }

    func history(_ request: Request, _ type: String, id: String?) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let (since, count, cursor) = try HistoryInteractions.parameters(request.uri.query)
        if let id, try await documents.current(type: type, id: id) == nil {
            throw FHIRError(.notFound, code: "not-found", "\(type)/\(id) not found")
        }
        let versions = try await documents.history(
            type: type, id: id, since: since, until: cursor.until, limit: count + cursor.skip + 1)
        let bundle = HistoryInteractions.bundle(
            try versions.map { v in
                HistoryInteractions.Version(
                    type: v.type, id: v.id, version: v.version, at: v.lastUpdated,
                    resource: v.deleted ? nil : try element(v), deleted: v.deleted)
            }, count: count, cursor: cursor, path: "\(baseURL)/\(type)\(id.map { "/\($0)" } ?? "")/_history",
            query: request.uri.query, baseURL: baseURL)
        return services.responses.resource(bundle.element, negotiation: negotiation)
    }

    /// Matches of a condition (If-None-Exist, conditional update and delete): every parameter must be one the
    /// server applies, or the condition would silently widen to more resources than the client meant.
    func conditionMatches(_ type: String, _ search: SearchRequest) async throws -> [StoredDocument] {
        let strict = SearchRequest.strict(search)
        _ = try strict.unsupported(Set(Self.searchParameters(type).map(\.name)), modifiers: Self.modifiers(type))
        if let p = strict.parameters.first(where: { ResultParameters.names.contains($0.name) }) {
            throw FHIRError(.badRequest, code: "invalid", "'\(p.name)' is not a condition")
        }
        return try await matches(type, strict)
    }

    func matches(_ type: String, _ search: SearchRequest) async throws -> [StoredDocument] {
        var range: ClosedRange<Date>?
        for v in search.values("_lastUpdated").flatMap(\.values) {
            let d = try DateSearchValue(v)
            var lo = range?.lowerBound ?? .distantPast
            var hi = range?.upperBound ?? .distantFuture
            switch d.prefix {
            case "ge", "gt", "sa": lo = max(lo, d.prefix == "ge" ? d.lower : d.upper)
            case "le", "lt", "eb": hi = min(hi, d.prefix == "le" ? d.upper : d.lower.addingTimeInterval(-0.001))
            default:
                lo = max(lo, d.lower)
                hi = min(hi, d.upper.addingTimeInterval(-0.001))
            }
            guard lo <= hi else { return [] }
            range = lo...hi
        }
        return try await documents.search(type: type, criteria: try Self.criteria(type, search), lastUpdated: range)
    }

    func search(_ request: Request, _ type: String, query: String?) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let search = try SearchRequest(query: query, strict: request.prefersStrictHandling)
        let warnings = try search.unsupported(
            Set(Self.searchParameters(type).map(\.name)), modifiers: Self.modifiers(type))
        let result = try ResultParameters(search, sortable: ["_id", "_lastUpdated", "name"])
        let found = try await matches(type, search)
        let includes = try IncludeRequest(search, searchedType: type)
        let bundle = try await SearchsetBuilder(baseURL: baseURL, type: type, request: request, query: query).bundle(
            matches: try found.map(element), count: search.count, offset: try SearchsetBuilder.offset(request),
            warnings: warnings + includes.warnings, result: result, registry: services.responses.codec.registry,
            include: { try await IncludeResolver(services: services, base: base).resolve(includes, page: $0) })
        return services.responses.resource(bundle.element, negotiation: negotiation)
    }

    // MARK: Writing

    /// Stamps id and meta, and returns the stored JSON and index.
    func prepare(_ resource: Element, id: String, version: Int, at: Date) -> (Element, [UInt8], [IndexEntry]) {
        var r = resource
        r.setPrimitive("id", type: "id", id)
        r.updateChild("meta", type: "Meta") { meta in
            meta.setPrimitive("versionId", type: "id", String(version))
            meta.setPrimitive("lastUpdated", type: "instant", instantText(at))
        }
        let bytes = services.responses.codec.write(r, format: .json)
        return (r, bytes, Self.indexEntries(r.type, r))
    }

    func body(_ request: Request, _ type: String) async throws -> Element {
        let resource = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        guard resource.type == type else {
            throw FHIRError(.badRequest, code: "invalid", "the body is a \(resource.type), not a \(type)")
        }
        return resource
    }

    func create(_ request: Request, _ type: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let resource = try await body(request, type)
        if let condition = request.headers[.init("If-None-Exist")!] {
            let existing = try await conditionMatches(type, try SearchRequest(query: condition, strict: true))
            if existing.count > 1 {
                throw FHIRError(
                    .preconditionFailed, code: "multiple-matches", "If-None-Exist matches \(existing.count) resources")
            }
            if let doc = existing.first {
                return services.responses.resource(try element(doc), status: .ok, negotiation: negotiation)
            }
        }
        return try await store(
            resource, type, id: UUID().uuidString.lowercased(), expected: nil, mustNotExist: true,
            negotiation: negotiation, request: request)
    }

    func store(
        _ resource: Element, _ type: String, id: String, expected: Int?, mustNotExist: Bool, negotiation: Negotiation,
        request: Request
    ) async throws -> Response {
        let findings = WriteValidation.reported(try services.validation?.check(resource) ?? [])
        let current = try await documents.current(type: type, id: id)
        if type == "AppointmentResponse" {
            try await AppointmentResponseEffect(services: services).apply(resource)
        }
        let version = (current?.version ?? 0) + 1
        let now = services.booking.clock.now()
        let (stamped, bytes, index) = prepare(resource, id: id, version: version, at: now)
        do {
            _ = try await documents.write([
                DocumentWrite(
                    type: type, id: id,
                    kind: .put(
                        body: bytes, index: index, expectedVersion: expected ?? current?.version,
                        mustNotExist: mustNotExist || current == nil),
                    at: now)
            ])
        } catch DocumentStoreError.versionMismatch(let e, let a) {
            if expected != nil {
                throw FHIRError(
                    .preconditionFailed, code: "conflict",
                    "version \(e) expected, found \(a.map(String.init) ?? "none")")
            }
            throw FHIRError(.conflict, code: "conflict", "\(type)/\(id) changed meanwhile: retry")
        } catch DocumentStoreError.alreadyExists {
            throw FHIRError(.conflict, code: "duplicate", "\(type)/\(id) was created meanwhile or already exists")
        }
        let created = current == nil || current!.deleted
        return services.responses.written(
            stamped, status: created ? .created : .ok, negotiation: negotiation,
            location: "\(baseURL)/\(type)/\(id)/_history/\(version)", request: request, issues: findings)
    }

    func expectedVersion(_ request: Request) throws(FHIRError) -> Int? {
        guard let ifMatch = request.headers[.ifMatch] else { return nil }
        let digits = ifMatch.filter(\.isNumber)
        guard let v = Int(digits) else { throw FHIRError(.badRequest, code: "invalid", "If-Match must be W/\"n\"") }
        return v
    }

    func update(_ request: Request, _ type: String, id: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let resource = try await body(request, type)
        guard resource.resourceID == id else {
            throw FHIRError(
                .badRequest, code: "invalid", "the body's id must equal the URL's id", expression: ["\(type).id"])
        }
        let expected = try expectedVersion(request)
        if let expected, try await documents.current(type: type, id: id)?.version != expected {
            throw FHIRError(
                .preconditionFailed, code: "conflict", "If-Match W/\"\(expected)\" is not the current version")
        }
        return try await store(
            resource, type, id: id, expected: expected, mustNotExist: false, negotiation: negotiation, request: request)
    }

    func conditionalUpdate(_ request: Request, _ type: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let search = try SearchRequest(query: request.uri.query, strict: true)
        guard !search.parameters.isEmpty else {
            throw FHIRError(.badRequest, code: "invalid", "a conditional update needs search parameters")
        }
        let resource = try await body(request, type)
        let found = try await conditionMatches(type, search)
        switch found.count {
        case 0:
            return try await store(
                resource, type, id: resource.resourceID ?? UUID().uuidString.lowercased(), expected: nil,
                mustNotExist: true, negotiation: negotiation, request: request)
        case 1:
            if let bodyID = resource.resourceID, bodyID != found[0].id {
                throw FHIRError(.badRequest, code: "invalid", "the body's id differs from the matching resource's")
            }
            return try await store(
                resource, type, id: found[0].id, expected: found[0].version, mustNotExist: false,
                negotiation: negotiation, request: request)
        default:
            throw FHIRError(
                .preconditionFailed, code: "multiple-matches", "the condition matches \(found.count) resources")
        }
    }

    /// `PATCH` with a JSON Patch (`application/json-patch+json`): applied to the current version's JSON, read
    /// again as FHIR (so the result is a valid resource), stored as a new version; `If-Match` is honoured.
    func patch(_ request: Request, _ type: String, id: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        guard request.headers[.contentType]?.hasPrefix("application/json-patch+json") == true else {
            throw FHIRError(.unsupportedMediaType, code: "not-supported", "PATCH takes application/json-patch+json")
        }
        guard let doc = try await documents.current(type: type, id: id), !doc.deleted else {
            throw FHIRError(.notFound, code: "not-found", "\(type)/\(id) not found")
        }
        let expected = try expectedVersion(request)
        if let expected, expected != doc.version {
            throw FHIRError(
                .preconditionFailed, code: "conflict", "If-Match W/\"\(expected)\" is not the current version")
        }
        let body = try await request.body.collect(upTo: services.maxBodyBytes)
        let patchDocument = try JSONParser().parse(Array(body.readableBytesView))
        let current = try JSONParser().parse(doc.body).value
        let patched: JSONValue
        do {
            patched = try JSONPatch.apply(patchDocument.value, to: current)
        } catch {
            throw FHIRError(
                .unprocessableContent, code: "processing", "patch operation \(error.index): \(error.message)")
        }
        let resource = try services.responses.codec.read(patched.serialized(), format: .json)
        guard resource.type == type, resource.resourceID == id else {
            throw FHIRError(.unprocessableContent, code: "invariant", "a patch may not change the resource type or id")
        }
        return try await store(
            resource, type, id: id, expected: doc.version, mustNotExist: false, negotiation: negotiation,
            request: request)
    }

    func delete(_ request: Request, _ type: String, id: String) async throws -> Response {
        _ = try Negotiation.response(for: request)
        do {
            _ = try await documents.write([
                DocumentWrite(
                    type: type, id: id, kind: .delete(expectedVersion: try expectedVersion(request)),
                    at: services.booking.clock.now())
            ])
        } catch DocumentStoreError.versionMismatch {
            throw FHIRError(.preconditionFailed, code: "conflict", "If-Match is not the current version")
        }
        return Response(status: .noContent)
    }

    static let maxConditionalDeletes = 100

    func conditionalDelete(_ request: Request, _ type: String) async throws -> Response {
        let search = try SearchRequest(query: request.uri.query, strict: true)
        guard !search.parameters.isEmpty else {
            throw FHIRError(.badRequest, code: "invalid", "a conditional delete needs search parameters")
        }
        let found = try await conditionMatches(type, search)
        // Multiple deletes (CapabilityStatement conditionalDelete = multiple), all in one transaction; a condition
        // matching more than `maxConditionalDeletes` is refused as too broad rather than emptying a table.
        if found.count > Self.maxConditionalDeletes {
            throw FHIRError(
                .preconditionFailed, code: "multiple-matches",
                "the condition matches \(found.count) resources (at most \(Self.maxConditionalDeletes) are deleted at once)"
            )
        }
        let now = services.booking.clock.now()
        _ = try await documents.write(
            found.map { DocumentWrite(type: type, id: $0.id, kind: .delete(expectedVersion: nil), at: now) })
        return Response(status: .noContent)
    }
}

/// UTC instant text with seconds.
func instantText(_ d: Date) -> String {
    AppointmentMapping.instantText(d)
}
