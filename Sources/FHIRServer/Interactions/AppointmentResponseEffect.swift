import Booking
import FHIRMapping
import FHIRModel
import HTTPTypes

/// What writing an AppointmentResponse does to its Appointment: the actor's participation status on the
/// Appointment becomes the response's `participantStatus`, and the Appointment's status follows the answers
/// (``BookingService/setParticipantStatus(appointmentID:actor:status:expectedVersion:)``: all required
/// participants accepted → booked; a decline is recorded, the requester decides what follows).
///
/// Applied before the response is stored: a response the domain refuses (unknown appointment or participant,
/// a final appointment, capacity gone) is not stored. A retried write re-applies the same answer, which changes
/// nothing, so a store failure after the domain change heals on retry.
///
/// An answer from an actor who is not a participant but fills a role the Appointment names only by type (its
/// `participantType` matches a participant without an actor, FHIR's way of asking "any attending physician") is
/// stored and changes nothing in the domain: the role is not bound to that actor.
struct AppointmentResponseEffect {
    let services: GatewayServices
    var booking: BookingService { services.booking }

    func apply(_ resource: Element) async throws {
        guard let response = AppointmentResponseResource(resource) else {
            throw FHIRError(.badRequest, code: "invalid", "not an AppointmentResponse")
        }
        guard let reference = response.appointment?.reference,
            let (type, appointmentID) = ReferenceMapping.typeAndID(reference), type == "Appointment"
        else {
            throw FHIRError(
                .unprocessableContent, code: "required", "appointment must reference Appointment/{id}",
                expression: ["AppointmentResponse.appointment"])
        }
        guard let statusCode = resource.string("participantStatus") else {
            throw FHIRError(
                .unprocessableContent, code: "required", "participantStatus is required",
                expression: ["AppointmentResponse.participantStatus"])
        }
        guard let status = Booking.ParticipationStatus(rawValue: statusCode) else {
            throw FHIRError(
                .unprocessableContent, code: "code-invalid",
                "participantStatus '\(statusCode)' is not accepted | declined | tentative | needs-action",
                expression: ["AppointmentResponse.participantStatus"])
        }
        guard let actorReference = response.actor?.reference, let actor = ReferenceMapping.actor(from: actorReference)
        else {
            throw FHIRError(
                .unprocessableContent, code: "not-supported",
                "this server records answers by actor: actor must reference a participant of the appointment",
                expression: ["AppointmentResponse.actor"])
        }
        guard let appointment = try await booking.store.appointment(id: appointmentID), appointment.deletedAt == nil
        else {
            throw FHIRError(
                .unprocessableContent, code: "not-found", "Appointment/\(appointmentID) does not exist",
                expression: ["AppointmentResponse.appointment"])
        }
        guard appointment.participants.contains(where: { $0.actor == actor }) else {
            if try await fillsTypedRole(resource, appointmentID: appointmentID) { return }
            throw FHIRError(
                .unprocessableContent, code: "business-rule",
                "\(ReferenceMapping.reference(for: actor)) is not a participant of Appointment/\(appointmentID)",
                expression: ["AppointmentResponse.actor"])
        }
        if appointment.participants.first(where: { $0.actor == actor })?.status == status { return }
        _ = try await booking.setParticipantStatus(appointmentID: appointmentID, actor: actor, status: status)
    }

    /// Whether the response's `participantType` names a role the Appointment (as written) gives to no actor.
    func fillsTypedRole(_ response: Element, appointmentID: String) async throws -> Bool {
        func codes(_ concepts: [Element]) -> Set<String> {
            Set(
                concepts.flatMap { $0.children(named: "coding") }.compactMap { c in
                    c.string("code").map { "\(c.string("system") ?? "")|\($0)" }
                })
        }
        let wanted = codes(response.children(named: "participantType"))
        guard !wanted.isEmpty,
            let form = try await WrittenForms(services: services).current("Appointment", id: appointmentID)
        else { return false }
        return form.form.written.children(named: "participant").contains { p in
            p.descendant("actor", "reference") == nil && !codes(p.children(named: "type")).isDisjoint(with: wanted)
        }
    }
}
