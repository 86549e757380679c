import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Slot read and search: virtual slots expanded from the rules (published ones included, with their written
/// forms). Writes: ``SlotWriteInteractions``.
struct SlotInteractions {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }

    static let searchParameters: [RouteCatalog.SearchParameter] =
        [
            .init(name: "schedule", type: "reference", documentation: "Schedule/{id} or {id}"),
            .init(
                name: "start", type: "date",
                documentation:
                    "prefixes eq ne gt lt ge le sa eb ap; default window: now to 7 days ahead, at most 92 days"),
            .init(name: "end", type: "date", documentation: "as start, on the slot end"),
            .init(name: "status", type: "token", documentation: "free | busy | busy-unavailable; :not"),
            .init(name: "identifier", type: "token", documentation: "[system|]value of published slots; :not"),
            .init(
                name: "service-category", type: "token", documentation: "[system|]code of published slots; :text; :not"),
            .init(name: "_id", type: "token", documentation: "slot id"),
        ] + CodeToken.searchParameters(["service-type", "specialty", "appointment-type"])

    var forms: WrittenForms { WrittenForms(services: services) }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.add("Slot", interaction: "read")
        catalog.add("Slot", interaction: "search-type")
        catalog.add("Slot", searchParameters: Self.searchParameters)
        router.get("/fhir/Slot/:id") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            let formType = WrittenForms.documentType("Slot")
            guard let slotID = SlotID(id), let (slot, zone) = try await services.booking.slotInZone(slotID) else {
                if try await services.documents.current(type: formType, id: id)?.deleted == true {
                    throw FHIRError(.gone, code: "deleted", "Slot/\(id) was deleted")
                }
                throw FHIRError(.notFound, code: "not-found", "Slot/\(id) not found")
            }
            // Only published slots have a written form.
            let document =
                slot.ruleID.hasPrefix(SlotWriteInteractions.rulePrefix)
                ? try await services.documents.current(type: formType, id: id) : nil
            let served = try forms.completed(SlotMapping.resource(slot, zone: zone).element, document: document)
            return services.responses.read(served, request: request, negotiation: negotiation)
        }
        router.get("/fhir/Slot") { request, _ in try await search(request, query: request.uri.query) }
        router.post("/fhir/Slot/_search") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return try await search(request, query: String(buffer: body))
        }
    }

    func zone(for scheduleID: String) async throws -> ZoneResolver {
        let tz = try await services.store.schedule(id: scheduleID)?.timeZone ?? services.defaultTimeZone
        return try ZoneResolver(identifier: tz)
    }

    func search(_ request: Request, query: String?) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let search = try SearchRequest(query: query, strict: request.prefersStrictHandling)
        let warnings = try search.unsupported(
            Set(Self.searchParameters.map(\.name)),
            perParameter: [
                "status": ["not"], "identifier": WrittenForms.referenceModifiers,
                "service-category": WrittenForms.tokenModifiers,
                "service-type": CodeToken.modifiers, "appointment-type": CodeToken.modifiers,
                "specialty": CodeToken.modifiers,
            ])
        var written: [(ids: Set<String>, negated: Bool)] = []
        for name in ["identifier", "service-category"] {
            for p in search.values(name) {
                written.append((try await forms.ids("Slot", parameter: p), WrittenForms.excludes(p)))
            }
        }
        let result = try ResultParameters(search, sortable: ["start", "end", "_id"])
        let now = services.booking.clock.now()
        let startFilters = try search.values("start").flatMap(\.values).map { v throws(FHIRError) in
            try DateSearchValue(v)
        }
        var lowers: [Date] = []
        var uppers: [Date] = []
        for d in startFilters {
            switch d.prefix {
            case "ge", "gt", "sa": lowers.append(d.lower)
            case "le", "lt", "eb": uppers.append(d.upper)
            case "eq", "ap":
                lowers.append(d.lower)
                uppers.append(d.upper)
            default: break
            }
        }
        let from = lowers.max() ?? now
        let to = uppers.min() ?? from.addingTimeInterval(7 * 86400)
        guard to.timeIntervalSince(from) <= 92 * 86400 else {
            throw FHIRError(.badRequest, code: "too-costly", "a slot search covers at most 92 days: narrow 'start'")
        }
        let endFilters = try search.values("end").flatMap { $0.values }.map { v throws(FHIRError) in
            try DateSearchValue(v)
        }
        let scheduleIDs = search.values("schedule").flatMap(\.values).map {
            $0.split(separator: "/").last.map(String.init) ?? $0
        }
        let ids = search.values("_id").flatMap(\.values)
        var slotQuery = SlotQuery(
            from: from, to: to, scheduleIDs: scheduleIDs.isEmpty ? nil : scheduleIDs, onlyFree: false)
        // One plain code narrows the expansion; anything else (several values, `|code`, `system|`, `:not`,
        // `:text`) is matched on the expanded slots below.
        slotQuery.serviceType = token(search, "service-type")
        slotQuery.specialty = token(search, "specialty")
        slotQuery.appointmentType = token(search, "appointment-type")
        var slots = try await services.booking.findSlots(slotQuery)
        // A slot's specialties are its rule's and its schedule's.
        let scheduleSpecialties =
            search.values("specialty").isEmpty
            ? [:]
            : Dictionary(uniqueKeysWithValues: try await services.store.schedules().map { ($0.id, $0.specialties) })
        slots = slots.filter { s in
            search.values("status").allSatisfy { ($0.modifier == "not") != $0.values.contains(s.status.rawValue) }
                && startFilters.allSatisfy { $0.matches(start: s.start, end: s.start.addingTimeInterval(1)) }
                && endFilters.allSatisfy { $0.matches(start: s.end, end: s.end.addingTimeInterval(1)) }
                && (ids.isEmpty || ids.contains(s.id.description))
                && written.allSatisfy { $0.ids.contains(s.id.description) != $0.negated }
                && search.values("service-type").allSatisfy { CodeToken.matches(s.serviceTypes, $0) }
                && search.values("specialty").allSatisfy {
                    CodeToken.matches(s.specialties + (scheduleSpecialties[s.scheduleID] ?? []), $0)
                }
                && search.values("appointment-type").allSatisfy {
                    // A slot that names no appointment type takes any (as the expansion filter does).
                    s.appointmentTypes.isEmpty && $0.modifier == nil || CodeToken.matches(s.appointmentTypes, $0)
                }
        }
        let published = Set(
            slots.filter { $0.ruleID.hasPrefix(SlotWriteInteractions.rulePrefix) }.map(\.id.description))
        var zones: [String: ZoneResolver] = [:]
        var matches: [LazyMatch] = []
        for s in slots {
            if zones[s.scheduleID] == nil { zones[s.scheduleID] = try await zone(for: s.scheduleID) }
            let zone = zones[s.scheduleID]!
            // Keys from the domain slot; the resource is made only for the page.
            matches.append(
                LazyMatch(
                    id: s.id.description,
                    key: { key in
                        switch key {
                        case "start": ResultParameters.sortableInstant(s.start.timeIntervalSince1970)
                        case "end": ResultParameters.sortableInstant(s.end.timeIntervalSince1970)
                        case "status": s.status.rawValue
                        default: ""
                        }
                    }, make: { SlotMapping.resource(s, zone: zone).element }))
        }
        let includes = try IncludeRequest(search, searchedType: "Slot")
        let bundle = try await SearchsetBuilder(
            baseURL: baseURL, type: "Slot", request: request, query: query, defaultSort: ["start"]
        ).bundle(
            lazy: matches, count: search.count, offset: try SearchsetBuilder.offset(request),
            warnings: warnings + includes.warnings, result: result, registry: services.responses.codec.registry,
            render: { page in
                // Only published slots have written forms: no lookup when the page has none.
                page.contains { published.contains($0.resourceID ?? "") } ? try await forms.render(page) : page
            },
            include: { try await IncludeResolver(services: services, base: base).resolve(includes, page: $0) })
        return services.responses.resource(bundle.element, negotiation: negotiation)
    }

    func token(_ search: SearchRequest, _ name: String) -> Code? {
        let ps = search.values(name)
        guard ps.count == 1, let p = ps.first, p.modifier == nil, p.values.count == 1, let v = p.values.first,
            !v.hasPrefix("|"), !v.hasSuffix("|")
        else { return nil }
        let parts = v.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2
            ? Code(system: parts[0].isEmpty ? nil : String(parts[0]), code: String(parts[1])) : Code(code: v)
    }
}
