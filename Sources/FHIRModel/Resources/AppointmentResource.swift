/// `Appointment.status` (required binding).
public enum AppointmentStatus: String, Sendable, CaseIterable {
    case proposed, pending, booked, arrived, fulfilled, cancelled, noshow
    case enteredInError = "entered-in-error"
    case checkedIn = "checked-in"
    case waitlist
}

/// `Appointment.participant.status` (required binding).
public enum ParticipationStatus: String, Sendable, CaseIterable {
    case accepted, declined, tentative
    case needsAction = "needs-action"
}

/// Typed view of an Appointment.
public struct AppointmentResource: ResourceView {
    public static let resourceType = "Appointment"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    /// One participant: actor reference, its own status, whether required.
    public struct Participant: Sendable, Hashable {
        public var actor: Reference?
        public var status: ParticipationStatus?
        public var required: String?
        public var types: [Coding]

        public init(actor: Reference?, status: ParticipationStatus?, required: String? = nil, types: [Coding] = []) {
            self.actor = actor
            self.status = status
            self.required = required
            self.types = types
        }

        init(element: Element) {
            actor = element.child("actor").map(Reference.init(element:))
            status = element.string("status").flatMap(ParticipationStatus.init(rawValue:))
            required = element.string("required")
            types = element.codings("type")
        }

        func element() -> Element {
            var e = Element(name: "participant", type: "BackboneElement")
            e.children += types.map { $0.codeableConcept(named: "type") }
            if let actor { e.children.append(actor.element(named: "actor")) }
            e.setPrimitive("required", type: "code", required)
            e.setPrimitive("status", type: "code", status?.rawValue)
            return e
        }
    }

    public var status: AppointmentStatus? {
        get { element.string("status").flatMap(AppointmentStatus.init(rawValue:)) }
        set { element.setPrimitive("status", type: "code", newValue?.rawValue) }
    }

    public var start: FHIRDateTime? {
        get { element.dateTime("start") }
        set { element.setInstant("start", newValue) }
    }

    public var end: FHIRDateTime? {
        get { element.dateTime("end") }
        set { element.setInstant("end", newValue) }
    }

    public var minutesDuration: Int? {
        get { element.string("minutesDuration").flatMap { Int($0) } }
        set { element.setPrimitive("minutesDuration", type: "positiveInt", newValue.map(String.init)) }
    }

    public var priority: Int? {
        get { element.string("priority").flatMap { Int($0) } }
        set { element.setPrimitive("priority", type: "unsignedInt", newValue.map(String.init)) }
    }

    public var description: String? {
        get { element.string("description") }
        set { element.setPrimitive("description", type: "string", newValue) }
    }

    public var comment: String? {
        get { element.string("comment") }
        set { element.setPrimitive("comment", type: "string", newValue) }
    }

    /// `slot` references.
    public var slots: [Reference] {
        get { element.children(named: "slot").map(Reference.init(element:)) }
        set { element.setChildren("slot", newValue.map { $0.element(named: "slot") }) }
    }

    public var basedOn: [Reference] {
        get { element.children(named: "basedOn").map(Reference.init(element:)) }
        set { element.setChildren("basedOn", newValue.map { $0.element(named: "basedOn") }) }
    }

    public var participants: [Participant] {
        get { element.children(named: "participant").map(Participant.init(element:)) }
        set { element.setChildren("participant", newValue.map { $0.element() }) }
    }

    public var serviceTypes: [Coding] { element.codings("serviceType") }
    public var specialties: [Coding] { element.codings("specialty") }
    public var appointmentType: [Coding] { element.codings("appointmentType") }
    public var cancelationReason: [Coding] { element.codings("cancelationReason") }
}
