/// The FHIR appointment lifecycle states.
public enum AppointmentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case proposed, pending, booked, arrived, fulfilled, cancelled, noshow
    case enteredInError = "entered-in-error"
    case checkedIn = "checked-in"
    case waitlist

    /// Whether an appointment in this state takes capacity (slots, intervals, daily limits).
    public var holdsCapacity: Bool {
        switch self {
        case .pending, .booked, .arrived, .checkedIn, .fulfilled: true
        case .proposed, .waitlist, .cancelled, .noshow, .enteredInError: false
        }
    }

    /// No transition leaves this state except to entered-in-error.
    public var isFinal: Bool {
        switch self {
        case .fulfilled, .cancelled, .noshow, .enteredInError: true
        default: false
        }
    }
}

/// The appointment state machine: which transitions are allowed, and what each does to capacity.
///
/// | from | to |
/// |---|---|
/// | proposed | pending, booked, waitlist, cancelled, entered-in-error |
/// | waitlist | proposed, pending, booked, cancelled, entered-in-error |
/// | pending | proposed, booked, cancelled, entered-in-error |
/// | booked | checked-in, arrived, cancelled, noshow, entered-in-error |
/// | checked-in | arrived, fulfilled, cancelled, entered-in-error |
/// | arrived | fulfilled, entered-in-error |
/// | fulfilled, cancelled, noshow | entered-in-error |
/// | entered-in-error | — |
public enum AppointmentLifecycle {
    /// What a transition does to the capacity the appointment holds.
    public enum CapacityAction: Sendable, Hashable {
        case none, claim, release
    }

    public static let transitions: [AppointmentStatus: Set<AppointmentStatus>] = [
        .proposed: [.pending, .booked, .waitlist, .cancelled, .enteredInError],
        .waitlist: [.proposed, .pending, .booked, .cancelled, .enteredInError],
        .pending: [.proposed, .booked, .cancelled, .enteredInError],
        .booked: [.checkedIn, .arrived, .cancelled, .noshow, .enteredInError],
        .checkedIn: [.arrived, .fulfilled, .cancelled, .enteredInError],
        .arrived: [.fulfilled, .enteredInError],
        .fulfilled: [.enteredInError],
        .cancelled: [.enteredInError],
        .noshow: [.enteredInError],
        .enteredInError: [],
    ]

    public static func canTransition(from: AppointmentStatus, to: AppointmentStatus) -> Bool {
        transitions[from]?.contains(to) ?? false
    }

    /// The capacity action of `from` → `to`.
    /// - Throws: ``BookingError/invalidTransition(from:to:)`` when not allowed.
    public static func transition(from: AppointmentStatus, to: AppointmentStatus) throws(BookingError) -> CapacityAction
    {
        guard canTransition(from: from, to: to) else { throw .invalidTransition(from: from, to: to) }
        switch (from.holdsCapacity, to.holdsCapacity) {
        case (false, true): return .claim
        case (true, false): return .release
        default: return .none
        }
    }
}
