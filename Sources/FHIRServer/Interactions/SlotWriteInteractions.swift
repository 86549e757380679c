import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Slots a client publishes (a CUP or an EHR that manages its own agenda): create, update and delete. A published
/// Slot becomes a one-off availability rule of its schedule opening exactly that slot (capacity from the
/// `slot-capacity` extension, 1 by default), so it is found, held and booked like any other; a busy or
/// busy-unavailable one is also closed. Its id is the virtual slot id (`schedule.yyyyMMddTHHmmZ`). Slots that the
/// schedule's rules produce are changed through the Schedule, not here.
struct SlotWriteInteractions {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }
    var forms: WrittenForms { WrittenForms(services: services) }

    static let rulePrefix = "slot:"
    static func ruleID(_ slot: SlotID) -> String { "\(rulePrefix)\(slot)" }
    static func closureID(_ slot: SlotID) -> String { "slot:\(slot):closed" }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        for i in ["create", "update", "delete", "vread", "history-instance"] { catalog.add("Slot", interaction: i) }
        catalog.set("Slot", "updateCreate", "true")
        router.post("/fhir/Slot") { request, _ in
            let negotiation = try Negotiation.response(for: request)
            let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
            let (body, version, _) = try await write(element, id: nil)
            return services.responses.written(
                body, status: .created, negotiation: negotiation,
                location: "\(baseURL)/Slot/\(body.resourceID ?? "")/_history/\(version)", request: request)
        }
        router.put("/fhir/Slot/:id") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
            guard element.type == "Slot", element.resourceID == id else {
                throw FHIRError(.badRequest, code: "invalid", "the body must be the Slot with the URL's id")
            }
            try await Preconditions.checkIfMatch(request) { try await forms.current("Slot", id: id)?.document.version }
            let (body, version, created) = try await write(element, id: id)
            return services.responses.written(
                body, status: created ? .created : .ok, negotiation: negotiation,
                location: created ? "\(baseURL)/Slot/\(id)/_history/\(version)" : nil, request: request)
        }
        router.delete("/fhir/Slot/:id") { request, context in
            try await delete(request, id: try context.parameters.require("id"))
        }
        router.get("/fhir/Slot/:id/_history/:vid") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let version = try await forms.version(
                "Slot", id: try context.parameters.require("id"), vid: try context.parameters.require("vid"))
            return services.responses.resource(version, negotiation: negotiation)
        }
        router.get("/fhir/Slot/:id/_history") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let id = try context.parameters.require("id")
            let bundle = try await forms.historyBundle("Slot", id: id, baseURL: baseURL)
            guard !bundle.entries.isEmpty else {
                throw FHIRError(
                    .notFound, code: "not-found", "Slot/\(id) has no history (only published slots are versioned)")
            }
            return services.responses.resource(bundle.element, negotiation: negotiation)
        }
    }

    /// Publishes the Slot in `element`; `id` (PUT) must be the id its schedule and start give.
    func write(_ element: Element, id: String?) async throws -> (body: Element, version: Int, created: Bool) {
        guard element.type == "Slot" else {
            throw FHIRError(.badRequest, code: "invalid", "the body is a \(element.type), not a Slot")
        }
        if let validation = services.validation, validation.policy != .off { _ = try validation.check(element) }
        let incoming = SlotResource(unchecked: element)
        guard let ref = incoming.schedule?.reference, let (type, scheduleID) = ReferenceMapping.typeAndID(ref),
            type == "Schedule"
        else {
            throw FHIRError(
                .unprocessableContent, code: "required", "a slot names its Schedule", expression: ["Slot.schedule"])
        }
        guard let schedule = try await services.store.schedule(id: scheduleID) else {
            throw FHIRError(
                .unprocessableContent, code: "not-found", "Schedule/\(scheduleID) does not exist",
                expression: ["Slot.schedule"])
        }
        guard schedule.effectiveMode(default: services.booking.configuration.defaultMode) == .full else {
            throw FHIRError(
                .unprocessableContent, code: "business-rule",
                "Schedule/\(scheduleID) is booked without slots (appointments mode)", expression: ["Slot.schedule"])
        }
        guard let s = incoming.start, let e = incoming.end, s.precision >= .second, e.precision >= .second else {
            throw FHIRError(
                .unprocessableContent, code: "required", "start and end are instants", expression: ["Slot.start"])
        }
        let start = Date(timeIntervalSince1970: s.epochSeconds)
        let end = Date(timeIntervalSince1970: e.epochSeconds)
        let zone = try ZoneResolver(identifier: schedule.timeZone)
        let (day, from) = zone.local(start)
        let (endDay, to) = zone.local(end)
        let minutes = Int(end.timeIntervalSince(start) / 60)
        guard minutes > 0, start.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0,
            end.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0
        else {
            throw FHIRError(
                .unprocessableContent, code: "value", "a slot ends after it starts, on whole minutes",
                expression: ["Slot.end"])
        }
        guard endDay == day || (to == 0 && endDay.daysSinceEpoch == day.daysSinceEpoch + 1) else {
            throw FHIRError(
                .unprocessableContent, code: "business-rule",
                "a published slot ends on the local day it starts (\(schedule.timeZone))", expression: ["Slot.end"])
        }
        // Local wall-clock length must equal the elapsed length: a slot across a daylight-saving change cannot be
        // one opening of local times.
        guard (endDay == day ? to : 1440) - from == minutes else {
            throw FHIRError(
                .unprocessableContent, code: "business-rule",
                "the slot crosses a daylight-saving change in \(schedule.timeZone): publish it in two parts",
                expression: ["Slot.end"])
        }
        guard schedule.active else {
            throw FHIRError(
                .unprocessableContent, code: "business-rule", "Schedule/\(scheduleID) is out of service",
                expression: ["Slot.schedule"])
        }
        let slotID = SlotID(scheduleID: scheduleID, start: start)
        if let id, id != slotID.description {
            throw FHIRError(
                .unprocessableContent, code: "business-rule",
                "a slot's id is its schedule and start: \(slotID) (a slot cannot move; delete it and publish another)",
                expression: ["Slot.id"])
        }
        let existingRule = try await services.store.rules(scheduleID: scheduleID).first { $0.id == Self.ruleID(slotID) }
        if existingRule == nil, try await services.booking.slot(slotID) != nil {
            throw FHIRError(
                .conflict, code: "duplicate",
                "Slot/\(slotID) already exists from the schedule's rules: change it through the Schedule")
        }
        if id == nil, existingRule != nil {
            throw FHIRError(.conflict, code: "duplicate", "Slot/\(slotID) is already published: update it with PUT")
        }
        let capacityText = element.extensions(url: ProjectExtension.slotCapacity).first?.child("value")?.value
        guard let capacity = capacityText.map({ Int($0) }) ?? 1, capacity >= 1 else {
            throw FHIRError(
                .unprocessableContent, code: "value", "slot-capacity is a positive number of places",
                expression: ["Slot.extension('\(ProjectExtension.slotCapacity)')"])
        }
        let codes: ([Coding]) -> [Code] = {
            $0.map { Code(system: $0.system, code: $0.code ?? "", display: $0.display) }
        }
        var rule = AvailabilityRule(
            id: Self.ruleID(slotID), scheduleID: scheduleID, recurrence: .daily(interval: 1),
            openings: [OpeningHours(LocalTime(from / 60, from % 60), LocalTime(to == 0 ? 24 : to / 60, to % 60))],
            validFrom: day, validUntil: day, slotLength: .fixed(minutes: minutes), capacity: capacity,
            serviceTypes: codes(incoming.serviceTypes), specialties: codes(incoming.specialties),
            appointmentTypes: codes(incoming.appointmentType))
        rule.publishedSlot = true
        let booking = services.booking
        // The opening and its closure (a busy slot) in one store transaction: a busy slot is never bookable.
        var change = AvailabilityChange(schedule: nil)
        change.saveRules = [rule]
        if (incoming.status?.rawValue ?? "free") != "free" {
            var closure = AvailabilityException(
                id: Self.closureID(slotID), scope: .schedule(scheduleID), effect: .closure(.other),
                span: .period(start: start, end: end), comment: incoming.comment)
            closure.publishedSlot = true
            change.saveExceptions = [(closure, [scheduleID])]
        } else {
            change.deleteExceptions = [(Self.closureID(slotID), [scheduleID])]
        }
        try await booking.apply(change)
        guard let (slot, slotZone) = try await booking.slotInZone(slotID) else {
            throw FHIRError(.internalServerError, code: "exception", "the published slot did not expand")
        }
        let mapped = SlotMapping.resource(slot, zone: slotZone).element
        let document = try await forms.save(
            "Slot", id: slotID.description, form: WrittenForm(written: element, mapped: mapped, domainVersion: 0))
        return (try forms.completed(mapped, document: document), document.version, existingRule == nil)
    }

    /// Removes a published slot (refused while places are taken); slots of the schedule's rules are closed
    /// through the Schedule instead (405).
    func delete(_ request: Request, id: String) async throws -> Response {
        _ = try Negotiation.response(for: request)
        guard let slotID = SlotID(id) else { return Response(status: .noContent) }
        guard
            try await services.store.rules(scheduleID: slotID.scheduleID).contains(where: {
                $0.id == Self.ruleID(slotID)
            })
        else {
            if try await services.booking.slot(slotID) != nil {
                throw FHIRError(
                    .methodNotAllowed, code: "not-supported",
                    "Slot/\(id) comes from the schedule's rules: close it with an availability exception on the Schedule"
                )
            }
            return Response(status: .noContent)
        }
        try await Preconditions.checkIfMatch(request) { try await forms.current("Slot", id: id)?.document.version }
        // Closed first, then the check (as a Schedule delete): a booking committed before is found; one in flight
        // fails its availability-version check and, retried, finds the slot closed.
        let closureID = Self.closureID(slotID)
        let wasClosed = try await services.store.exceptions().contains { $0.id == closureID }
        if !wasClosed, let slot = try await services.booking.slot(slotID) {
            var closure = AvailabilityException(
                id: closureID, scope: .schedule(slotID.scheduleID), effect: .closure(.other),
                span: .period(start: slot.start, end: slot.end))
            closure.publishedSlot = true
            var close = AvailabilityChange(schedule: nil)
            close.saveExceptions = [(closure, [slotID.scheduleID])]
            try await services.booking.apply(close)
        }
        if let slot = try await services.booking.slot(slotID), slot.booked > 0 {
            if !wasClosed {
                var reopen = AvailabilityChange(schedule: nil)
                reopen.deleteExceptions = [(closureID, [slotID.scheduleID])]
                try await services.booking.apply(reopen)
            }
            throw FHIRError(
                .conflict, code: "conflict", "Slot/\(id) has \(slot.booked) place(s) taken: cancel or move them first")
        }
        var remove = AvailabilityChange(schedule: nil)
        remove.deleteRules = [Self.ruleID(slotID)]
        remove.deleteExceptions = [(closureID, [slotID.scheduleID])]
        try await services.booking.apply(remove)
        try await forms.delete("Slot", id: id)
        return Response(status: .noContent)
    }
}
