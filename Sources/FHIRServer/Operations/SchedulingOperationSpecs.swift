/// The contracts of `Appointment/$find`, `$hold` and `$book` (IHE ITI-115/116/117 shape, with this gateway's
/// additions: teleconsultation, priority class and e-prescription number).
extension OperationSpec {
    static let find = OperationSpec(
        code: "find", resources: ["Appointment"], affectsState: false,
        title: "Find appointment availability",
        description: """
            Proposes free times as `proposed` Appointments (with their Slot references), ordered by start, across every \
            schedule that matches. Honours minimum notice, horizon, capacity, holds and exceptions. When several actors \
            are given, only times where all of them are free are proposed. With a priority class, the search is bounded \
            by the class's deadline and an OperationOutcome entry says when nothing is free within it.
            """,
        parameters: [
            .init("start", .in, type: "date", "Earliest start (date or dateTime); default now"),
            .init("end", .in, type: "date", "Latest start; default start + 14 days, at most 92 days after start"),
            .init(
                "service-type", .in, max: "*", type: "string", searchType: "token", "Service type, [system|]code"),
            .init("specialty", .in, max: "*", type: "string", searchType: "token", "Specialty, [system|]code"),
            .init(
                "visit-type", .in, type: "string", searchType: "token",
                "Appointment type (ITI-115 name), [system|]code"),
            .init("appointment-type", .in, type: "string", searchType: "token", "Same as visit-type"),
            .init(
                "practitioner", .in, max: "*", type: "string", searchType: "reference",
                "Practitioner/{id}: must take part"),
            .init("location", .in, max: "*", type: "string", searchType: "reference", "Location/{id}: must take part"),
            .init(
                "actor", .in, max: "*", type: "string", searchType: "reference",
                "Any bookable actor (Practitioner, Location, Device, HealthcareService) that must take part"),
            .init("patient", .in, type: "string", searchType: "reference", "Patient/{id}, added to the proposals"),
            .init("teleconsultation", .in, type: "boolean", "true: only teleconsultation slots; false: in person"),
            .init(
                "priority", .in, type: "code",
                "Italian prescription priority class: U (72 h), B (10 days), D (30 days; 60 for instrumental exams), P (programmable)"
            ),
            .init("instrumental", .in, type: "boolean", "With priority D: an instrumental exam (60 days, not 30)"),
            .init("_count", .in, type: "integer", "Page size (default 50)"),
            .init("return", .out, min: 1, type: "Bundle", "A searchset Bundle of proposed Appointments"),
        ])

    static let hold = OperationSpec(
        code: "hold", resources: ["Appointment"], affectsState: true,
        title: "Hold a proposed appointment",
        description: """
            Places a time-limited hold on a proposal returned by $find. Returns the Appointment as `pending` with the \
            hold token as an identifier and its expiry in the hold-expiry extension. Holding again with the same \
            identifier returns the same hold; an expired hold frees its capacity by itself.
            """,
        parameters: [
            .init("appointment", .in, min: 1, type: "Appointment", "The proposal (status proposed, with slots)"),
            .init("return", .out, min: 1, type: "Appointment", "The pending Appointment with the hold"),
        ])

    static let book = OperationSpec(
        code: "book", resources: ["Appointment"], affectsState: true,
        title: "Book an appointment",
        description: """
            Books a held or free proposal with its participants, atomically. Idempotent by Appointment.identifier: \
            booking again returns the same Appointment (200). When a slot was taken meanwhile: 409 with an \
            OperationOutcome that lists the next free slots.
            """,
        parameters: [
            .init(
                "appointment", .in, min: 1, type: "Appointment",
                "The proposal or held Appointment, with the patient among its participants"),
            .init("return", .out, min: 1, type: "Appointment", "The booked Appointment"),
        ])
}
