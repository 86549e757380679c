import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Appointment read, vread, history and search, from the domain's versions.
struct AppointmentReadInteractions {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }

    static let searchParameters: [RouteCatalog.SearchParameter] =
        [
            .init(name: "patient", type: "reference", documentation: "Patient/{id}"),
            .init(name: "actor", type: "reference", documentation: "any participant: Type/{id}"),
            .init(name: "practitioner", type: "reference", documentation: "Practitioner/{id}"),
            .init(name: "location", type: "reference", documentation: "Location/{id}"),
            .init(name: "status", type: "token", documentation: "appointment status; commas OR; :not"),
            .init(
                name: "date", type: "date",
                documentation: "on the start..end period; prefixes eq ne gt lt ge le sa eb ap"),
            .init(name: "identifier", type: "token", documentation: "system|value"),
            .init(name: "slot", type: "reference", documentation: "Slot/{id}"),
            .init(
                name: "end", type: "date",
                documentation: "on the end instant (R6's parameter; for overlap queries); prefixes as date"),
            .init(name: "part-status", type: "token", documentation: "any participant's status"),
            .init(
                name: "based-on", type: "reference",
                documentation: ":identifier=[system|]NRE finds the appointments of an e-prescription"),
            .init(name: "reason-code", type: "token", documentation: "[system|]code as written; :text; :not"),
            .init(name: "reason-reference", type: "reference", documentation: "Type/id as written; :not"),
            .init(name: "service-category", type: "token", documentation: "[system|]code as written; :text; :not"),
            .init(name: "supporting-info", type: "reference", documentation: "Type/id as written; :not"),
            .init(name: "_id", type: "token", documentation: "appointment id"),
        ] + CodeToken.searchParameters(["service-type", "specialty", "appointment-type"])

    var forms: WrittenForms { WrittenForms(services: services) }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        for i in ["read", "vread", "history-instance", "search-type"] { catalog.add("Appointment", interaction: i) }
        catalog.set("Appointment", "readHistory", "true")
        catalog.add("Appointment", searchParameters: Self.searchParameters)
        router.get("/fhir/Appointment/:id") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let a = try await appointment(try context.parameters.require("id"))
            return services.responses.read(
                try await forms.render(AppointmentMapping.resource(a).element), request: request,
                negotiation: negotiation)
        }
        router.get("/fhir/Appointment/:id/_history/:vid") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            let vid = try context.parameters.require("vid")
            guard
                let version = try await services.store.history(appointmentID: id).first(where: {
                    String($0.version) == vid
                })
            else {
                throw FHIRError(.notFound, code: "not-found", "Appointment/\(id)/_history/\(vid) not found")
            }
            if version.deletedAt != nil {
                throw FHIRError(
                    .gone, code: "deleted", "Appointment/\(id)/_history/\(vid) is the version that deleted it")
            }
            let history = try await forms.history("Appointment", id: id)
            return services.responses.resource(
                try rendered(version, history: history), negotiation: negotiation)
        }
        router.get("/fhir/Appointment/:id/_history") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            let versions = Array(try await services.store.history(appointmentID: id).reversed())
            guard !versions.isEmpty else {
                throw FHIRError(.notFound, code: "not-found", "Appointment/\(id) not found")
            }
            let history = try await forms.history("Appointment", id: id)
            var bundle = BundleResource()
            bundle.type = "history"
            bundle.total = versions.count
            bundle.entries = try versions.map { v in
                HistoryInteractions.entry(
                    .init(
                        type: "Appointment", id: id, version: v.version, at: v.lastUpdated,
                        resource: v.deletedAt == nil ? try rendered(v, history: history) : nil,
                        deleted: v.deletedAt != nil), baseURL: baseURL)
            }
            return services.responses.resource(bundle.element, negotiation: negotiation)
        }
        router.get("/fhir/Appointment") { request, _ in try await search(request) }
    }

    func appointment(_ id: String) async throws -> Appointment {
        guard let a = try await services.store.appointment(id: id) else {
            throw FHIRError(.notFound, code: "not-found", "Appointment/\(id) not found")
        }
        if a.deletedAt != nil { throw FHIRError(.gone, code: "deleted", "Appointment/\(id) was deleted") }
        return a
    }

    /// A past version as served then: the domain's version completed with the written form current at it.
    func rendered(_ v: Appointment, history: [(document: StoredDocument, form: WrittenForm?)]) throws -> Element {
        let mapped = AppointmentMapping.resource(v).element
        return WrittenForms.form(at: v.version, in: history)?.merged(with: mapped) ?? mapped
    }

    /// Chained reference parameters (`actor:Practitioner.identifier=…`, `patient.identifier=…`,
    /// `practitioner.name=…`): each resolves to the set of `Type/id` references a participant must be among.
    func resolveChains(_ search: SearchRequest) async throws -> [Set<String>] {
        let defaults = ["patient": "Patient", "practitioner": "Practitioner", "location": "Location"]
        var out: [Set<String>] = []
        for p in search.parameters {
            let base: String
            var type: String?
            let chainedName: String
            if let m = p.modifier, m.contains(".") {
                let parts = m.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw FHIRError(.badRequest, code: "invalid", "malformed chain '\(p.name):\(m)'")
                }
                (base, type, chainedName) = (p.name, parts[0], parts[1])
            } else if p.name.contains(".") {
                let parts = p.name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(
                    String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw FHIRError(.badRequest, code: "invalid", "malformed chain '\(p.name)'")
                }
                (base, chainedName) = (parts[0], parts[1])
                type = defaults[base]
            } else {
                continue
            }
            guard ["patient", "actor", "practitioner", "location"].contains(base) else {
                throw FHIRError(.badRequest, code: "not-supported", "'\(base)' cannot be chained")
            }
            guard let target = type, DirectoryIndex.types.contains(target) else {
                throw FHIRError(
                    .badRequest, code: "invalid",
                    "a chain on '\(base)' needs a directory type, e.g. \(base):Practitioner.identifier")
            }
            guard ["identifier", "name", "_id"].contains(chainedName) else {
                throw FHIRError(
                    .badRequest, code: "not-supported",
                    "chained parameter '\(chainedName)' is not supported (identifier, name, _id)")
            }
            let inner = try SearchRequest(
                query: "\(chainedName)="
                    + p.values.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 }.joined(
                        separator: ","),
                strict: true)
            let docs = try await services.documents.search(
                type: target, criteria: try DirectoryIndex.criteria(inner), lastUpdated: nil)
            out.append(Set(docs.map { "\(target)/\($0.id)" }))
        }
        return out
    }

    static let modifiers: [String: Set<String>] = [
        "status": ["not"], "part-status": ["not"], "based-on": ["identifier"],
        "reason-code": WrittenForms.tokenModifiers,
        "service-type": CodeToken.modifiers, "specialty": CodeToken.modifiers, "appointment-type": CodeToken.modifiers,
        "service-category": WrittenForms.tokenModifiers, "reason-reference": WrittenForms.referenceModifiers,
        "supporting-info": WrittenForms.referenceModifiers,
    ]

    /// The unsupported parameters of `search` as warnings (400 under strict handling).
    static func warnings(_ search: SearchRequest) throws(FHIRError) -> [OperationOutcomeResource.Issue] {
        let chained = Set(
            search.parameters.filter { $0.name.contains(".") || ($0.modifier?.contains(".") ?? false) }.map(\.name))
        return try search.unsupported(Set(searchParameters.map(\.name)).union(chained), perParameter: modifiers)
    }

    func search(_ request: Request) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let search = try SearchRequest(query: request.uri.query, strict: request.prefersStrictHandling)
        let warnings = try Self.warnings(search)
        let result = try ResultParameters(search, sortable: ["date", "status", "_id", "_lastUpdated"])
        let matches = try await matches(search)
        let includes = try IncludeRequest(search, searchedType: "Appointment")
        let bundle = try await SearchsetBuilder(
            baseURL: baseURL, type: "Appointment", request: request, defaultSort: ["date"]
        ).bundle(
            lazy: matches.map { a in
                LazyMatch(
                    id: a.id,
                    key: { key in
                        switch key {
                        case "date", "start": ResultParameters.sortableInstant(a.start.timeIntervalSince1970)
                        case "end": ResultParameters.sortableInstant(a.end.timeIntervalSince1970)
                        case "_lastUpdated": ResultParameters.sortableInstant(a.lastUpdated.timeIntervalSince1970)
                        case "status": a.status.rawValue
                        default: ""
                        }
                    }, make: { AppointmentMapping.resource(a).element })
            }, count: search.count,
            offset: try SearchsetBuilder.offset(request), warnings: warnings + includes.warnings, result: result,
            registry: services.responses.codec.registry, render: { try await forms.render($0) },
            include: { try await IncludeResolver(services: services, base: base).resolve(includes, page: $0) })
        return services.responses.resource(bundle.element, negotiation: negotiation)
    }

    /// The appointments `search` selects (its filter parameters; result parameters are the caller's).
    func matches(_ search: SearchRequest) async throws -> [Appointment] {
        if let p = search.values("based-on").first(where: { $0.modifier != "identifier" }) {
            throw FHIRError(
                .badRequest, code: "not-supported",
                "based-on is searched by identifier (based-on:identifier=…), not \(p.values.first ?? "")")
        }
        let ends = try search.values("end").flatMap(\.values).map { v throws(FHIRError) in try DateSearchValue(v) }
        var query = AppointmentQuery()
        if let i = search.values("identifier").first?.values.first {
            let parts = i.split(separator: "|", maxSplits: 1)
            guard parts.count == 2 else { throw FHIRError(.badRequest, code: "invalid", "identifier is system|value") }
            query.identifier = BusinessIdentifier(system: String(parts[0]), value: String(parts[1]))
        }
        let dates = try search.values("date").flatMap(\.values).map { v throws(FHIRError) in try DateSearchValue(v) }
        for s in search.values("status").flatMap(\.values) where Booking.AppointmentStatus(rawValue: s) == nil {
            throw FHIRError(.badRequest, code: "invalid", "unknown appointment status '\(s)'")
        }
        let chains = try await resolveChains(search)
        var written: [(ids: Set<String>, negated: Bool)] = []
        for name in (WrittenForms.indexed["Appointment"] ?? [:]).keys.sorted() {
            for p in search.values(name) {
                written.append((try await forms.ids("Appointment", parameter: p), WrittenForms.excludes(p)))
            }
        }
        let all = try await services.store.appointments(query)
        let matches = all.filter { a in
            guard written.allSatisfy({ $0.ids.contains(a.id) != $0.negated }) else { return false }
            let refs = Set(a.participants.map { ReferenceMapping.reference(for: $0.actor) })
            guard chains.allSatisfy({ !$0.isDisjoint(with: refs) }) else { return false }
            func refMatch(_ name: String, type: String?) -> Bool {
                search.values(name).filter { !($0.modifier?.contains(".") ?? false) }.allSatisfy { p in
                    p.values.contains { v in
                        let full = v.contains("/") ? v : (type.map { "\($0)/\(v)" } ?? v)
                        return refs.contains(full) || refs.contains(where: { full.hasSuffix("/" + $0) })
                    }
                }
            }
            return refMatch("patient", type: "Patient") && refMatch("actor", type: nil)
                && refMatch("practitioner", type: "Practitioner") && refMatch("location", type: "Location")
                && search.values("status").allSatisfy {
                    ($0.modifier == "not") != $0.values.contains(a.status.rawValue)
                }
                && dates.allSatisfy { $0.matches(start: a.start, end: a.end) }
                && search.values("_id").allSatisfy { $0.values.contains(a.id) }
                && search.values("slot").allSatisfy { p in
                    p.values.contains { v in a.slotIDs.contains { "Slot/\($0)" == v || $0.description == v } }
                }
                && search.values("service-type").allSatisfy { CodeToken.matches(a.serviceTypes, $0) }
                && search.values("specialty").allSatisfy { CodeToken.matches(a.specialties, $0) }
                && search.values("appointment-type").allSatisfy { CodeToken.matches(a.appointmentTypes, $0) }
                && ends.allSatisfy { $0.matches(start: a.end, end: a.end.addingTimeInterval(1)) }
                && search.values("part-status").allSatisfy { p in
                    (p.modifier == "not") != a.participants.contains { p.values.contains($0.status.rawValue) }
                }
                && search.values("based-on").allSatisfy { p in
                    guard let nre = a.referral?.prescriptionNumber else { return false }
                    return p.values.contains { v in
                        v == nre || v == "\(ProjectExtension.prescriptionSystem)|\(nre)" || v == "|\(nre)"
                    }
                }
        }
        return matches
    }
}
