import Booking
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// Appointment create, update, patch and delete. Writes go through the booking domain: a booked or pending
/// Appointment with slots books them (409 when full); one without slots needs an appointments-mode schedule of a
/// participant, or, when none of its participants is a resource this gateway schedules, is recorded without
/// capacity. An update changes the status (cancelled and noshow free capacity), participants' answers, the slots
/// (a reschedule) and the descriptive fields; a delete frees the capacity and leaves the history. What the domain
/// does not hold is kept as the client wrote it (``WrittenForm``).
struct AppointmentWriteInteractions {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }

    var forms: WrittenForms { WrittenForms(services: services) }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        for i in ["create", "update", "patch", "delete"] { catalog.add("Appointment", interaction: i) }
        catalog.set("Appointment", "updateCreate", "true")
        catalog.set("Appointment", "conditionalCreate", "true")
        catalog.set("Appointment", "conditionalUpdate", "true")
        catalog.set("Appointment", "conditionalDelete", "multiple")
        router.put("/fhir/Appointment") { request, _ in try await conditionalUpdate(request) }
        router.delete("/fhir/Appointment") { request, _ in try await conditionalDelete(request) }
        router.post("/fhir/Appointment") { request, _ in try await create(request) }
        router.put("/fhir/Appointment/:id") { request, context in
            let negotiation = try Negotiation.response(for: request)
            let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
            return try await update(
                request, id: try context.parameters.require("id"), element: element, negotiation: negotiation)
        }
        router.patch("/fhir/Appointment/:id") { request, context in
            try await patch(request, id: try context.parameters.require("id"))
        }
        router.delete("/fhir/Appointment/:id") { request, context in
            try await delete(request, id: try context.parameters.require("id"))
        }
    }

    func create(_ request: Request) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        if let condition = request.headers[.init("If-None-Exist")!] {
            let existing = try await conditionMatches(condition)
            if existing.count > 1 {
                throw FHIRError(
                    .preconditionFailed, code: "multiple-matches",
                    "If-None-Exist matches \(existing.count) appointments")
            }
            if let a = existing.first {
                return services.responses.resource(
                    try await forms.render(AppointmentMapping.resource(a).element), status: .ok,
                    negotiation: negotiation)
            }
        }
        let (appointment, created, body) = try await create(element)
        return services.responses.written(
            body, status: created ? .created : .ok, negotiation: negotiation,
            location: "\(baseURL)/Appointment/\(appointment.id)/_history/\(appointment.version)", request: request)
    }

    /// Books (or records) the Appointment in `element` and keeps its written form; `created` is false when an
    /// idempotent repeat found the existing appointment. Returns the resource as served.
    /// - Parameter id: the client's id (update-as-create); nil for a server-assigned one.
    func create(_ element: Element, id: String? = nil) async throws -> (
        appointment: Appointment, created: Bool, body: Element
    ) {
        let booking = try await bookingRequest(element, id: id)
        // The booking and its written form in one store transaction.
        let result = try await services.booking.commit(
            preparing: { [.book(try await services.booking.prepareBooking(booking))] },
            attached: AppointmentDocuments(
                documents: services.documents, writes: [], written: [element], updates: [false], forms: forms))
        let (appointment, created) = result.results[0]
        if let id, appointment.id != id {
            throw FHIRError(
                .conflict, code: "duplicate",
                "the identifier or request id belongs to Appointment/\(appointment.id), not Appointment/\(id)")
        }
        let mapped = AppointmentMapping.resource(appointment).element
        guard created else { return (appointment, false, try await forms.render(mapped)) }
        let form = WrittenForm(written: element, mapped: mapped, domainVersion: appointment.version)
        return (appointment, true, form.merged(with: mapped))
    }

    /// The appointments a condition (If-None-Exist, conditional update or delete) selects: every parameter must be
    /// one the search applies, so that a condition never widens silently.
    func conditionMatches(_ query: String?) async throws -> [Appointment] {
        let search = try SearchRequest(query: query, strict: true)
        guard !search.parameters.isEmpty else {
            throw FHIRError(.badRequest, code: "invalid", "a condition needs search parameters")
        }
        if let p = search.parameters.first(where: { ResultParameters.names.contains($0.name) }) {
            throw FHIRError(.badRequest, code: "invalid", "'\(p.name)' is not a condition")
        }
        _ = try AppointmentReadInteractions.warnings(search)
        return try await AppointmentReadInteractions(services: services, base: base).matches(search)
    }

    /// `PUT /fhir/Appointment?condition`: none matches → a create; one → its update; several → 412.
    func conditionalUpdate(_ request: Request) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        let found = try await conditionMatches(request.uri.query)
        if found.count > 1 {
            throw FHIRError(
                .preconditionFailed, code: "multiple-matches", "the condition matches \(found.count) appointments")
        }
        guard let target = found.first else {
            let (appointment, created, body) = try await create(element, id: element.resourceID)
            return services.responses.written(
                body, status: created ? .created : .ok, negotiation: negotiation,
                location: "\(baseURL)/Appointment/\(appointment.id)/_history/\(appointment.version)", request: request)
        }
        if let id = element.resourceID, id != target.id {
            throw FHIRError(
                .badRequest, code: "invalid", "the body's id is not the id of the appointment the condition matches")
        }
        var body = element
        body.setPrimitive("id", type: "id", target.id)
        return try await update(request, id: target.id, element: body, negotiation: negotiation)
    }

    /// `DELETE /fhir/Appointment?condition`: every match is deleted (at most 100, else 412).
    func conditionalDelete(_ request: Request) async throws -> Response {
        _ = try Negotiation.response(for: request)
        let found = try await conditionMatches(request.uri.query)
        if found.count > DirectoryInteractions.maxConditionalDeletes {
            throw FHIRError(
                .preconditionFailed, code: "multiple-matches",
                "the condition matches \(found.count) appointments (at most \(DirectoryInteractions.maxConditionalDeletes) are deleted at once)"
            )
        }
        // All of them or none: one store transaction.
        try await delete(found.map { ($0.id, nil) })
        return Response(status: .noContent)
    }

    /// The booking an incoming Appointment asks for, validated (write policy) and with its schedules resolved.
    func bookingRequest(_ element: Element, id: String?) async throws -> BookingRequest {
        guard let resource = AppointmentResource(element) else {
            throw FHIRError(.badRequest, code: "invalid", "the body is a \(element.type), not an Appointment")
        }
        var booking = try AppointmentMapping.bookingRequest(resource)
        booking.appointmentID = id
        try await validate(element, slotIDs: booking.slotIDs)
        // Without slots, the interval is booked on the participants' appointments-mode schedules (or recorded when
        // none of them is scheduled here); a proposal without a time has no interval to book yet.
        let timed = booking.status.holdsCapacity || (booking.start != nil && booking.end != nil)
        if booking.slotIDs.isEmpty && timed {
            booking.scheduleIDs = try await appointmentSchedules(for: booking.participants)
            booking.unscheduled = booking.scheduleIDs.isEmpty
        }
        return booking
    }

    /// Applies the write validation policy. A slot-based booking may leave `start` and `end` to the server (they
    /// are the slots'); they are filled in from the slots first, so such a booking conforms (app-3).
    func validate(_ element: Element, slotIDs: [SlotID]) async throws {
        guard let validation = services.validation, validation.policy != .off else { return }
        var completed = element
        if !slotIDs.isEmpty, element.child("start") == nil || element.child("end") == nil {
            var slots: [Slot] = []
            for id in slotIDs { if let s = try await services.booking.slot(id) { slots.append(s) } }
            if let start = slots.map(\.start).min(), let end = slots.map(\.end).max() {
                completed.setPrimitive("start", type: "instant", AppointmentMapping.instantText(start))
                completed.setPrimitive("end", type: "instant", AppointmentMapping.instantText(end))
            }
        }
        _ = try validation.check(completed)
    }

    /// Appointments-mode schedules of the participants' resources; none (an unscheduled record) when no
    /// participant is a resource this gateway schedules.
    func appointmentSchedules(for participants: [Participant]) async throws -> [String] {
        let actorIDs = Set(participants.filter { $0.actor.kind != .patient }.map(\.actor.id))
        let all = try await services.store.schedules()
        let schedules = all.filter {
            $0.effectiveMode(default: services.booking.configuration.defaultMode) == .appointments
                && !actorIDs.isDisjoint(with: $0.resourceIDs)
        }
        guard !actorIDs.isEmpty else {
            throw FHIRError(
                .unprocessableContent, code: "required",
                "without slots, an appointment needs a participant that is not the patient (practitioner, location, …)",
                expression: ["Appointment.participant"])
        }
        var scheduled = all.contains { !actorIDs.isDisjoint(with: $0.resourceIDs) }
        for id in actorIDs where !scheduled { scheduled = try await services.store.resource(id: id) != nil }
        if !scheduled { return [] }
        guard !schedules.isEmpty else {
            throw FHIRError(
                .unprocessableContent, code: "required",
                "without slots, a participant must be a resource with an appointments-mode schedule",
                expression: ["Appointment.slot"])
        }
        return schedules.map(\.id)
    }

    func update(_ request: Request, id: String, element: Element, negotiation: Negotiation) async throws -> Response {
        guard let incoming = AppointmentResource(element) else {
            throw FHIRError(.badRequest, code: "invalid", "the body is a \(element.type), not an Appointment")
        }
        guard incoming.id == id else {
            throw FHIRError(
                .badRequest, code: "invalid", "the body's id must equal the URL's id", expression: ["Appointment.id"])
        }
        guard var current = try await services.store.appointment(id: id), current.deletedAt == nil else {
            // Update as create: the client chose the id (an EHR keeping its own ids).
            if request.headers[.ifMatch] != nil {
                throw FHIRError(.preconditionFailed, code: "conflict", "If-Match on an appointment that does not exist")
            }
            let (appointment, created, body) = try await create(element, id: id)
            return services.responses.written(
                body, status: created ? .created : .ok, negotiation: negotiation,
                location: "\(baseURL)/Appointment/\(appointment.id)/_history/\(appointment.version)", request: request)
        }
        try await Preconditions.checkIfMatch(request) { current.version }
        let before0 = current.version
        let wanted = try AppointmentMapping.bookingRequest(incoming.withStatusForMapping())
        try await validate(element, slotIDs: wanted.slotIDs.isEmpty ? current.slotIDs : wanted.slotIDs)
        let answers = wanted.participants.contains { p in
            current.participants.contains { $0.actor == p.actor && $0.status != p.status }
        }
        if !answers {
            // One domain change and the written form in one store transaction, as one new version.
            let target = current
            let result = try await services.booking.commit(
                preparing: { [.update(try await prepareUpdate(incoming, wanted: wanted, current: target))] },
                attached: AppointmentDocuments(
                    documents: services.documents, writes: [], written: [element], updates: [true], forms: forms))
            let updated = result.results[0].appointment
            let mapped = AppointmentMapping.resource(updated).element
            return services.responses.written(
                WrittenForm(written: element, mapped: mapped, domainVersion: updated.version).merged(with: mapped),
                status: .ok, negotiation: negotiation, location: nil, request: request)
        }
        // Participants' answers too: they are recorded first, one by one (a version each; the answers may book a
        // proposal), then the rest, so that a cancellation with a decline records the decline before it ends.
        _ = try Self.mainChange(incoming, wanted: wanted, current: current)
        for p in wanted.participants {
            if let existing = current.participants.first(where: { $0.actor == p.actor }), existing.status != p.status {
                current = try await services.booking.setParticipantStatus(
                    appointmentID: id, actor: p.actor, status: p.status)
            }
        }
        switch try Self.mainChange(incoming, wanted: wanted, current: current) {
        case .status(let status, let reason):
            current = try await services.booking.changeStatus(
                appointmentID: id, to: status, reason: reason, expectedVersion: current.version,
                details: Self.details(of: wanted))
        case .reschedule(let slots):
            current = try await services.booking.reschedule(
                appointmentID: id, to: slots, expectedVersion: current.version, details: Self.details(of: wanted))
        case .move(let start, let end):
            current = try await services.booking.reschedule(
                appointmentID: id, start: start, end: end, expectedVersion: current.version,
                details: Self.details(of: wanted))
        case .none:
            break
        }
        // A FHIR update is one new version: the descriptive fields are amended on their own only when they
        // change, or when nothing else did (a change to what only the written form holds).
        let details = Self.details(of: wanted)
        var amended = current
        details(&amended)
        if amended != current || current.version == before0 {
            current = try await services.booking.amend(appointmentID: id, expectedVersion: current.version, details)
        }
        let mapped = AppointmentMapping.resource(current).element
        let form = WrittenForm(written: element, mapped: mapped, domainVersion: current.version)
        try await forms.save("Appointment", id: id, form: form)
        return services.responses.written(
            form.merged(with: mapped), status: .ok, negotiation: negotiation, location: nil, request: request)
    }

    /// The one domain change an update in a transaction Bundle makes (nothing written): a status change, a
    /// reschedule or the descriptive fields, each with the descriptive fields in the same version. Participants'
    /// answers go through AppointmentResponse (or an update on its own), not a transaction.
    func prepareUpdate(_ element: Element, current: Appointment) async throws -> UpdateCommand {
        guard let incoming = AppointmentResource(element) else {
            throw FHIRError(.badRequest, code: "invalid", "the body is a \(element.type), not an Appointment")
        }
        let wanted = try AppointmentMapping.bookingRequest(incoming.withStatusForMapping())
        try await validate(element, slotIDs: wanted.slotIDs.isEmpty ? current.slotIDs : wanted.slotIDs)
        return try await prepareUpdate(incoming, wanted: wanted, current: current)
    }

    /// ``prepareUpdate(_:current:)`` of a body already read and validated.
    func prepareUpdate(_ incoming: AppointmentResource, wanted: BookingRequest, current: Appointment) async throws
        -> UpdateCommand
    {
        for p in wanted.participants {
            if let existing = current.participants.first(where: { $0.actor == p.actor }), existing.status != p.status {
                throw FHIRError(
                    .badRequest, code: "not-supported",
                    "a participant's answer is not changed inside a transaction: use an AppointmentResponse",
                    expression: ["Appointment.participant"])
            }
        }
        let details = Self.details(of: wanted)
        switch try Self.mainChange(incoming, wanted: wanted, current: current) {
        case .status(let status, let reason):
            return try await services.booking.prepareStatusChange(
                appointmentID: current.id, to: status, reason: reason, expectedVersion: current.version,
                details: details)
        case .reschedule(let slots):
            return try await services.booking.prepareReschedule(
                appointmentID: current.id, to: slots, expectedVersion: current.version, details: details)
        case .move(let start, let end):
            return try await services.booking.prepareReschedule(
                appointmentID: current.id, start: start, end: end, expectedVersion: current.version, details: details)
        case .none:
            return try await services.booking.prepareAmend(
                appointmentID: current.id, expectedVersion: current.version, details)
        }
    }

    /// What an update asks of the lifecycle besides its descriptive fields.
    enum MainChange {
        case status(Booking.AppointmentStatus, reason: String?)
        case reschedule([SlotID])
        /// Another interval, for an appointment booked without slots.
        case move(start: Date, end: Date)
        case none
    }

    static func mainChange(_ incoming: AppointmentResource, wanted: BookingRequest, current: Appointment)
        throws(FHIRError) -> MainChange
    {
        // The participants are the booking's: one the domain does not have cannot be added by an update (leaving
        // one out keeps it, as with identifiers).
        let known = Set(current.participants.map(\.actor))
        if let added = wanted.participants.first(where: { !known.contains($0.actor) }) {
            throw FHIRError(
                .unprocessableContent, code: "business-rule",
                "\(ReferenceMapping.reference(for: added.actor)) is not a participant: participants are set when booking",
                expression: ["Appointment.participant"])
        }
        let slotsChange = !wanted.slotIDs.isEmpty && wanted.slotIDs != current.slotIDs
        // Without slots, a new start or end moves the interval (capacity and all); with slots, the slots give it.
        var move: (start: Date, end: Date)?
        if current.slotIDs.isEmpty && wanted.slotIDs.isEmpty && current.timeUnset != true,
            let start = wanted.start, let end = wanted.end, start != current.start || end != current.end
        {
            move = (start, end)
        }
        guard let status = incoming.status, status.rawValue != current.status.rawValue else {
            if slotsChange { return .reschedule(wanted.slotIDs) }
            return move.map { .move(start: $0.start, end: $0.end) } ?? .none
        }
        guard !slotsChange && move == nil else {
            throw FHIRError(
                .unprocessableContent, code: "business-rule", "change the status and the time in two updates",
                expression: ["Appointment.status"])
        }
        guard let domainStatus = Booking.AppointmentStatus(rawValue: status.rawValue) else {
            throw FHIRError(
                .unprocessableContent, code: "code-invalid", "unknown status", expression: ["Appointment.status"])
        }
        let reason =
            incoming.element.descendant("cancelationReason", "text")?.value
            ?? incoming.cancelationReason.first?.display ?? incoming.cancelationReason.first?.code
        return .status(domainStatus, reason: reason)
    }

    /// The descriptive fields of an update (those ``BookingService/amend(appointmentID:expectedVersion:_:)``
    /// may change).
    static func details(of wanted: BookingRequest) -> @Sendable (inout Appointment) -> Void {
        { a in
            a.priority = wanted.priority
            a.description = wanted.description
            a.comment = wanted.comment
            // Without service types the booking took the slots' ones; leaving them out keeps them.
            if !wanted.serviceTypes.isEmpty { a.serviceTypes = wanted.serviceTypes }
            a.specialties = wanted.specialties
            a.appointmentTypes = wanted.appointmentTypes
            // The identifiers link the appointment to other systems (a CUP's booking id): leaving them out of an
            // update keeps them; giving them replaces them.
            if !wanted.identifiers.isEmpty { a.identifiers = wanted.identifiers }
            a.participants = a.participants.map { p in
                var q = p
                q.required = wanted.participants.first { $0.actor == p.actor }?.required ?? p.required
                return q
            }
        }
    }

    /// JSON Patch on the Appointment as served; the result is then an update like any other.
    func patch(_ request: Request, id: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        guard request.headers[.contentType]?.hasPrefix("application/json-patch+json") == true else {
            throw FHIRError(.unsupportedMediaType, code: "not-supported", "PATCH takes application/json-patch+json")
        }
        guard let current = try await services.store.appointment(id: id), current.deletedAt == nil else {
            throw FHIRError(.notFound, code: "not-found", "Appointment/\(id) not found")
        }
        let served = try await forms.render(AppointmentMapping.resource(current).element)
        let body = try await request.body.collect(upTo: services.maxBodyBytes)
        let patchDocument = try JSONParser().parse(Array(body.readableBytesView))
        let before = try JSONParser().parse(services.responses.codec.write(served, format: .json)).value
        let patched: JSONValue
        do {
            patched = try JSONPatch.apply(patchDocument.value, to: before)
        } catch {
            throw FHIRError(
                .unprocessableContent, code: "processing", "patch operation \(error.index): \(error.message)")
        }
        let resource = try services.responses.codec.read(patched.serialized(), format: .json)
        guard resource.type == "Appointment", resource.resourceID == id else {
            throw FHIRError(.unprocessableContent, code: "invariant", "a patch may not change the resource type or id")
        }
        return try await update(request, id: id, element: resource, negotiation: negotiation)
    }

    /// Logical delete: the capacity is freed, reads answer 410 and searches no longer find it; the history stays.
    func delete(_ request: Request, id: String) async throws -> Response {
        _ = try Negotiation.response(for: request)
        guard let current = try await services.store.appointment(id: id) else {
            return Response(status: .noContent)
        }
        if current.deletedAt == nil { try await Preconditions.checkIfMatch(request) { current.version } }
        if current.deletedAt == nil { try await delete([(id, current.version)]) }
        return Response(status: .noContent)
    }

    /// Deletes appointments and their written forms in one store transaction (nothing for those already deleted).
    func delete(_ targets: [(id: String, expectedVersion: Int?)]) async throws {
        _ = try await services.booking.commit(
            preparing: {
                var steps: [StoreStep] = []
                for t in targets {
                    if let c = try await services.booking.prepareDelete(
                        appointmentID: t.id, expectedVersion: t.expectedVersion)
                    {
                        steps.append(.update(c))
                    }
                }
                return steps
            },
            attached: AppointmentDocuments(
                documents: services.documents, writes: [], written: Array(repeating: nil, count: targets.count),
                updates: Array(repeating: true, count: targets.count), forms: forms))
    }
}

extension AppointmentResource {
    /// The mapper reads participants and slots of any status; this lends it a creatable status.
    func withStatusForMapping() -> AppointmentResource {
        var copy = self
        copy.status = .booked
        return copy
    }
}
