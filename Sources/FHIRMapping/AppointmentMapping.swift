import Booking
import FHIRModel
import Foundation

/// Appointments to FHIR and FHIR Appointments to booking requests.
public enum AppointmentMapping {
    /// Problems in an incoming Appointment, as (FHIRPath expression, message).
    public struct Problem: Error, Sendable {
        public var expression: String
        public var message: String
    }

    public static func resource(_ a: Appointment) -> AppointmentResource {
        var r = AppointmentResource()
        r.id = a.id
        r.versionId = String(a.version)
        r.lastUpdated = FHIRDateTime(instantText(a.lastUpdated))
        var e = r.element
        if a.teleconsultation {
            e.children.append(
                Element(
                    name: "extension", type: "Extension",
                    children: [
                        Element(name: "url", type: "uri", value: ProjectExtension.teleconsultation),
                        Element(name: "value", type: "boolean", value: "true"),
                    ]))
        }
        if let flag = a.rescheduleFlag {
            var parts = [Element(name: "url", type: "uri", value: ProjectExtension.needsReschedule)]
            var sub: [Element] = [
                Element(
                    name: "extension", type: "Extension",
                    children: [
                        Element(name: "url", type: "uri", value: "reason"),
                        Element(name: "value", type: "string", value: flag.reason),
                    ]),
                Element(
                    name: "extension", type: "Extension",
                    children: [
                        Element(name: "url", type: "uri", value: "flaggedAt"),
                        Element(name: "value", type: "dateTime", value: instantText(flag.flaggedAt)),
                    ]),
            ]
            if let cause = flag.causeID {
                sub.append(
                    Element(
                        name: "extension", type: "Extension",
                        children: [
                            Element(name: "url", type: "uri", value: "cause"),
                            Element(name: "value", type: "string", value: cause),
                        ]))
            }
            parts.insert(contentsOf: sub, at: 0)
            e.children.append(Element(name: "extension", type: "Extension", children: parts))
        }
        e.children += a.identifiers.map { Identifier(system: $0.system, value: $0.value).element() }
        e.children += ReferralMapping.elements(a.referral)
        if let reason = a.cancellationReason {
            e.children.append(
                Element(
                    name: "cancelationReason", type: "CodeableConcept",
                    children: [Element(name: "text", type: "string", value: reason)]))
        }
        e.children += a.serviceTypes.map { $0.coding.codeableConcept(named: "serviceType") }
        e.children += a.specialties.map { $0.coding.codeableConcept(named: "specialty") }
        if let t = a.appointmentTypes.first { e.children.append(t.coding.codeableConcept(named: "appointmentType")) }
        r.element = e
        r.status = AppointmentStatus(rawValue: a.status.rawValue)
        r.priority = a.priority
        r.description = a.description
        // A proposal without a time has none to show (its interval is only its requested period).
        if a.timeUnset != true {
            r.start = FHIRDateTime(instantText(a.start))
            r.end = FHIRDateTime(instantText(a.end))
        }
        r.slots = a.slotIDs.map { Reference("Slot/\($0)") }
        r.element.setPrimitive("created", type: "dateTime", instantText(a.created))
        r.comment = a.comment
        r.participants = a.participants.map {
            AppointmentResource.Participant(
                actor: Reference(ReferenceMapping.reference(for: $0.actor)),
                status: FHIRModel.ParticipationStatus(rawValue: $0.status.rawValue),
                required: $0.required ? "required" : "optional")
        }
        return r
    }

    /// The booking request an incoming Appointment asks for (create).
    /// - Throws: ``Problem`` for what the domain cannot express.
    public static func bookingRequest(_ r: AppointmentResource) throws(Problem) -> BookingRequest {
        guard let status = r.status else {
            throw Problem(expression: "Appointment.status", message: "status is required")
        }
        guard let domainStatus = Booking.AppointmentStatus(rawValue: status.rawValue),
            [.booked, .pending, .proposed, .waitlist].contains(domainStatus)
        else {
            throw Problem(
                expression: "Appointment.status",
                message: "a new appointment is booked, pending, proposed or waitlist")
        }
        let proposal = domainStatus == .proposed || domainStatus == .waitlist
        var slotIDs: [SlotID] = []
        for (i, s) in r.slots.enumerated() {
            guard let ref = s.reference, let id = ReferenceMapping.slotID(from: ref) else {
                // A proposal may name slots of another system (kept as written); a booking takes ours.
                if proposal { continue }
                throw Problem(expression: "Appointment.slot[\(i)]", message: "not a slot of this gateway")
            }
            slotIDs.append(id)
        }
        var participants: [Participant] = []
        for (i, p) in r.participants.enumerated() {
            // A participant named by its type only, or by a display without a reference (app-1), is the
            // written form's: the domain has no actor to book for it.
            if p.actor?.reference == nil && (p.actor != nil || !p.types.isEmpty) { continue }
            guard let ref = p.actor?.reference, let actor = ReferenceMapping.actor(from: ref) else {
                throw Problem(
                    expression: "Appointment.participant[\(i)].actor", message: "a participant needs an actor reference"
                )
            }
            participants.append(
                Participant(
                    actor: actor,
                    status: p.status.flatMap { Booking.ParticipationStatus(rawValue: $0.rawValue) } ?? .needsAction,
                    required: p.required != "optional"))
        }
        guard !participants.isEmpty else {
            throw Problem(expression: "Appointment.participant", message: "at least one participant")
        }
        let tele = r.element.extensions(url: ProjectExtension.teleconsultation).first?.child("value")?.value == "true"
        let referral = try ReferralMapping.referral(r.element)
        var request = BookingRequest(
            slotIDs: slotIDs, start: r.start.map { Date(timeIntervalSince1970: $0.epochSeconds) },
            end: r.end.map { Date(timeIntervalSince1970: $0.epochSeconds) }, participants: participants,
            status: domainStatus, serviceTypes: r.serviceTypes.map(Code.init),
            specialties: r.specialties.map(Code.init),
            appointmentTypes: r.appointmentType.map(Code.init), priority: r.priority, description: r.description,
            comment: r.comment,
            identifiers: r.identifiers.compactMap { i in
                i.system.flatMap { s in i.value.map { BusinessIdentifier(system: s, value: $0) } }
            },
            teleconsultation: tele)
        request.referral = referral
        if proposal, let period = r.element.child("requestedPeriod") {
            request.requestedStart = period.string("start").flatMap(FHIRDateTime.init).map {
                Date(timeIntervalSince1970: $0.epochSeconds)
            }
            request.requestedEnd = period.string("end").flatMap(FHIRDateTime.init).map {
                Date(timeIntervalSince1970: $0.epochSeconds)
            }
        }
        return request
    }

    /// UTC instant text with seconds, e.g. `2025-03-30T07:00:00Z`.
    public static func instantText(_ d: Date) -> String {
        let t = Int(d.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(t) / 86400).rounded(.down))
        let date = LocalDate(daysSinceEpoch: days)
        let s = t - days * 86400
        func p(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date)T\(p(s / 3600)):\(p(s / 60 % 60)):\(p(s % 60))Z"
    }
}
