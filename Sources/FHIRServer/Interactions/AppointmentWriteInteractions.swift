import Booking
import FHIRMapping
import FHIRModel
import Hummingbird

/// Appointment create and update. Writes go through the booking domain: a booked or pending Appointment with
/// slots books them (409 when full), one without slots needs an appointments-mode schedule of a participant;
/// an update changes the status (cancelled and noshow free capacity), participants' answers, or the slots
/// (a reschedule).
struct AppointmentWriteInteractions {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.add("Appointment", interaction: "create")
        catalog.add("Appointment", interaction: "update")
        router.post("/fhir/Appointment") { request, _ in try await create(request) }
        router.put("/fhir/Appointment/:id") { request, context in
            try await update(request, id: try context.parameters.require("id"))
        }
        for method in [HTTPRequest.Method.delete, .patch] {
            router.on("/fhir/Appointment/:id", method: method) { _, _ -> Response in
                throw FHIRError(
                    .methodNotAllowed, code: "not-supported",
                    "appointments are cancelled (status), not deleted or patched")
            }
        }
    }

    func create(_ request: Request) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        guard let resource = AppointmentResource(element) else {
            throw FHIRError(.badRequest, code: "invalid", "the body is a \(element.type), not an Appointment")
        }
        var booking = try AppointmentMapping.bookingRequest(resource)
        try await validate(element, slotIDs: booking.slotIDs)
        if booking.slotIDs.isEmpty {
            booking.scheduleIDs = try await appointmentSchedules(for: booking.participants)
        }
        let (appointment, created) = try await services.booking.book(booking)
        let body = AppointmentMapping.resource(appointment).element
        return services.responses.written(
            body, status: created ? .created : .ok, negotiation: negotiation,
            location: "\(baseURL)/Appointment/\(appointment.id)/_history/\(appointment.version)", request: request)
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

    /// Appointments-mode schedules of the participants' resources.
    func appointmentSchedules(for participants: [Participant]) async throws -> [String] {
        let actorIDs = Set(participants.filter { $0.actor.kind != .patient }.map(\.actor.id))
        let schedules = try await services.store.schedules().filter {
            $0.effectiveMode(default: services.booking.configuration.defaultMode) == .appointments
                && !actorIDs.isDisjoint(with: $0.resourceIDs)
        }
        guard !schedules.isEmpty else {
            throw FHIRError(
                .unprocessableContent, code: "required",
                "without slots, a participant must be a resource with an appointments-mode schedule",
                expression: ["Appointment.slot"])
        }
        return schedules.map(\.id)
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        guard let incoming = AppointmentResource(element) else {
            throw FHIRError(.badRequest, code: "invalid", "the body is a \(element.type), not an Appointment")
        }
        guard incoming.id == id else {
            throw FHIRError(
                .badRequest, code: "invalid", "the body's id must equal the URL's id", expression: ["Appointment.id"])
        }
        guard var current = try await services.store.appointment(id: id) else {
            throw FHIRError(
                .methodNotAllowed, code: "not-supported",
                "appointments are created with POST (update-as-create is not allowed)")
        }
        if let ifMatch = request.headers[.ifMatch] {
            guard ifMatch == "W/\"\(current.version)\"" || ifMatch == "\"\(current.version)\"" else {
                throw FHIRError(
                    .preconditionFailed, code: "conflict",
                    "If-Match \(ifMatch) does not match version \(current.version)")
            }
        }
        let wanted = try AppointmentMapping.bookingRequest(incoming.withStatusForMapping())
        try await validate(element, slotIDs: wanted.slotIDs.isEmpty ? current.slotIDs : wanted.slotIDs)
        let statusChanges = incoming.status.map { $0.rawValue != current.status.rawValue } ?? false
        if statusChanges && !wanted.slotIDs.isEmpty && wanted.slotIDs != current.slotIDs {
            throw FHIRError(
                .unprocessableContent, code: "business-rule", "change the status and the slots in two updates",
                expression: ["Appointment.slot"])
        }
        if let status = incoming.status, status.rawValue != current.status.rawValue {
            guard let domainStatus = Booking.AppointmentStatus(rawValue: status.rawValue) else {
                throw FHIRError(
                    .unprocessableContent, code: "code-invalid", "unknown status", expression: ["Appointment.status"])
            }
            let reason =
                incoming.element.descendant("cancelationReason", "text")?.value
                ?? incoming.cancelationReason.first?.display ?? incoming.cancelationReason.first?.code
            current = try await services.booking.changeStatus(
                appointmentID: id, to: domainStatus, reason: reason, expectedVersion: current.version)
        } else if !wanted.slotIDs.isEmpty && wanted.slotIDs != current.slotIDs {
            current = try await services.booking.reschedule(
                appointmentID: id, to: wanted.slotIDs, expectedVersion: current.version)
        }
        for p in wanted.participants {
            if let existing = current.participants.first(where: { $0.actor == p.actor }), existing.status != p.status {
                current = try await services.booking.setParticipantStatus(
                    appointmentID: id, actor: p.actor, status: p.status)
            }
        }
        return services.responses.written(
            AppointmentMapping.resource(current).element, status: .ok, negotiation: negotiation, location: nil,
            request: request)
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
