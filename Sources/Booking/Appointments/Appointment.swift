import Foundation

/// Who takes part in an appointment.
public struct ParticipantActor: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case patient, practitioner, practitionerRole, relatedPerson, location, device, healthcareService
    }

    public var kind: Kind
    public var id: String

    public init(_ kind: Kind, _ id: String) {
        self.kind = kind
        self.id = id
    }
}

/// A participant's own answer.
public enum ParticipationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case accepted, declined, tentative
    case needsAction = "needs-action"
}

public struct Participant: Sendable, Hashable, Codable {
    public var actor: ParticipantActor
    public var status: ParticipationStatus
    public var required: Bool

    public init(actor: ParticipantActor, status: ParticipationStatus = .accepted, required: Bool = true) {
        self.actor = actor
        self.status = status
        self.required = required
    }
}

/// Set when a closure or a rule change leaves a booked appointment outside the availability.
public struct RescheduleFlag: Sendable, Hashable, Codable {
    public var reason: String
    /// The exception or rule that caused it.
    public var causeID: String?
    public var flaggedAt: Date

    public init(reason: String, causeID: String?, flaggedAt: Date) {
        self.reason = reason
        self.causeID = causeID
        self.flaggedAt = flaggedAt
    }
}

/// A booking.
public struct Appointment: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// Increases by one on every change; history keeps each version.
    public var version: Int
    public var status: AppointmentStatus
    /// Full mode: the slots taken (one per schedule for multi-resource visits).
    public var slotIDs: [SlotID]
    /// Every schedule the appointment takes capacity on.
    public var scheduleIDs: [String]
    public var start: Date
    public var end: Date
    public var participants: [Participant]
    public var serviceTypes: [Code]
    public var specialties: [Code]
    public var appointmentTypes: [Code]
    public var priority: Int?
    public var description: String?
    public var comment: String?
    /// Business identifiers: booking reference, the CUP's booking id, …
    public var identifiers: [BusinessIdentifier]
    /// The client's idempotency key: repeating a request with it returns this appointment.
    public var clientRequestID: String?
    public var teleconsultation: Bool
    public var cancellationReason: String?
    public var rescheduleFlag: RescheduleFlag?
    /// The e-prescription and priority class the appointment was booked for.
    public var referral: Referral?
    /// Set by a delete: the appointment is gone for reads and searches (its history stays), its capacity
    /// freed and its identifiers and request id released for reuse.
    public var deletedAt: Date?
    /// True for a proposal (or waitlist request) that has no time yet: `start` and `end` then hold the requested
    /// period, or the creation instant, and are not the appointment's time.
    public var timeUnset: Bool?
    public var created: Date
    public var lastUpdated: Date

    public init(
        id: String, version: Int = 1, status: AppointmentStatus, slotIDs: [SlotID] = [], scheduleIDs: [String],
        start: Date, end: Date, participants: [Participant], serviceTypes: [Code] = [], specialties: [Code] = [],
        appointmentTypes: [Code] = [], priority: Int? = nil, description: String? = nil, comment: String? = nil,
        identifiers: [BusinessIdentifier] = [], clientRequestID: String? = nil, teleconsultation: Bool = false,
        cancellationReason: String? = nil, rescheduleFlag: RescheduleFlag? = nil, created: Date, lastUpdated: Date
    ) {
        self.id = id
        self.version = version
        self.status = status
        self.slotIDs = slotIDs
        self.scheduleIDs = scheduleIDs
        self.start = start
        self.end = end
        self.participants = participants
        self.serviceTypes = serviceTypes
        self.specialties = specialties
        self.appointmentTypes = appointmentTypes
        self.priority = priority
        self.description = description
        self.comment = comment
        self.identifiers = identifiers
        self.clientRequestID = clientRequestID
        self.teleconsultation = teleconsultation
        self.cancellationReason = cancellationReason
        self.rescheduleFlag = rescheduleFlag
        self.created = created
        self.lastUpdated = lastUpdated
    }

    /// The patient participant's id, if any.
    public var patientID: String? {
        participants.first { $0.actor.kind == .patient }?.actor.id
    }
}
