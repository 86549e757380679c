/// Canonical URLs of the project's extensions (defined as StructureDefinitions in profiles/booking-gateway).
public enum ProjectExtension {
    public static let base = "https://booking-gateway.dev/fhir/StructureDefinition/"
    /// Slot: places in the slot (unsignedInt).
    public static let slotCapacity = base + "slot-capacity"
    /// Slot: places taken by bookings and live holds (unsignedInt).
    public static let slotBooked = base + "slot-booked"
    /// Slot: why a busy-unavailable slot cannot be booked (code: closed, tooSoon, beyondHorizon, dailyLimitReached, past).
    public static let slotUnavailableReason = base + "slot-unavailable-reason"
    /// Appointment: held as a teleconsultation (boolean).
    public static let teleconsultation = base + "teleconsultation"
    /// Appointment: flagged as needing rescheduling (complex: reason, cause, flaggedAt).
    public static let needsReschedule = base + "needs-reschedule"
    /// Schedule: one availability rule (complex).
    public static let availabilityRule = base + "availability-rule"
    /// Schedule: one availability exception, closure or extra opening (complex).
    public static let availabilityException = base + "availability-exception"
    /// Appointment: when a hold placed by $hold expires (instant).
    public static let holdExpiry = base + "hold-expiry"
    /// Schedule: the IANA time zone its availability is expanded in (code, e.g. `Europe/Rome`).
    public static let scheduleTimeZone = base + "schedule-time-zone"
    /// Schedule: how it is booked (code: `appointments` without availability set-up, `full` slot-based).
    public static let bookingMode = base + "booking-mode"
    /// Schedule: shared with a regional booking centre (mode, cupSystem, releaseHours).
    public static let agendaSharing = base + "agenda-sharing"
    /// Appointment: the e-prescription's priority class (code U | B | D | P).
    public static let priorityClass = base + "priority-class"
    /// The identifier system of Italian e-prescription numbers (NRE) on `Appointment.basedOn.identifier`.
    public static let prescriptionSystem = "https://booking-gateway.dev/fhir/NamingSystem/nre"
}
