import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Type history of Appointment (`GET /fhir/Appointment/_history`) and system history (`GET /fhir/_history`):
/// the newest versions first, `_since` (an instant) and `_count` (default 50, at most 1000). System history merges
/// the appointments' versions with the stored documents' (directory resources, AppointmentResponse). Slots and
/// Schedules are computed from the availability and have no versions of their own.
struct HistoryInteractions {
    let services: GatewayServices
    let base: ServerBase

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.add("Appointment", interaction: "history-type")
        catalog.addSystem("history-system")
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

    func history(_ request: Request, system: Bool) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let search = try SearchRequest(query: request.uri.query, strict: true)
        var since: Date?
        for p in search.parameters {
            switch p.name {
            case "_since":
                guard let v = p.values.first, let dt = FHIRDateTime(v), dt.precision >= .second else {
                    throw FHIRError(.badRequest, code: "invalid", "_since is an instant")
                }
                since = Date(timeIntervalSince1970: dt.epochSeconds)
            default:
                throw FHIRError(.badRequest, code: "not-supported", "history takes _since and _count, not \(p.name)")
            }
        }
        let limit = search.count
        let recent = try await services.store.recentVersions(since: since, limit: limit)
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
            for d in try await services.documents.history(type: nil, id: nil, since: since, limit: limit)
            where !WrittenForms.isInternal(d.type) {
                versions.append(
                    Version(
                        type: d.type, id: d.id, version: d.version, at: d.lastUpdated,
                        resource: d.deleted ? nil : try services.responses.codec.read(d.body, format: .json),
                        deleted: d.deleted))
            }
            versions.sort { ($0.at, $0.type, $0.id, $0.version) > ($1.at, $1.type, $1.id, $1.version) }
        }
        let page = versions.prefix(limit)
        var bundle = BundleResource()
        bundle.type = "history"
        if versions.count < limit { bundle.total = versions.count }
        bundle.links = [
            ("self", "\(base.url)/\(system ? "" : "Appointment/")_history" + (request.uri.query.map { "?\($0)" } ?? ""))
        ]
        bundle.entries = page.map { Self.entry($0, baseURL: base.url) }
        return services.responses.resource(bundle.element, negotiation: negotiation)
    }
}
