import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Type history of Appointment (`GET /fhir/Appointment/_history`) and system history (`GET /fhir/_history`):
/// the newest versions first, `_since` (an instant) and `_count` (default 50, at most 1000), paged by a `next`
/// link whose cursor stays right while new versions are written. System history merges the appointments'
/// versions with the stored documents' (directory resources, AppointmentResponse).
struct HistoryInteractions {
    let services: GatewayServices
    let base: ServerBase

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.add("Appointment", interaction: "history-type")
        catalog.addSystem("history-system")
        for type in WrittenForms.versionedByForm.sorted() {
            catalog.add(type, interaction: "history-type")
            router.get(RouterPath("/fhir/\(type)/_history")) { request, _ in try await typeHistory(request, type) }
        }
        router.get("/fhir/Appointment/_history") { request, _ in try await history(request, system: false) }
        router.get("/fhir/_history") { request, _ in try await history(request, system: true) }
    }

    struct Version {
        var type: String
        var id: String
        var version: Int
        var at: Date
        var resource: Element?
        var deleted: Bool
    }

    /// One history entry: the version as it was written (POST for the first, PUT after, DELETE for a delete).
    static func entry(_ v: Version, baseURL: String) -> BundleResource.Entry {
        let method = v.deleted ? "DELETE" : v.version == 1 ? "POST" : "PUT"
        return BundleResource.Entry(
            fullUrl: "\(baseURL)/\(v.type)/\(v.id)", resource: v.resource,
            request: .init(method: method, url: method == "POST" ? v.type : "\(v.type)/\(v.id)"),
            response: .init(
                status: v.deleted ? "204" : v.version == 1 ? "201" : "200", etag: "W/\"\(v.version)\"",
                lastModified: instantText(v.at)))
    }

    /// Where a history page starts: after the versions at or after `until` that earlier pages showed (`skip` of
    /// those recorded exactly at `until`; ties are ordered by type, id and version, descending).
    struct Cursor: Equatable {
        var until: Date?
        var skip = 0
    }

    /// `_since`, `_count` and the paging cursor (`_until`, `_skip`, written by the server in `next` links).
    static func parameters(_ query: String?) throws -> (since: Date?, count: Int, cursor: Cursor) {
        let search = try SearchRequest(query: query, strict: true)
        var since: Date?
        var cursor = Cursor()
        for p in search.parameters {
            guard let v = p.values.first else { continue }
            switch p.name {
            case "_since":
                guard let dt = FHIRDateTime(v), dt.precision >= .second else {
                    throw FHIRError(.badRequest, code: "invalid", "_since is an instant")
                }
                since = Date(timeIntervalSince1970: dt.epochSeconds)
            case "_until":
                guard let t = Double(v), t.isFinite else {
                    throw FHIRError(.badRequest, code: "invalid", "_until is the server's paging cursor")
                }
                cursor.until = Date(timeIntervalSince1970: t)
            case "_skip":
                guard let n = Int(v), n >= 0 else {
                    throw FHIRError(.badRequest, code: "invalid", "_skip is the server's paging cursor")
                }
                cursor.skip = n
            case "_format", "_pretty", "_count":
                continue
            default:
                throw FHIRError(.badRequest, code: "not-supported", "history takes _since and _count, not \(p.name)")
            }
        }
        return (since, search.count, cursor)
    }

    static func precedes(_ a: Version, _ b: Version) -> Bool {
        (a.at, a.type, a.id, a.version) > (b.at, b.type, b.id, b.version)
    }

    /// One page of `versions` (newest first, fetched with at least `count + cursor.skip + 1` from each source) and
    /// the cursor of the next page, nil when this is the last.
    static func page(_ versions: [Version], count: Int, cursor: Cursor) -> (page: [Version], next: Cursor?) {
        var rest = versions[...]
        if let until = cursor.until {
            var dropped = 0
            while dropped < cursor.skip, let first = rest.first, first.at == until {
                rest = rest.dropFirst()
                dropped += 1
            }
        }
        let page = Array(rest.prefix(count))
        guard rest.count > count, let last = page.last else { return (page, nil) }
        let shown = page.filter { $0.at == last.at }.count + (last.at == cursor.until ? cursor.skip : 0)
        return (page, Cursor(until: last.at, skip: shown))
    }

    /// The history Bundle: self link, next link when more versions follow, `total` only when it is all of them.
    static func bundle(
        _ versions: [Version], count: Int, cursor: Cursor, path: String, query: String?, baseURL: String
    ) -> BundleResource {
        let (page, next) = page(versions, count: count, cursor: cursor)
        var bundle = BundleResource()
        bundle.type = "history"
        if next == nil && cursor == Cursor() { bundle.total = page.count }
        let kept = (query ?? "").split(separator: "&").filter { p in
            !["_until=", "_skip="].contains { p.hasPrefix($0) }
        }
        bundle.links = [("self", path + (query.map { "?\($0)" } ?? ""))]
        if let next, let until = next.until {
            let q = kept + ["_until=\(until.timeIntervalSince1970)", "_skip=\(next.skip)"]
            bundle.links.append(("next", path + "?" + q.joined(separator: "&")))
        }
        bundle.entries = page.map { entry($0, baseURL: baseURL) }
        return bundle
    }

    func history(_ request: Request, system: Bool) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let (since, count, cursor) = try Self.parameters(request.uri.query)
        let limit = count + cursor.skip + 1
        let recent = try await services.store.recentVersions(since: since, until: cursor.until, limit: limit)
        let forms = WrittenForms(services: services)
        var written: [String: [(document: StoredDocument, form: WrittenForm?)]] = [:]
        for id in Set(recent.map(\.id)) { written[id] = try await forms.history("Appointment", id: id) }
        var versions = recent.map { a in
            let mapped = AppointmentMapping.resource(a).element
            return Version(
                type: "Appointment", id: a.id, version: a.version, at: a.lastUpdated,
                resource: a.deletedAt != nil
                    ? nil : WrittenForms.form(at: a.version, in: written[a.id] ?? [])?.merged(with: mapped) ?? mapped,
                deleted: a.deletedAt != nil)
        }
        if system {
            // Appointments' versions come from the booking store above; Schedules and published Slots are versioned
            // by their written forms, the other documents are resources.
            for d in try await services.documents.history(
                type: nil, id: nil, since: since, until: cursor.until,
                excludingTypePrefix: WrittenForms.documentType("Appointment"), limit: limit)
            {
                let type =
                    d.type.hasPrefix(WrittenForms.internalPrefix)
                    ? String(d.type.dropFirst(WrittenForms.internalPrefix.count)) : d.type
                let resource: Element? =
                    d.deleted
                    ? nil
                    : type == d.type
                        ? try services.responses.codec.read(d.body, format: .json) : try forms.asWritten(d)
                versions.append(
                    Version(
                        type: type, id: d.id, version: d.version, at: d.lastUpdated, resource: resource,
                        deleted: d.deleted))
            }
        }
        versions.sort(by: Self.precedes)
        let bundle = Self.bundle(
            versions, count: count, cursor: cursor, path: "\(base.url)/\(system ? "" : "Appointment/")_history",
            query: request.uri.query, baseURL: base.url)
        return services.responses.resource(bundle.element, negotiation: negotiation)
    }

    /// Type history of Schedule and published Slot: their written forms' versions.
    func typeHistory(_ request: Request, _ type: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let (since, count, cursor) = try Self.parameters(request.uri.query)
        let forms = WrittenForms(services: services)
        let docs = try await services.documents.history(
            type: WrittenForms.documentType(type), id: nil, since: since, until: cursor.until,
            limit: count + cursor.skip + 1)
        let versions = try docs.map { d in
            Version(
                type: type, id: d.id, version: d.version, at: d.lastUpdated,
                resource: d.deleted ? nil : try forms.asWritten(d), deleted: d.deleted)
        }
        let bundle = Self.bundle(
            versions, count: count, cursor: cursor, path: "\(base.url)/\(type)/_history", query: request.uri.query,
            baseURL: base.url)
        return services.responses.resource(bundle.element, negotiation: negotiation)
    }
}
