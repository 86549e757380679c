import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// `POST /fhir` with a `batch` or `transaction` Bundle.
///
/// Entries are processed in the order of the specification (DELETE, POST, PUT, GET). `urn:uuid:` (and other)
/// full URLs of created resources are resolved in the references of the other entries. A **transaction** of
/// directory resources, with Appointments it creates, is one store transaction: every write or none (the bookings
/// and the documents commit together in the booking store's transaction). Appointment updates, cancellations and
/// deletes go in a batch or their own request. A **batch** answers each entry on its own.
struct BundleInteraction {
    let services: GatewayServices
    let directory: DirectoryInteractions
    let base: ServerBase
    var baseURL: String { base.url }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.addSystem("transaction")
        catalog.addSystem("batch")
        router.post("/fhir") { request, _ in try await handle(request) }
    }

    struct Planned {
        var index: Int
        var method: String
        var type: String
        var id: String?
        var query: String?
        var resource: Element?
        var fullUrl: String?
        var ifMatch: Int?
        var ifNoneExist: String?
    }

    static func order(_ method: String) -> Int {
        switch method {
        case "DELETE": 0
        case "POST": 1
        case "PUT", "PATCH": 2
        default: 3
        }
    }

    func handle(_ request: Request) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        guard let bundle = BundleResource(element), let type = bundle.type, type == "batch" || type == "transaction"
        else {
            throw FHIRError(.badRequest, code: "invalid", "POST to the base takes a batch or transaction Bundle")
        }
        let plans = try plan(bundle)
        var responses = [BundleResource.Entry](repeating: .init(), count: plans.count)
        if type == "transaction" {
            try await transaction(plans, into: &responses, outer: request)
        } else {
            for p in plans.sorted(by: { (Self.order($0.method), $0.index) < (Self.order($1.method), $1.index) }) {
                responses[p.index] = await batchEntry(p, outer: request)
            }
        }
        var out = BundleResource()
        out.type = type + "-response"
        out.entries = responses
        return services.responses.resource(out.element, negotiation: negotiation)
    }

    func plan(_ bundle: BundleResource) throws(FHIRError) -> [Planned] {
        var out: [Planned] = []
        for (i, e) in bundle.entries.enumerated() {
            guard let request = e.request else {
                throw FHIRError(
                    .badRequest, code: "required", "entry \(i) has no request",
                    expression: ["Bundle.entry[\(i)].request"])
            }
            let url = request.url.hasPrefix(baseURL) ? String(request.url.dropFirst(baseURL.count + 1)) : request.url
            let pathAndQuery = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(
                String.init)
            let parts = (pathAndQuery.first ?? "").split(separator: "/").map(String.init)
            guard let type = parts.first, !type.isEmpty, parts.count <= 2 || parts[2] == "_history" else {
                throw FHIRError(
                    .badRequest, code: "invalid", "entry \(i) has no resource type in its url",
                    expression: ["Bundle.entry[\(i)].request.url"])
            }
            let ifMatch = request.ifMatch.flatMap { Int($0.filter(\.isNumber)) }
            out.append(
                Planned(
                    index: i, method: request.method, type: type, id: parts.count > 1 ? parts[1] : nil,
                    query: pathAndQuery.count > 1 ? pathAndQuery[1] : nil, resource: e.resource, fullUrl: e.fullUrl,
                    ifMatch: ifMatch, ifNoneExist: request.ifNoneExist))
        }
        return out
    }

    // MARK: Transaction

    func transaction(_ plans: [Planned], into responses: inout [BundleResource.Entry], outer: Request) async throws {
        for p in plans where !DirectoryIndex.types.contains(p.type) && p.method != "GET" {
            let appointmentWrite =
                p.type == "Appointment" && p.ifNoneExist == nil
                && (p.method == "POST" || ((p.method == "PUT" || p.method == "DELETE") && p.id != nil))
            guard appointmentWrite else {
                throw FHIRError(
                    .badRequest, code: "not-supported",
                    "a transaction writes directory resources and Appointments (POST, PUT and DELETE by id);"
                        + " \(p.method) \(p.type) goes in a batch or its own request",
                    expression: ["Bundle.entry[\(p.index)]"])
            }
        }
        let appointmentIDs = plans.filter { $0.type == "Appointment" && $0.method != "GET" }.compactMap(\.id)
        if Set(appointmentIDs).count != appointmentIDs.count {
            throw FHIRError(
                .badRequest, code: "invalid", "a transaction changes each appointment at most once",
                expression: ["Bundle.entry"])
        }
        let appointments = AppointmentWriteInteractions(services: services, base: base)
        // The booking domain's steps, in processing order, with the written resource (nil for a delete).
        var steps: [(index: Int, step: StoreStep, written: Element?, creates: String?)] = []
        let now = services.booking.clock.now()
        // Ids and full-URL mapping first, so references can be rewritten before anything is written.
        var ids: [Int: String] = [:]
        var urlMap: [String: String] = [:]
        var skipped: Set<Int> = []
        for p in plans {
            switch p.method {
            case "POST":
                if let condition = p.ifNoneExist {
                    let found = try await directory.conditionMatches(
                        p.type, try SearchRequest(query: condition, strict: true))
                    if found.count > 1 {
                        throw FHIRError(
                            .preconditionFailed, code: "multiple-matches",
                            "entry \(p.index): If-None-Exist matches \(found.count)")
                    }
                    if let doc = found.first {
                        ids[p.index] = doc.id
                        skipped.insert(p.index)
                        responses[p.index] = .init(
                            response: .init(
                                status: "200 OK", location: "\(p.type)/\(doc.id)/_history/\(doc.version)",
                                etag: "W/\"\(doc.version)\""))
                        if let full = p.fullUrl { urlMap[full] = "\(p.type)/\(doc.id)" }
                        continue
                    }
                }
                let id = UUID().uuidString.lowercased()
                ids[p.index] = id
                if let full = p.fullUrl { urlMap[full] = "\(p.type)/\(id)" }
            case "PUT":
                if let id = p.id {
                    ids[p.index] = id
                    if let full = p.fullUrl { urlMap[full] = "\(p.type)/\(id)" }
                }
            default: break
            }
        }
        var writes: [DocumentWrite] = []
        var writeIndex: [Int] = []
        var stamped: [Int: Element] = [:]
        for p in plans.sorted(by: { (Self.order($0.method), $0.index) < (Self.order($1.method), $1.index) }) {
            guard !skipped.contains(p.index) else { continue }
            switch p.method {
            case "DELETE" where p.type == "Appointment":
                guard let id = p.id, let current = try await services.store.appointment(id: id),
                    current.deletedAt == nil,
                    let command = try await services.booking.prepareDelete(
                        appointmentID: id, expectedVersion: p.ifMatch)
                else {
                    responses[p.index] = .init(response: .init(status: "204 No Content"))
                    continue
                }
                steps.append((p.index, .update(command), nil, nil))
            case "PUT" where p.type == "Appointment":
                guard var resource = p.resource, resource.type == p.type, let id = p.id, resource.resourceID == id
                else {
                    throw FHIRError(
                        .badRequest, code: "invalid", "entry \(p.index) needs the Appointment with the url's id",
                        expression: ["Bundle.entry[\(p.index)]"])
                }
                resource = Self.rewritingReferences(resource, urlMap)
                if let current = try await services.store.appointment(id: id), current.deletedAt == nil {
                    if let expected = p.ifMatch, expected != current.version {
                        throw FHIRError(
                            .preconditionFailed, code: "conflict",
                            "entry \(p.index): If-Match \(expected) is not version \(current.version): nothing was written"
                        )
                    }
                    steps.append(
                        (
                            p.index, .update(try await appointments.prepareUpdate(resource, current: current)),
                            resource, nil
                        ))
                } else {
                    if p.ifMatch != nil {
                        throw FHIRError(
                            .preconditionFailed, code: "conflict",
                            "entry \(p.index): If-Match on Appointment/\(id), which does not exist: nothing was written"
                        )
                    }
                    let request = try await appointments.bookingRequest(resource, id: id)
                    steps.append((p.index, .book(try await services.booking.prepareBooking(request)), resource, id))
                }
            case "DELETE":
                guard let id = p.id else {
                    throw FHIRError(
                        .badRequest, code: "not-supported", "entry \(p.index): conditional delete in a transaction")
                }
                writes.append(DocumentWrite(type: p.type, id: id, kind: .delete(expectedVersion: p.ifMatch), at: now))
                writeIndex.append(p.index)
            case "POST" where p.type == "Appointment":
                guard var resource = p.resource, resource.type == p.type, let id = ids[p.index] else {
                    throw FHIRError(
                        .badRequest, code: "invalid", "entry \(p.index) needs an Appointment",
                        expression: ["Bundle.entry[\(p.index)]"])
                }
                resource = Self.rewritingReferences(resource, urlMap)
                let request = try await appointments.bookingRequest(resource, id: id)
                steps.append((p.index, .book(try await services.booking.prepareBooking(request)), resource, id))
            case "POST", "PUT":
                guard var resource = p.resource, resource.type == p.type, let id = ids[p.index] else {
                    throw FHIRError(
                        .badRequest, code: "invalid", "entry \(p.index) needs a \(p.type) resource and an id",
                        expression: ["Bundle.entry[\(p.index)]"])
                }
                resource = Self.rewritingReferences(resource, urlMap)
                do {
                    _ = try services.validation?.check(resource)
                } catch {
                    var e = error
                    e.issues = e.issues.map { issue in
                        var i = issue
                        i.diagnostics = "entry \(p.index): " + (i.diagnostics ?? "")
                        return i
                    }
                    throw e
                }
                let current = try await services.documents.current(type: p.type, id: id)
                let version = (current?.version ?? 0) + 1
                let (s, bytes, index) = directory.prepare(resource, id: id, version: version, at: now)
                stamped[p.index] = s
                writes.append(
                    DocumentWrite(
                        type: p.type, id: id,
                        kind: .put(
                            body: bytes, index: index, expectedVersion: p.ifMatch ?? current?.version,
                            mustNotExist: p.method == "POST"),
                        at: now))
                writeIndex.append(p.index)
            case "GET":
                continue
            default:
                throw FHIRError(
                    .badRequest, code: "not-supported",
                    "entry \(p.index): \(p.method) is not supported in a transaction")
            }
        }
        let stored: [StoredDocument]
        do {
            if steps.isEmpty {
                stored = try await services.documents.write(writes)
            } else {
                // One store transaction for the appointments, their written forms and the other resources.
                let work = AppointmentDocuments(
                    documents: services.documents, writes: writes, written: steps.map(\.written),
                    updates: steps.map { if case .update = $0.step { true } else { false } },
                    forms: WrittenForms(services: services), mustCreate: steps.map(\.creates))
                let result = try await services.booking.commit(steps.map(\.step), attached: work)
                stored = result.attached as? [StoredDocument] ?? []
                for (k, r) in result.results.enumerated() {
                    let a = r.appointment
                    let status =
                        a.deletedAt != nil ? "204 No Content" : r.created ? "201 Created" : "200 OK"
                    responses[steps[k].index] = .init(
                        fullUrl: a.deletedAt != nil ? nil : "\(baseURL)/Appointment/\(a.id)",
                        response: .init(
                            status: status,
                            location: a.deletedAt != nil ? nil : "Appointment/\(a.id)/_history/\(a.version)",
                            etag: "W/\"\(a.version)\""))
                }
            }
        } catch DocumentStoreError.versionMismatch(let e, let a) {
            throw FHIRError(
                .preconditionFailed, code: "conflict",
                "version \(e) expected, found \(a.map(String.init) ?? "none"): nothing was written")
        } catch DocumentStoreError.alreadyExists(let t, let id) {
            throw FHIRError(.conflict, code: "duplicate", "\(t)/\(id) exists: nothing was written")
        }
        for (k, doc) in stored.enumerated() {
            let i = writeIndex[k]
            let status = doc.deleted ? "204 No Content" : doc.version == 1 ? "201 Created" : "200 OK"
            responses[i] = .init(
                fullUrl: doc.deleted ? nil : "\(baseURL)/\(doc.type)/\(doc.id)", resource: stamped[i],
                response: .init(
                    status: status, location: doc.deleted ? nil : "\(doc.type)/\(doc.id)/_history/\(doc.version)",
                    etag: "W/\"\(doc.version)\""))
        }
        for p in plans where p.method == "GET" {
            responses[p.index] = await batchEntry(p, outer: outer)
        }
    }

    /// Replaces references equal to a full URL of the Bundle by the resource's new `Type/id`.
    static func rewritingReferences(_ e: Element, _ map: [String: String]) -> Element {
        guard !map.isEmpty else { return e }
        var copy = e
        if e.type == "Reference", let i = copy.children.firstIndex(where: { $0.name == "reference" }),
            let v = copy.children[i].value, let target = map[v]
        {
            copy.children[i].value = target
        }
        copy.children = copy.children.map { rewritingReferences($0, map) }
        return copy
    }

    // MARK: Batch

    func batchEntry(_ p: Planned, outer: Request) async -> BundleResource.Entry {
        do {
            let response: Response
            let json = Negotiation(format: .json, pretty: false)
            switch (p.method, directory.handles(p.type), p.type) {
            case ("GET", true, _):
                guard let id = p.id else { return try await searchEntry(p) }
                guard let doc = try await services.documents.current(type: p.type, id: id), !doc.deleted else {
                    throw FHIRError(.notFound, code: "not-found", "\(p.type)/\(id) not found")
                }
                return .init(
                    resource: try directory.element(doc),
                    response: .init(status: "200 OK", etag: "W/\"\(doc.version)\""))
            case ("POST", true, _), ("PUT", true, _):
                guard let resource = p.resource, resource.type == p.type else {
                    throw FHIRError(.badRequest, code: "invalid", "the entry needs a \(p.type) resource")
                }
                if p.method == "PUT", resource.resourceID != p.id {
                    throw FHIRError(.badRequest, code: "invalid", "the resource's id must equal the url's id")
                }
                if p.method == "POST", let condition = p.ifNoneExist {
                    let found = try await directory.conditionMatches(
                        p.type, try SearchRequest(query: condition, strict: true))
                    if found.count > 1 {
                        throw FHIRError(
                            .preconditionFailed, code: "multiple-matches", "If-None-Exist matches \(found.count)")
                    }
                    if let doc = found.first {
                        return .init(
                            resource: try directory.element(doc),
                            response: .init(status: "200 OK", etag: "W/\"\(doc.version)\""))
                    }
                }
                let id = p.method == "POST" ? UUID().uuidString.lowercased() : (p.id ?? "")
                guard !id.isEmpty else {
                    throw FHIRError(.badRequest, code: "not-supported", "conditional update in a batch")
                }
                response = try await directory.store(
                    resource, p.type, id: id, expected: p.ifMatch, mustNotExist: p.method == "POST", negotiation: json,
                    request: outer)
            case ("DELETE", true, _):
                guard let id = p.id else {
                    throw FHIRError(.badRequest, code: "not-supported", "conditional delete in a batch")
                }
                _ = try await services.documents.write([
                    DocumentWrite(
                        type: p.type, id: id, kind: .delete(expectedVersion: p.ifMatch),
                        at: services.booking.clock.now())
                ])
                return .init(response: .init(status: "204 No Content"))
            case ("POST", false, "Appointment"):
                guard let resource = p.resource else {
                    throw FHIRError(.badRequest, code: "required", "no Appointment")
                }
                let (a, created, body) = try await AppointmentWriteInteractions(services: services, base: base).create(
                    resource)
                return .init(
                    fullUrl: "\(baseURL)/Appointment/\(a.id)", resource: body,
                    response: .init(
                        status: created ? "201 Created" : "200 OK",
                        location: "Appointment/\(a.id)/_history/\(a.version)", etag: "W/\"\(a.version)\""))
            case ("GET", false, "Appointment"):
                guard let id = p.id, let a = try await services.store.appointment(id: id), a.deletedAt == nil else {
                    throw FHIRError(.notFound, code: "not-found", "Appointment/\(p.id ?? "") not found")
                }
                return .init(
                    resource: try await WrittenForms(services: services).render(AppointmentMapping.resource(a).element),
                    response: .init(status: "200 OK", etag: "W/\"\(a.version)\""))
            default:
                throw FHIRError(.badRequest, code: "not-supported", "\(p.method) \(p.type) is not supported in a batch")
            }
            let status = response.status.code == 201 ? "201 Created" : "200 OK"
            return .init(
                response: .init(
                    status: status,
                    location: response.headers[.location].map { String($0.dropFirst(baseURL.count + 1)) },
                    etag: response.headers[.eTag]))
        } catch {
            let e = FHIRError.from(error)
            return .init(
                response: .init(status: "\(e.status.code) \(e.status.reasonPhrase)", outcome: e.outcome.element))
        }
    }

    func searchEntry(_ p: Planned) async throws -> BundleResource.Entry {
        let search = try SearchRequest(query: p.query, strict: false)
        let found = try await directory.matches(p.type, search)
        var b = BundleResource()
        b.type = "searchset"
        b.total = found.count
        b.entries = try found.prefix(search.count).map {
            .init(fullUrl: "\(baseURL)/\($0.type)/\($0.id)", resource: try directory.element($0), searchMode: "match")
        }
        return .init(resource: b.element, response: .init(status: "200 OK"))
    }
}
