/// `Slot.status` (required binding).
public enum SlotStatus: String, Sendable, CaseIterable {
    case busy, free
    case busyUnavailable = "busy-unavailable"
    case busyTentative = "busy-tentative"
    case enteredInError = "entered-in-error"
}

/// Typed view of a Slot.
public struct SlotResource: ResourceView {
    public static let resourceType = "Slot"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    public var schedule: Reference? {
        get { element.child("schedule").map(Reference.init(element:)) }
        set { element.setChildren("schedule", newValue.map { [$0.element(named: "schedule")] } ?? []) }
    }

    public var status: SlotStatus? {
        get { element.string("status").flatMap(SlotStatus.init(rawValue:)) }
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

    public var overbooked: Bool? {
        get { element.string("overbooked").map { $0 == "true" } }
        set { element.setPrimitive("overbooked", type: "boolean", newValue.map { $0 ? "true" : "false" }) }
    }

    public var comment: String? {
        get { element.string("comment") }
        set { element.setPrimitive("comment", type: "string", newValue) }
    }

    public var serviceTypes: [Coding] { element.codings("serviceType") }
    public var specialties: [Coding] { element.codings("specialty") }
    public var appointmentType: [Coding] { element.codings("appointmentType") }
}

/// Typed view of a Schedule.
public struct ScheduleResource: ResourceView {
    public static let resourceType = "Schedule"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    public var active: Bool? {
        get { element.string("active").map { $0 == "true" } }
        set { element.setPrimitive("active", type: "boolean", newValue.map { $0 ? "true" : "false" }) }
    }

    public var actors: [Reference] {
        get { element.children(named: "actor").map(Reference.init(element:)) }
        set { element.setChildren("actor", newValue.map { $0.element(named: "actor") }) }
    }

    /// `planningHorizon.start` / `.end`.
    public var planningHorizon: (start: FHIRDateTime?, end: FHIRDateTime?) {
        let p = element.child("planningHorizon")
        return (p?.string("start").flatMap(FHIRDateTime.init), p?.string("end").flatMap(FHIRDateTime.init))
    }

    public var comment: String? {
        get { element.string("comment") }
        set { element.setPrimitive("comment", type: "string", newValue) }
    }

    public var serviceTypes: [Coding] { element.codings("serviceType") }
    public var specialties: [Coding] { element.codings("specialty") }
}

/// Typed view of an AppointmentResponse.
public struct AppointmentResponseResource: ResourceView {
    public static let resourceType = "AppointmentResponse"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    public var appointment: Reference? {
        get { element.child("appointment").map(Reference.init(element:)) }
        set { element.setChildren("appointment", newValue.map { [$0.element(named: "appointment")] } ?? []) }
    }

    public var actor: Reference? {
        get { element.child("actor").map(Reference.init(element:)) }
        set { element.setChildren("actor", newValue.map { [$0.element(named: "actor")] } ?? []) }
    }

    public var participantStatus: ParticipationStatus? {
        get { element.string("participantStatus").flatMap(ParticipationStatus.init(rawValue:)) }
        set { element.setPrimitive("participantStatus", type: "code", newValue?.rawValue) }
    }

    public var start: FHIRDateTime? { element.dateTime("start") }
    public var end: FHIRDateTime? { element.dateTime("end") }

    public var comment: String? {
        get { element.string("comment") }
        set { element.setPrimitive("comment", type: "string", newValue) }
    }
}
