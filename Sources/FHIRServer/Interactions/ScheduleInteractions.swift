import Booking
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Schedule read and search.
struct ScheduleInteractions {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }

    static let searchParameters: [RouteCatalog.SearchParameter] = [
        .init(
            name: "actor", type: "reference",
            documentation: "Practitioner/{id}, Location/{id}, Device/{id}, HealthcareService/{id}"),
        .init(name: "active", type: "token", documentation: "true | false"),
        .init(name: "service-type", type: "token", documentation: "[system|]code"),
        .init(name: "specialty", type: "token", documentation: "[system|]code"),
        .init(name: "_id", type: "token", documentation: "schedule id"),
    ]

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.add("Schedule", interaction: "read")
        catalog.add("Schedule", interaction: "search-type")
        catalog.add("Schedule", interaction: "update")
        router.put("/fhir/Schedule/:id") { request, context in
            try await update(request, id: try context.parameters.require("id"))
        }
        catalog.add("Schedule", searchParameters: Self.searchParameters)
        router.get("/fhir/Schedule/:id") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            guard let schedule = try await services.store.schedule(id: id) else {
                throw FHIRError(.notFound, code: "not-found", "Schedule/\(id) not found")
            }
            return services.responses.resource(try await resource(schedule).element, negotiation: negotiation)
        }
        router.get("/fhir/Schedule") { request, _ in
            let negotiation = try Negotiation.response(for: request)
            let search = try SearchRequest(query: request.uri.query, strict: request.prefersStrictHandling)
            let warnings = try search.unsupported(Set(Self.searchParameters.map(\.name)))
            let result = try ResultParameters(search, sortable: ["_id"])
            let resources = Dictionary(uniqueKeysWithValues: try await services.store.resources().map { ($0.id, $0) })
            var matches: [Element] = []
            for s in try await services.store.schedules() where try accepts(s, search, resources) {
                matches.append(ScheduleMapping.resource(s, resources: resources).element)
            }
            let includes = try IncludeRequest(search, searchedType: "Schedule")
            let bundle = try await SearchsetBuilder(baseURL: baseURL, type: "Schedule", request: request).bundle(
                matches: matches, count: search.count, offset: try SearchsetBuilder.offset(request),
                warnings: warnings + includes.warnings, result: result, registry: services.responses.codec.registry,
                include: { try await IncludeResolver(services: services, base: base).resolve(includes, page: $0) })
            return services.responses.resource(bundle.element, negotiation: negotiation)
        }
    }

    /// Replaces a schedule's availability from its extensions: rules and exceptions not in the body are deleted,
    /// the others saved; appointments left outside the new availability are flagged (never deleted). Active,
    /// comment, service types and specialties are updated too; actors must stay the same.
    func update(_ request: Request, id: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        guard let incoming = ScheduleResource(element), incoming.id == id else {
            throw FHIRError(.badRequest, code: "invalid", "the body must be the Schedule with the URL's id")
        }
        guard var schedule = try await services.store.schedule(id: id) else {
            throw FHIRError(
                .methodNotAllowed, code: "not-supported",
                "schedules are created by the operator, not by update-as-create")
        }
        schedule.active = incoming.active ?? schedule.active
        schedule.comment = incoming.comment
        schedule.serviceTypes = incoming.serviceTypes.map {
            Code(system: $0.system, code: $0.code ?? "", display: $0.display)
        }
        schedule.specialties = incoming.specialties.map {
            Code(system: $0.system, code: $0.code ?? "", display: $0.display)
        }
        do {
            schedule.sharing = try ScheduleMapping.sharing(element)
        } catch {
            throw FHIRError(.unprocessableContent, code: "invalid", error.message, expression: [error.expression])
        }
        var rules: [AvailabilityRule] = []
        var exceptions: [AvailabilityException] = []
        do {
            for (i, e) in element.extensions(url: ProjectExtension.availabilityRule).enumerated() {
                rules.append(try AvailabilityMapping.rule(from: e, scheduleID: id, path: "Schedule.extension[\(i)]"))
            }
            for (i, e) in element.extensions(url: ProjectExtension.availabilityException).enumerated() {
                exceptions.append(
                    try AvailabilityMapping.exception(
                        from: e, scheduleID: id, template: rules.first, path: "Schedule.extension[\(i)]"))
            }
        } catch {
            throw FHIRError(.unprocessableContent, code: "invalid", error.message, expression: [error.expression])
        }
        // Everything is validated before anything is written, and new rules are saved before old ones are
        // deleted, so a bad body changes nothing and a good one never leaves the schedule without its rules.
        var problems = rules.flatMap { r in r.problems.map { "rule \(r.id): \($0)" } }
        problems += exceptions.flatMap { e in e.problems.map { "exception \(e.id): \($0)" } }
        for e in exceptions {
            if case .resource(let rid) = e.scope, !schedule.resourceIDs.contains(rid) {
                problems.append("exception \(e.id): resource \(rid) is not one of this schedule's")
            }
        }
        guard problems.isEmpty else {
            throw FHIRError(
                .unprocessableContent, code: "business-rule", problems.joined(separator: "; "),
                expression: ["Schedule.extension"])
        }
        let booking = services.booking
        try await booking.saveSchedule(schedule)
        for r in rules { try await booking.saveRule(r) }
        for e in exceptions { try await booking.saveException(e) }
        let keepRules = Set(rules.map(\.id))
        for old in try await services.store.rules(scheduleID: id) where !keepRules.contains(old.id) {
            try await booking.deleteRule(id: old.id)
        }
        let keepExceptions = Set(exceptions.map(\.id))
        for old in try await services.store.exceptions() where !keepExceptions.contains(old.id) {
            if case .schedule(id) = old.scope { try await booking.deleteException(id: old.id) }
        }
        return services.responses.written(
            try await resource(schedule).element, status: .ok, negotiation: negotiation, location: nil, request: request
        )
    }

    /// The Schedule with its availability rules and exceptions as extensions.
    func resource(_ schedule: Schedule) async throws -> ScheduleResource {
        var resources: [String: BookableResource] = [:]
        for id in schedule.resourceIDs { resources[id] = try await services.store.resource(id: id) }
        var r = ScheduleMapping.resource(schedule, resources: resources)
        let rules = try await services.store.rules(scheduleID: schedule.id)
        let exceptions = try await services.store.exceptions().filter { e in
            switch e.scope {
            case .schedule(let id): id == schedule.id
            case .resource(let id): schedule.resourceIDs.contains(id)
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
            for p in search.values(name) {
                guard p.values.contains(where: { v in codes.contains { $0.matches(Self.code(v)) } }) else {
                    return false
                }
            }
        }
        return true
    }

    static func code(_ v: String) -> Code {
        let parts = v.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2
            ? Code(system: parts[0].isEmpty ? nil : String(parts[0]), code: String(parts[1])) : Code(code: v)
    }
}
