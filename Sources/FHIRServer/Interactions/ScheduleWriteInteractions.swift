import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Schedule create, update (and update-as-create) and delete, through the booking domain. The body's actors become
/// (or must already be) bookable resources; the `schedule-time-zone` and `booking-mode` extensions set the zone and
/// the mode; `availability-rule` / `availability-exception` extensions replace the availability (appointments left
/// outside it are flagged, never deleted), all in one store transaction. Every write is a version of the Schedule's
/// written form (saved right after), so read, vread and history give back what was written, with the domain's
/// current state.
struct ScheduleWriteInteractions {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }
    var forms: WrittenForms { WrittenForms(services: services) }
    var reads: ScheduleInteractions { ScheduleInteractions(services: services, base: base) }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        for i in ["create", "update", "delete"] { catalog.add("Schedule", interaction: i) }
        catalog.set("Schedule", "updateCreate", "true")
        router.post("/fhir/Schedule") { request, _ in
            let negotiation = try Negotiation.response(for: request)
            let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
            let (body, version) = try await write(element, id: UUID().uuidString.lowercased(), existing: nil)
            return services.responses.written(
                body, status: .created, negotiation: negotiation,
                location: "\(baseURL)/Schedule/\(body.resourceID ?? "")/_history/\(version)", request: request)
        }
        router.put("/fhir/Schedule/:id") { request, context in
            try await update(request, id: try context.parameters.require("id"))
        }
        router.delete("/fhir/Schedule/:id") { request, context in
            try await delete(request, id: try context.parameters.require("id"))
        }
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        guard element.type == "Schedule", element.resourceID == id else {
            throw FHIRError(.badRequest, code: "invalid", "the body must be the Schedule with the URL's id")
        }
        let existing = try await services.store.schedule(id: id)
        let document = try await services.documents.current(type: WrittenForms.documentType("Schedule"), id: id)
        try await Preconditions.checkIfMatch(request) { document.flatMap { $0.deleted ? nil : $0.version } }
        let live = existing != nil && document?.deleted != true
        let (body, version) = try await write(element, id: id, existing: live ? existing : nil)
        return services.responses.written(
            body, status: live ? .ok : .created, negotiation: negotiation,
            location: live ? nil : "\(baseURL)/Schedule/\(id)/_history/\(version)", request: request)
    }

    /// A delete takes the schedule out of service (inactive: nothing can be booked on it) and answers 410 to
    /// reads; it is refused (409) while the schedule holds appointments that have not ended.
    func delete(_ request: Request, id: String) async throws -> Response {
        _ = try Negotiation.response(for: request)
        guard var schedule = try await services.store.schedule(id: id) else { return Response(status: .noContent) }
        let document = try await services.documents.current(type: WrittenForms.documentType("Schedule"), id: id)
        if document?.deleted == true { return Response(status: .noContent) }
        try await Preconditions.checkIfMatch(request) { document?.version }
        let lastState = try await reads.resource(schedule).element
        // Out of service first, then the check: a booking committed before is found by the check; one in flight
        // fails its availability-version check at commit (saving the schedule moves the version) and, retried,
        // finds the schedule inactive. So no booking lands on a deleted schedule. (An inactive one takes none.)
        let wasActive = schedule.active
        if wasActive {
            schedule.active = false
            try await services.booking.saveSchedule(schedule)
        }
        let live = try await services.store.appointments(
            AppointmentQuery(
                scheduleIDs: [id], statuses: Booking.AppointmentStatus.allCases.filter(\.holdsCapacity),
                from: services.booking.clock.now()))
        guard live.isEmpty else {
            // Back in service if it was (unless someone else changed it meanwhile).
            if wasActive, var current = try await services.store.schedule(id: id), !current.active {
                current.active = true
                try await services.booking.saveSchedule(current)
            }
            throw FHIRError(
                .conflict, code: "conflict",
                "Schedule/\(id) holds \(live.count) appointment(s) that have not ended: cancel or move them first")
        }
        if document == nil {
            // Written by the operator, never through FHIR: record its last state so the history shows it.
            try await forms.save(
                "Schedule", id: id, form: WrittenForm(written: lastState, mapped: lastState, domainVersion: 0))
        }
        try await forms.delete("Schedule", id: id)
        return Response(status: .noContent)
    }

    /// Writes the Schedule in `element` under `id` (a new one when `existing` is nil) and returns it as served
    /// with its new version.
    func write(_ element: Element, id: String, existing: Schedule?) async throws -> (Element, Int) {
        guard let incoming = ScheduleResource(element) else {
            throw FHIRError(.badRequest, code: "invalid", "the body is a \(element.type), not a Schedule")
        }
        if let validation = services.validation, validation.policy != .off { _ = try validation.check(element) }
        let zoneAndMode: (zone: String?, mode: BookingMode?)
        let sharing: AgendaSharing?
        do {
            zoneAndMode = try ScheduleMapping.zoneAndMode(element)
            sharing = try ScheduleMapping.sharing(element)
        } catch {
            throw FHIRError(.unprocessableContent, code: "invalid", error.message, expression: [error.expression])
        }
        let actors = try await actorResources(incoming, zone: zoneAndMode.zone ?? existing?.timeZone)
        let zone = zoneAndMode.zone ?? existing?.timeZone ?? actors.first?.timeZone ?? services.defaultTimeZone
        do {
            _ = try ZoneResolver(identifier: zone)
        } catch {
            throw FHIRError(
                .unprocessableContent, code: "value", "unknown IANA time zone '\(zone)'",
                expression: ["Schedule.extension('\(ProjectExtension.scheduleTimeZone)')"])
        }
        if let existing, existing.timeZone != zone {
            // Published slots and appointments are local times of the old zone: they would move.
            let published = try await services.store.rules(scheduleID: existing.id).contains {
                $0.publishedSlot == true
            }
            let live = try await services.store.appointments(
                AppointmentQuery(
                    scheduleIDs: [existing.id], statuses: Booking.AppointmentStatus.allCases.filter(\.holdsCapacity),
                    from: services.booking.clock.now()))
            if published || !live.isEmpty {
                throw FHIRError(
                    .unprocessableContent, code: "business-rule",
                    "the time zone cannot change while the schedule has published slots or appointments ahead",
                    expression: ["Schedule.extension('\(ProjectExtension.scheduleTimeZone)')"])
            }
        }
        if let existing, Set(existing.resourceIDs) != Set(actors.map(\.id)) {
            throw FHIRError(
                .unprocessableContent, code: "business-rule",
                "a schedule's actors cannot change (its appointments and availability are theirs): create another",
                expression: ["Schedule.actor"])
        }
        var schedule =
            existing
            ?? Schedule(id: id, resourceIDs: actors.map(\.id), mode: zoneAndMode.mode, timeZone: zone)
        schedule.mode = zoneAndMode.mode ?? existing?.mode
        schedule.timeZone = zone
        schedule.active = incoming.active ?? true
        schedule.comment = incoming.comment
        schedule.serviceTypes = incoming.serviceTypes.map {
            Code(system: $0.system, code: $0.code ?? "", display: $0.display)
        }
        schedule.specialties = incoming.specialties.map {
            Code(system: $0.system, code: $0.code ?? "", display: $0.display)
        }
        schedule.sharing = sharing
        let (rules, exceptions) = try availability(element, schedule: schedule)
        let taken = Set(try await services.store.rules(scheduleID: nil).filter { $0.scheduleID != id }.map(\.id))
            .union(
                try await services.store.exceptions().filter { e in
                    if case .schedule(let sid) = e.scope { return sid != id }
                    return !schedule.resourceIDs.contains { if case .resource($0) = e.scope { true } else { false } }
                }.map(\.id))
        if let clash = (rules.map(\.id) + exceptions.map(\.id)).first(where: taken.contains) {
            throw FHIRError(
                .unprocessableContent, code: "business-rule",
                "availability id '\(clash)' belongs to another schedule: give this schedule's rules their own ids",
                expression: ["Schedule.extension"])
        }
        for r in actors where try await services.store.resource(id: r.id) == nil {
            try await services.booking.saveResource(r)
        }
        // The schedule, its whole availability and its written form in one store transaction; appointments left
        // outside are flagged.
        let mapped = try await projected(schedule, rules: rules, exceptions: exceptions)
        let work = DocumentsInTransaction(
            documents: services.documents,
            writes: [
                forms.write("Schedule", id: id, form: WrittenForm(written: element, mapped: mapped, domainVersion: 0))
            ])
        let (attached, _) = try await services.booking.replaceAvailability(
            schedule, rules: rules, exceptions: exceptions, attached: work)
        guard let document = (attached as? [StoredDocument])?.first else {
            throw FHIRError(.internalServerError, code: "exception", "the Schedule's written form was not stored")
        }
        return (try forms.completed(mapped, document: document), document.version)
    }

    /// The Schedule as the gateway will serve it once `rules` and `exceptions` replace its availability (what
    /// `ScheduleInteractions.resource` reads back afterwards): the new rules and exceptions, and the resource-scoped
    /// exceptions of its actors that the write keeps, in the store's order (by id); published slots excluded.
    func projected(_ schedule: Schedule, rules: [AvailabilityRule], exceptions: [AvailabilityException])
        async throws -> Element
    {
        var resources: [String: BookableResource] = [:]
        for id in schedule.resourceIDs { resources[id] = try await services.store.resource(id: id) }
        var r = ScheduleMapping.resource(schedule, resources: resources)
        let replaced = Set(exceptions.map(\.id))
        var kept = exceptions
        for old in try await services.store.exceptions() where !replaced.contains(old.id) {
            if case .resource(let rid) = old.scope, schedule.resourceIDs.contains(rid) { kept.append(old) }
        }
        r.element.children += rules.filter { $0.publishedSlot != true }.sorted { $0.id < $1.id }
            .map(AvailabilityMapping.extensionElement)
        r.element.children += kept.filter { $0.publishedSlot != true }.sorted { $0.id < $1.id }
            .map(AvailabilityMapping.extensionElement)
        return r.element
    }

    /// The bookable resources the actors name: existing ones, or new ones of the actor's kind (named by the
    /// reference's display). Patients and related persons are not bookable.
    func actorResources(_ incoming: ScheduleResource, zone: String?) async throws -> [BookableResource] {
        var out: [BookableResource] = []
        for (i, actor) in incoming.actors.enumerated() {
            let path = "Schedule.actor[\(i)]"
            guard let ref = actor.reference, let (type, rid) = ReferenceMapping.typeAndID(ref) else {
                throw FHIRError(
                    .unprocessableContent, code: "required", "an actor needs a literal reference", expression: [path])
            }
            let kind: BookableResource.Kind
            switch type {
            case "Practitioner", "PractitionerRole": kind = .practitioner
            case "Location": kind = .location
            case "Device": kind = .device
            case "HealthcareService": kind = .healthcareService
            default:
                throw FHIRError(
                    .unprocessableContent, code: "business-rule",
                    "a \(type) is not bookable (Practitioner, PractitionerRole, Location, Device, HealthcareService)",
                    expression: [path])
            }
            if let existing = try await services.store.resource(id: rid) {
                guard existing.kind == kind || (type == "PractitionerRole" && existing.kind == .practitioner) else {
                    throw FHIRError(
                        .unprocessableContent, code: "business-rule",
                        "resource '\(rid)' is a \(existing.kind.rawValue), not a \(type)", expression: [path])
                }
                out.append(existing)
            } else {
                out.append(
                    BookableResource(
                        id: rid, kind: kind, name: actor.display ?? rid,
                        timeZone: zone ?? services.defaultTimeZone))
            }
        }
        guard !out.isEmpty else {
            throw FHIRError(
                .unprocessableContent, code: "required", "a schedule needs an actor", expression: ["Schedule.actor"])
        }
        return out
    }

    /// The availability rules and exceptions of the body's extensions, all checked before anything is written.
    func availability(_ element: Element, schedule: Schedule) throws -> ([AvailabilityRule], [AvailabilityException]) {
        var rules: [AvailabilityRule] = []
        var exceptions: [AvailabilityException] = []
        do {
            for (i, e) in element.extensions(url: ProjectExtension.availabilityRule).enumerated() {
                rules.append(
                    try AvailabilityMapping.rule(from: e, scheduleID: schedule.id, path: "Schedule.extension[\(i)]"))
            }
            for (i, e) in element.extensions(url: ProjectExtension.availabilityException).enumerated() {
                exceptions.append(
                    try AvailabilityMapping.exception(
                        from: e, scheduleID: schedule.id, template: rules.first, path: "Schedule.extension[\(i)]"))
            }
        } catch {
            throw FHIRError(.unprocessableContent, code: "invalid", error.message, expression: [error.expression])
        }
        var problems = rules.flatMap { r in r.problems.map { "rule \(r.id): \($0)" } }
        problems += exceptions.flatMap { e in e.problems.map { "exception \(e.id): \($0)" } }
        // Published slots are the Slots' own, written and removed as Slot resources.
        for id in rules.map(\.id) + exceptions.map(\.id) where id.hasPrefix(SlotWriteInteractions.rulePrefix) {
            problems.append(
                "'\(id)': ids starting with '\(SlotWriteInteractions.rulePrefix)' belong to published Slots")
        }
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
        return (rules, exceptions)
    }
}
