import Foundation

extension BookingService {
    /// The appointment, at `expectedVersion` when given (optimistic concurrency). A deleted one is not found,
    /// so no command acts on it, unless `includingDeleted` (a delete repeated).
    func requireAppointment(_ id: String, expectedVersion: Int? = nil, includingDeleted: Bool = false) async throws
        -> Appointment
    {
        guard let a = try await store.appointment(id: id), includingDeleted || a.deletedAt == nil else {
            throw BookingError.notFound(kind: "Appointment", id: id)
        }
        if let expectedVersion, expectedVersion != a.version {
            throw BookingError.versionConflict(expected: expectedVersion, actual: a.version)
        }
        return a
    }

    /// Moves an appointment along the lifecycle (``AppointmentLifecycle``). Leaving a capacity-holding state
    /// frees the capacity (and offers it to the waitlist); entering one takes it again, or fails with a conflict.
    /// - Parameter expectedVersion: optimistic concurrency; nil to take the current version.
    /// - Parameter details: descriptive changes recorded in the same version (see ``amend(appointmentID:expectedVersion:_:)``).
    public func changeStatus(
        appointmentID: String, to newStatus: AppointmentStatus, reason: String? = nil, expectedVersion: Int? = nil,
        details: (@Sendable (inout Appointment) -> Void)? = nil
    ) async throws -> Appointment {
        try await retryingOnAvailabilityChange {
            try await store.update(
                try await prepareStatusChange(
                    appointmentID: appointmentID, to: newStatus, reason: reason, expectedVersion: expectedVersion,
                    details: details), now: clock.now())
        }
    }

    /// The command of ``changeStatus(appointmentID:to:reason:expectedVersion:details:)`` (nothing written).
    public func prepareStatusChange(
        appointmentID: String, to newStatus: AppointmentStatus, reason: String? = nil, expectedVersion: Int? = nil,
        details: (@Sendable (inout Appointment) -> Void)? = nil
    ) async throws -> UpdateCommand {
        let current = try await requireAppointment(appointmentID, expectedVersion: expectedVersion)
        let capacity = try AppointmentLifecycle.transition(from: current.status, to: newStatus)
        var next = current
        if let details { next = try await amended(current, details) }
        next.status = newStatus
        if newStatus == .cancelled || newStatus == .noshow {
            next.cancellationReason = reason ?? next.cancellationReason
        }
        next.lastUpdated = clock.now()
        var command = UpdateCommand(
            appointment: next, expectedVersion: current.version, action: .none,
            outbox: [
                OutboxMessage(
                    kind: "appointment.status", aggregateID: current.id,
                    payload: [
                        "from": current.status.rawValue, "to": newStatus.rawValue,
                        "patient": current.patientID ?? "",
                    ])
            ], waitlistOfferMinutes: configuration.waitlistOfferMinutes)
        switch capacity {
        case .none: break
        case .release: command.action = .release(freedSlots: try await slots(of: current))
        case .claim:
            guard current.timeUnset != true else { throw Self.noTimeYet(current) }
            let plan = try await plan(request(for: current))
            command.action = .claim
            command.claims = plan.claims
            command.availabilityVersions = plan.versions
        }
        return command
    }

    /// Cancels an appointment with a reason, freeing its capacity.
    public func cancel(appointmentID: String, reason: String?, expectedVersion: Int? = nil) async throws -> Appointment
    {
        try await changeStatus(
            appointmentID: appointmentID, to: .cancelled, reason: reason, expectedVersion: expectedVersion)
    }

    /// Moves an appointment to other slots (or another interval) atomically: the new capacity is taken and the
    /// old released in one transaction; identity and history are kept; nothing changes when the target is taken.
    public func reschedule(
        appointmentID: String, to slotIDs: [SlotID] = [], start: Date? = nil, end: Date? = nil,
        expectedVersion: Int? = nil, details: (@Sendable (inout Appointment) -> Void)? = nil
    ) async throws -> Appointment {
        try await retryingOnAvailabilityChange {
            try await store.update(
                try await prepareReschedule(
                    appointmentID: appointmentID, to: slotIDs, start: start, end: end, expectedVersion: expectedVersion,
                    details: details), now: clock.now())
        }
    }

    /// The command of ``reschedule(appointmentID:to:start:end:expectedVersion:details:)`` (nothing written).
    public func prepareReschedule(
        appointmentID: String, to slotIDs: [SlotID] = [], start: Date? = nil, end: Date? = nil,
        expectedVersion: Int? = nil, details: (@Sendable (inout Appointment) -> Void)? = nil
    ) async throws -> UpdateCommand {
        let current = try await requireAppointment(appointmentID, expectedVersion: expectedVersion)
        guard current.status.holdsCapacity, !current.status.isFinal else {
            throw BookingError.invalid(
                kind: "reschedule", problems: ["a \(current.status.rawValue) appointment cannot move"])
        }
        var request = request(for: current)
        request.slotIDs = slotIDs
        request.start = start
        request.end = end
        if slotIDs.isEmpty && current.slotIDs.isEmpty { request.scheduleIDs = current.scheduleIDs }
        let plan = try await plan(request)
        var next = current
        if let details { next = try await amended(current, details) }
        next.slotIDs = slotIDs
        next.scheduleIDs = plan.scheduleIDs
        next.start = plan.start
        next.end = plan.end
        next.rescheduleFlag = nil
        next.lastUpdated = clock.now()
        let command = UpdateCommand(
            appointment: next, expectedVersion: current.version,
            action: .move(freedSlots: try await slots(of: current)),
            claims: plan.claims, availabilityVersions: plan.versions,
            outbox: [
                OutboxMessage(
                    kind: "appointment.rescheduled", aggregateID: current.id,
                    payload: [
                        "patient": current.patientID ?? "", "start": String(plan.start.timeIntervalSince1970),
                    ])
            ], waitlistOfferMinutes: configuration.waitlistOfferMinutes)
        return command
    }

    /// Records a participant's answer (an AppointmentResponse). When every required participant of a `proposed`
    /// or `pending` appointment has accepted, it becomes `booked`; from `proposed` that takes the capacity in the
    /// same transaction (a conflict when it is gone, and nothing changes). A decline changes only the participant:
    /// whether to cancel, or to find another participant, is the requester's decision (FHIR R4 leaves it open).
    /// - Parameter expectedVersion: optimistic concurrency; nil to take the current version.
    public func setParticipantStatus(
        appointmentID: String, actor: ParticipantActor, status: ParticipationStatus, expectedVersion: Int? = nil
    ) async throws -> Appointment {
        try await retryingOnAvailabilityChange {
            let current = try await requireAppointment(appointmentID, expectedVersion: expectedVersion)
            guard let index = current.participants.firstIndex(where: { $0.actor == actor }) else {
                throw BookingError.notFound(kind: "participant", id: "\(actor.kind.rawValue)/\(actor.id)")
            }
            guard !current.status.isFinal else {
                throw BookingError.invalid(
                    kind: "participant answer", problems: ["the appointment is \(current.status.rawValue)"])
            }
            var next = current
            next.participants[index].status = status
            next.lastUpdated = clock.now()
            var command = UpdateCommand(appointment: next, expectedVersion: current.version, action: .none)
            let allAccepted = next.participants.filter(\.required).allSatisfy { $0.status == .accepted }
            // A proposal without a time stays proposed: answers alone cannot give it one.
            if allAccepted && (current.status == .proposed || current.status == .pending) && current.timeUnset != true {
                next.status = .booked
                command.appointment = next
                command.outbox = [
                    OutboxMessage(
                        kind: "appointment.status", aggregateID: current.id,
                        payload: [
                            "from": current.status.rawValue, "to": "booked", "patient": current.patientID ?? "",
                        ])
                ]
                if try AppointmentLifecycle.transition(from: current.status, to: .booked) == .claim {
                    let plan = try await plan(request(for: current))
                    command.action = .claim
                    command.claims = plan.claims
                    command.availabilityVersions = plan.versions
                }
            }
            return try await store.update(command, now: clock.now())
        }
    }

    static func noTimeYet(_ a: Appointment) -> BookingError {
        .invalid(
            kind: "booking",
            problems: ["Appointment \(a.id) has no time yet: book it with slots or a start and end ($book)"])
    }

    /// Puts a patient on the waitlist.
    public func joinWaitlist(_ entry: WaitlistEntry) async throws {
        guard entry.earliest < entry.latest else {
            throw BookingError.invalid(kind: "waitlist entry", problems: ["earliest must be before latest"])
        }
        try await store.addWaitlistEntry(entry)
    }

    /// Appointments flagged as needing rescheduling.
    public func appointmentsNeedingReschedule() async throws -> [Appointment] {
        try await store.appointments(AppointmentQuery(needsReschedule: true))
    }

    func request(for a: Appointment) -> BookingRequest {
        var r = BookingRequest(
            slotIDs: a.slotIDs, scheduleIDs: a.slotIDs.isEmpty ? a.scheduleIDs : [],
            start: a.start, end: a.end, participants: a.participants,
            status: a.status, serviceTypes: a.serviceTypes, identifiers: a.identifiers,
            teleconsultation: a.teleconsultation)
        r.unscheduled = a.slotIDs.isEmpty && a.scheduleIDs.isEmpty
        return r
    }

    /// Changes what an appointment says without touching its capacity: priority, description, comment, service
    /// types, specialties, appointment types, identifiers and whether participants are required. A new version
    /// is recorded even when nothing the domain holds changed (a FHIR update is a new version). An identifier
    /// another appointment holds is refused.
    /// - Parameter expectedVersion: optimistic concurrency; nil to take the current version.
    public func amend(
        appointmentID: String, expectedVersion: Int? = nil, _ change: @Sendable (inout Appointment) -> Void
    ) async throws -> Appointment {
        try await store.update(
            try await prepareAmend(appointmentID: appointmentID, expectedVersion: expectedVersion, change),
            now: clock.now())
    }

    /// The command of ``amend(appointmentID:expectedVersion:_:)`` (nothing written).
    public func prepareAmend(
        appointmentID: String, expectedVersion: Int? = nil, _ change: @Sendable (inout Appointment) -> Void
    ) async throws -> UpdateCommand {
        let current = try await requireAppointment(appointmentID, expectedVersion: expectedVersion)
        return UpdateCommand(
            appointment: try await amended(current, change), expectedVersion: current.version, action: .none)
    }

    /// `current` with `change` applied to its descriptive fields only (the rest is kept), checked: an identifier
    /// another appointment holds is refused.
    func amended(_ current: Appointment, _ change: (inout Appointment) -> Void) async throws -> Appointment {
        var next = current
        change(&next)
        next.id = current.id
        next.status = current.status
        next.slotIDs = current.slotIDs
        next.scheduleIDs = current.scheduleIDs
        next.start = current.start
        next.end = current.end
        next.participants =
            zip(current.participants, next.participants).map { old, new in
                var p = old
                p.required = new.actor == old.actor ? new.required : old.required
                return p
            } + current.participants.dropFirst(next.participants.count)
        next.deletedAt = current.deletedAt
        next.created = current.created
        next.cancellationReason = current.cancellationReason
        next.rescheduleFlag = current.rescheduleFlag
        next.version = current.version
        next.lastUpdated = clock.now()
        for i in next.identifiers where !current.identifiers.contains(i) {
            if let other = try await store.appointments(AppointmentQuery(identifier: i)).first, other.id != current.id {
                throw BookingError.invalid(
                    kind: "appointment",
                    problems: ["identifier \(i.system)|\(i.value) belongs to appointment \(other.id)"])
            }
        }
        return next
    }

    /// Deletes an appointment (FHIR delete): it moves to entered-in-error, freeing any capacity it holds, and is
    /// marked deleted, so reads and searches no longer find it while its history stays. Its identifiers and
    /// client request id are released. Deleting a deleted appointment changes nothing.
    /// - Parameter expectedVersion: optimistic concurrency; nil to take the current version.
    @discardableResult
    public func delete(appointmentID: String, expectedVersion: Int? = nil) async throws -> Appointment {
        try await retryingOnAvailabilityChange {
            guard let command = try await prepareDelete(appointmentID: appointmentID, expectedVersion: expectedVersion)
            else { return try await requireAppointment(appointmentID, includingDeleted: true) }
            return try await store.update(command, now: clock.now())
        }
    }

    /// The command of ``delete(appointmentID:expectedVersion:)``; nil when the appointment is already deleted.
    public func prepareDelete(appointmentID: String, expectedVersion: Int? = nil) async throws -> UpdateCommand? {
        let current = try await requireAppointment(
            appointmentID, expectedVersion: expectedVersion, includingDeleted: true)
        if current.deletedAt != nil { return nil }
        var next = current
        next.status = .enteredInError
        next.deletedAt = clock.now()
        next.lastUpdated = clock.now()
        var command = UpdateCommand(
            appointment: next, expectedVersion: current.version, action: .none,
            outbox: [
                OutboxMessage(
                    kind: "appointment.deleted", aggregateID: current.id,
                    payload: ["from": current.status.rawValue, "patient": current.patientID ?? ""])
            ], waitlistOfferMinutes: configuration.waitlistOfferMinutes)
        if current.status.holdsCapacity {
            command.action = .release(freedSlots: try await slots(of: current))
        }
        return command
    }

    /// The expanded slots an appointment holds (for waitlist offers when they are freed).
    func slots(of a: Appointment) async throws -> [Slot] {
        var out: [Slot] = []
        for id in a.slotIDs {
            guard let schedule = try await store.schedule(id: id.scheduleID) else { continue }
            if let s = try await expander(for: schedule).slot(id) { out.append(s) }
        }
        return out
    }
}
