import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Schedule read, vread, history and search (writes: ``ScheduleWriteInteractions``).
struct ScheduleInteractions {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }

    static let searchParameters: [RouteCatalog.SearchParameter] =
        [
            .init(
                name: "actor", type: "reference",
                documentation: "Practitioner/{id}, Location/{id}, Device/{id}, HealthcareService/{id}"),
            .init(name: "active", type: "token", documentation: "true | false"),
            .init(name: "identifier", type: "token", documentation: "[system|]value as written; :not"),
            .init(name: "service-category", type: "token", documentation: "[system|]code as written; :text; :not"),
            .init(
                name: "date", type: "date",
                documentation: "on the planning horizon (as written); prefixes eq ne gt lt ge le sa eb ap"),
            .init(name: "_id", type: "token", documentation: "schedule id"),
        ] + CodeToken.searchParameters(["service-type", "specialty"])

    var forms: WrittenForms { WrittenForms(services: services) }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        for i in ["read", "vread", "history-instance", "search-type"] { catalog.add("Schedule", interaction: i) }
        catalog.set("Schedule", "readHistory", "true")
        catalog.add("Schedule", searchParameters: Self.searchParameters)
        router.get("/fhir/Schedule/:id") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            guard let served = try await served(id: id) else {
                throw FHIRError(.notFound, code: "not-found", "Schedule/\(id) not found")
            }
            return services.responses.read(served, request: request, negotiation: negotiation)
        }
        router.get("/fhir/Schedule/:id/_history/:vid") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let version = try await forms.version(
                "Schedule", id: try context.parameters.require("id"), vid: try context.parameters.require("vid"))
            return services.responses.resource(version, negotiation: negotiation)
        }
        router.get("/fhir/Schedule/:id/_history") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            let bundle = try await forms.historyBundle("Schedule", id: id, baseURL: baseURL)
            // A schedule loaded by the operator has no versions yet: an empty history, not a 404.
            if bundle.entries.isEmpty, try await services.store.schedule(id: id) == nil {
                throw FHIRError(.notFound, code: "not-found", "Schedule/\(id) not found")
            }
            return services.responses.resource(bundle.element, negotiation: negotiation)
        }
        router.get("/fhir/Schedule") { request, _ in
            let negotiation = try Negotiation.response(for: request)
            let search = try SearchRequest(query: request.uri.query, strict: request.prefersStrictHandling)
            let warnings = try search.unsupported(
                Set(Self.searchParameters.map(\.name)),
                perParameter: [
                    "identifier": WrittenForms.referenceModifiers, "service-category": WrittenForms.tokenModifiers,
                    "service-type": CodeToken.modifiers,
                    "specialty": CodeToken.modifiers,
                ])
            let result = try ResultParameters(search, sortable: ["_id"])
            let dates = try search.values("date").flatMap(\.values).map { v throws(FHIRError) in
                try DateSearchValue(v)
            }
            var written: [(ids: Set<String>, negated: Bool)] = []
            for name in ["identifier", "service-category"] {
                for p in search.values(name) {
                    written.append((try await forms.ids("Schedule", parameter: p), WrittenForms.excludes(p)))
                }
            }
            let resources = Dictionary(uniqueKeysWithValues: try await services.store.resources().map { ($0.id, $0) })
            let schedules = try await services.store.schedules()
            let documents = try await forms.documents("Schedule", ids: schedules.map(\.id))
            var matches: [Element] = []
            for s in schedules where documents[s.id]?.deleted != true {
                guard try accepts(s, search, resources) else { continue }
                guard written.allSatisfy({ $0.ids.contains(s.id) != $0.negated }) else { continue }
                let served = try forms.completed(
                    ScheduleMapping.resource(s, resources: resources).element, document: documents[s.id])
                if !dates.isEmpty {
                    // `date`: the planning horizon (an open end is unbounded).
                    guard let horizon = served.child("planningHorizon") else { continue }
                    let start = horizon.string("start").flatMap { try? DateSearchValue($0).lower } ?? .distantPast
                    let end = horizon.string("end").flatMap { try? DateSearchValue($0).upper } ?? .distantFuture
                    // R4: "Schedules that have a period that contains this date": eq is containment of the value.
                    guard
                        dates.allSatisfy({ d in
                            d.prefix == "eq" ? start <= d.lower && end >= d.upper : d.matches(start: start, end: end)
                        })
                    else { continue }
                }
                matches.append(served)
            }
            let includes = try IncludeRequest(search, searchedType: "Schedule")
            let bundle = try await SearchsetBuilder(baseURL: baseURL, type: "Schedule", request: request).bundle(
                matches: matches, count: search.count, offset: try SearchsetBuilder.offset(request),
                warnings: warnings + includes.warnings, result: result, registry: services.responses.codec.registry,
                include: { try await IncludeResolver(services: services, base: base).resolve(includes, page: $0) })
            return services.responses.resource(bundle.element, negotiation: negotiation)
        }
    }

    /// The Schedule with its availability rules and exceptions as extensions.
    /// The Schedule as served (the domain's rendering completed by its written form); nil when unknown, 410 when
    /// deleted.
    func served(id: String) async throws -> Element? {
        guard let schedule = try await services.store.schedule(id: id) else { return nil }
        let document = try await services.documents.current(type: WrittenForms.documentType("Schedule"), id: id)
        if document?.deleted == true { throw FHIRError(.gone, code: "deleted", "Schedule/\(id) was deleted") }
        return try forms.completed(try await resource(schedule).element, document: document)
    }

    func resource(_ schedule: Schedule) async throws -> ScheduleResource {
        var resources: [String: BookableResource] = [:]
        for id in schedule.resourceIDs { resources[id] = try await services.store.resource(id: id) }
        var r = ScheduleMapping.resource(schedule, resources: resources)
        // Published slots are the Slots' own (written and removed as Slot resources).
        let rules = try await services.store.rules(scheduleID: schedule.id).filter { $0.publishedSlot != true }
        let exceptions = try await services.store.exceptions().filter { e in
            guard e.publishedSlot != true else { return false }
            switch e.scope {
            case .schedule(let id): return id == schedule.id
            case .resource(let id): return schedule.resourceIDs.contains(id)
            }
        }
        r.element.children += rules.map(AvailabilityMapping.extensionElement)
        r.element.children += exceptions.map(AvailabilityMapping.extensionElement)
        return r
    }

    func accepts(_ s: Schedule, _ search: SearchRequest, _ resources: [String: BookableResource]) throws(FHIRError)
        -> Bool
    {
        for p in search.values("_id") where !p.values.contains(s.id) { return false }
        for p in search.values("active") where !p.values.contains(s.active ? "true" : "false") { return false }
        for p in search.values("actor") {
            let refs = Set(s.resourceIDs.compactMap { resources[$0].map(ReferenceMapping.reference(for:)) })
            let ids = Set(s.resourceIDs)
            guard
                p.values.contains(where: { refs.contains($0) || ids.contains($0) || refs.contains(where: $0.hasSuffix) }
                )
            else { return false }
        }
        for (name, codes) in [("service-type", s.serviceTypes), ("specialty", s.specialties)] {
            for p in search.values(name) where !CodeToken.matches(codes, p) { return false }
        }
        return true
    }

    static func code(_ v: String) -> Code {
        let parts = v.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2
            ? Code(system: parts[0].isEmpty ? nil : String(parts[0]), code: String(parts[1])) : Code(code: v)
    }
}
