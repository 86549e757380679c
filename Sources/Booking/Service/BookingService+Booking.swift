import Foundation

/// A request to hold or book capacity.
public struct BookingRequest: Sendable {
    /// Full mode: the slots to take (one per schedule for a multi-resource visit).
    public var slotIDs: [SlotID]
    /// Appointments mode, or a flexible slot: the schedules and the exact interval.
    public var scheduleIDs: [String]
    public var start: Date?
    public var end: Date?
    public var participants: [Participant]
    public var status: AppointmentStatus
    public var serviceTypes: [Code]
    public var specialties: [Code]
    public var appointmentTypes: [Code]
    public var priority: Int?
    public var description: String?
    public var comment: String?
    public var identifiers: [BusinessIdentifier]
    public var clientRequestID: String?
    public var teleconsultation: Bool
    /// The e-prescription and priority class, kept on the appointment.
    public var referral: Referral?
    /// A hold to consume (its claims must be exactly this request's).
    public var holdID: String?
    /// The appointment's id when the client chooses it (an update that creates); nil: a new one.
    public var appointmentID: String?
    /// A proposal's requested period (FHIR `requestedPeriod`), kept as its interval while it has no time.
    public var requestedStart: Date?
    public var requestedEnd: Date?
    /// The participants' resources are not scheduled by this gateway (no schedule of theirs): the appointment
    /// is recorded with its interval and takes no capacity. Callers set it only after checking that none of
    /// the participants is a bookable resource, so that scheduled resources are never booked around their rules.
    public var unscheduled = false

    public init(
        slotIDs: [SlotID] = [], scheduleIDs: [String] = [], start: Date? = nil, end: Date? = nil,
        participants: [Participant], status: AppointmentStatus = .booked, serviceTypes: [Code] = [],
        specialties: [Code] = [], appointmentTypes: [Code] = [], priority: Int? = nil, description: String? = nil,
        comment: String? = nil, identifiers: [BusinessIdentifier] = [], clientRequestID: String? = nil,
        teleconsultation: Bool = false, holdID: String? = nil
    ) {
        self.slotIDs = slotIDs
        self.scheduleIDs = scheduleIDs
        self.start = start
        self.end = end
        self.participants = participants
        self.status = status
        self.serviceTypes = serviceTypes
        self.specialties = specialties
        self.appointmentTypes = appointmentTypes
        self.priority = priority
        self.description = description
        self.comment = comment
        self.identifiers = identifiers
        self.clientRequestID = clientRequestID
        self.teleconsultation = teleconsultation
        self.holdID = holdID
    }
}

/// The capacity a request needs, validated against the rules at a known availability version.
struct PlannedClaims {
    var claims: [CapacityClaim]
    var slots: [Slot]
    var scheduleIDs: [String]
    var start: Date
    var end: Date
    var versions: [String: Int]
}

extension BookingService {
    /// Holds capacity for `request` for ``BookingConfiguration/holdMinutes`` (or `minutes`). Repeating a hold
    /// with the same `requestKey` returns the same live hold.
    public func hold(_ request: BookingRequest, requestKey: String? = nil, minutes: Int? = nil) async throws -> Hold {
        try await retryingOnAvailabilityChange {
            let plan = try await plan(request)
            let now = clock.now()
            let hold = Hold(
                id: Self.newID(), claims: plan.claims,
                patientID: request.participants.first { $0.actor.kind == .patient }?.actor.id,
                requestKey: requestKey, createdAt: now,
                expiresAt: now.addingTimeInterval(Double((minutes ?? configuration.holdMinutes) * 60)))
            return try await store.placeHold(hold, now: now)
        }
    }

    /// Releases a hold before it expires.
    public func releaseHold(id: String) async throws {
        try await store.releaseHold(id: id, now: clock.now())
    }

    /// Books `request` atomically. Repeating it with the same client request id or identifier returns the
    /// same appointment (`created` false).
    public func book(_ request: BookingRequest) async throws -> (appointment: Appointment, created: Bool) {
        try await retryingOnAvailabilityChange {
            try await store.book(try await prepareBooking(request), now: clock.now())
        }
    }

    /// The command that books `request` (validated and planned, nothing written): for ``book(_:attached:)``.
    public func prepareBooking(_ request: BookingRequest) async throws -> BookCommand {
        if request.status == .proposed || request.status == .waitlist { return try await prepareProposal(request) }
        guard request.status.holdsCapacity else {
            throw BookingError.invalid(
                kind: "booking", problems: ["a booking is pending or booked, not \(request.status.rawValue)"])
        }
        let plan = try await plan(request)
        let now = clock.now()
        var appointment = Appointment(
            id: request.appointmentID ?? Self.newID(), status: request.status, slotIDs: request.slotIDs,
            scheduleIDs: plan.scheduleIDs,
            start: plan.start, end: plan.end, participants: request.participants,
            serviceTypes: request.serviceTypes.isEmpty
                ? Array(Set(plan.slots.flatMap(\.serviceTypes))) : request.serviceTypes,
            specialties: request.specialties, appointmentTypes: request.appointmentTypes,
            priority: request.priority,
            description: request.description, comment: request.comment, identifiers: request.identifiers,
            clientRequestID: request.clientRequestID, teleconsultation: request.teleconsultation, created: now,
            lastUpdated: now)
        appointment.referral = request.referral
        return BookCommand(
            appointment: appointment, claims: plan.claims, holdID: request.holdID,
            availabilityVersions: plan.versions,
            outbox: [
                OutboxMessage(
                    kind: "appointment.booked", aggregateID: appointment.id,
                    payload: ["patient": appointment.patientID ?? "", "status": appointment.status.rawValue])
            ])
    }

    /// A proposal or waitlist request: recorded without taking capacity. Its slots (which must exist) give its
    /// time; without slots, `start` and `end` when given; otherwise it has no time yet (``Appointment/timeUnset``)
    /// and `requestedStart`/`requestedEnd` (or now) fill the interval. Accepting it later takes the capacity of its
    /// slots or interval; one without a time is booked by giving it one.
    func prepareProposal(_ request: BookingRequest) async throws -> BookCommand {
        let now = clock.now()
        var slots: [Slot] = []
        for id in request.slotIDs {
            guard let s = try await slot(id) else { throw BookingError.slotNotFound(id) }
            slots.append(s)
        }
        var start = request.start ?? slots.map(\.start).min()
        var end = request.end ?? slots.map(\.end).max()
        let timeUnset = start == nil || end == nil
        if timeUnset {
            start = request.requestedStart ?? now
            end = request.requestedEnd ?? start
        }
        guard let start, let end, start <= end else {
            throw BookingError.invalid(kind: "proposal", problems: ["the end comes before the start"])
        }
        var appointment = Appointment(
            id: request.appointmentID ?? Self.newID(), status: request.status, slotIDs: request.slotIDs,
            scheduleIDs: Array(Set(request.slotIDs.map(\.scheduleID) + request.scheduleIDs)).sorted(), start: start,
            end: end, participants: request.participants, serviceTypes: request.serviceTypes,
            specialties: request.specialties, appointmentTypes: request.appointmentTypes, priority: request.priority,
            description: request.description, comment: request.comment, identifiers: request.identifiers,
            clientRequestID: request.clientRequestID, teleconsultation: request.teleconsultation, created: now,
            lastUpdated: now)
        appointment.referral = request.referral
        appointment.timeUnset = timeUnset ? true : nil
        return BookCommand(
            appointment: appointment, claims: [], holdID: nil, availabilityVersions: [:],
            outbox: [
                OutboxMessage(
                    kind: "appointment.proposed", aggregateID: appointment.id,
                    payload: ["patient": appointment.patientID ?? "", "status": appointment.status.rawValue])
            ])
    }

    /// ``commit(_:attached:)`` of the steps `prepare` gives, prepared again when the availability changed meanwhile.
    public func commit(
        preparing prepare: () async throws -> [StoreStep], attached: any AttachedWork
    ) async throws -> (results: [(appointment: Appointment, created: Bool)], attached: any Sendable) {
        try await retryingOnAvailabilityChange {
            try await store.commit(try await prepare(), now: clock.now(), attached: attached)
        }
    }

    /// Applies prepared bookings and changes together with another store's `attached` writes in one transaction
    /// (a FHIR transaction Bundle): all or nothing. A rule change or a concurrent write since preparing fails it.
    public func commit(_ steps: [StoreStep], attached: any AttachedWork) async throws
        -> (results: [(appointment: Appointment, created: Bool)], attached: any Sendable)
    {
        try await store.commit(steps, now: clock.now(), attached: attached)
    }

    /// Validates a request against rules, exceptions, notice, horizon, services and teleconsultation, and
    /// returns the claims the store must take.
    func plan(_ request: BookingRequest) async throws -> PlannedClaims {
        let now = clock.now()
        if !request.slotIDs.isEmpty {
            return try await planSlots(request, now: now)
        }
        if request.unscheduled && request.scheduleIDs.isEmpty {
            guard let start = request.start, let end = request.end, start < end else {
                throw BookingError.invalid(kind: "booking", problems: ["give a start before an end"])
            }
            let versions: [String: Int] = [:]
            return PlannedClaims(claims: [], slots: [], scheduleIDs: [], start: start, end: end, versions: versions)
        }
        guard !request.scheduleIDs.isEmpty, let start = request.start, let end = request.end, start < end else {
            throw BookingError.invalid(
                kind: "booking", problems: ["give slots, or schedules with a start before an end"])
        }
        let versions = try await store.availabilityVersions(scheduleIDs: request.scheduleIDs)
        var claims: [CapacityClaim] = []
        for id in request.scheduleIDs {
            let schedule = try await requireSchedule(id)
            guard schedule.active else {
                throw BookingError.invalid(kind: "booking", problems: ["schedule \(id) is inactive"])
            }
            guard schedule.effectiveMode(default: configuration.defaultMode) == .appointments else {
                throw BookingError.wrongMode(scheduleID: id, mode: .full)
            }
            try checkSharing(schedule, start: start, request: request, now: now)
            let expander = try await expander(for: schedule)
            let zone = expander.zone
            if let c = expander.closureIntervals(from: zone.local(start).date, through: zone.local(end).date)
                .first(where: { $0.start < end && $0.end > start })
            {
                throw BookingError.notOffered("schedule \(id) is closed then (\(c.id))")
            }
            claims.append(
                .interval(
                    scheduleID: id, resourceIDs: schedule.resourceIDs, start: start, end: end, capacity: 1,
                    allowOverlap: schedule.allowsOverbooking))
        }
        return PlannedClaims(
            claims: claims, slots: [], scheduleIDs: request.scheduleIDs, start: start, end: end, versions: versions)
    }

    /// An exclusive CUP share keeps local bookings out until the release time.
    func checkSharing(_ schedule: Schedule, start: Date, request: BookingRequest, now: Date) throws(BookingError) {
        guard let sharing = schedule.sharing, !sharing.isCUPBooking(request.identifiers),
            let release = sharing.localRelease(slotStart: start), now < release
        else { return }
        throw BookingError.notOffered(
            "schedule \(schedule.id) is reserved for the CUP until \(release.formatted(.iso8601)) "
                + "(\(sharing.releaseHours) h before the start)")
    }

    func planSlots(_ request: BookingRequest, now: Date) async throws -> PlannedClaims {
        let scheduleIDs = Array(Set(request.slotIDs.map(\.scheduleID))).sorted()
        guard scheduleIDs.count == request.slotIDs.count else {
            throw BookingError.invalid(kind: "booking", problems: ["at most one slot per schedule"])
        }
        // Versions first: a rule change after this point makes the store refuse, and the request is re-planned.
        let versions = try await store.availabilityVersions(scheduleIDs: scheduleIDs)
        var claims: [CapacityClaim] = []
        var slots: [Slot] = []
        var spans: [(start: Date, end: Date)] = []
        for slotID in request.slotIDs {
            guard let schedule = try await store.schedule(id: slotID.scheduleID) else {
                throw BookingError.slotNotFound(slotID)
            }
            guard schedule.active else { throw BookingError.slotUnavailable(slotID, .closed) }
            guard schedule.effectiveMode(default: configuration.defaultMode) == .full else {
                throw BookingError.wrongMode(scheduleID: schedule.id, mode: .appointments)
            }
            let expander = try await expander(for: schedule)
            guard let slot = expander.slot(slotID) else { throw BookingError.slotNotFound(slotID) }
            if slot.unavailableReason == .closed { throw BookingError.slotUnavailable(slotID, .closed) }
            let rule = ruleIndex(expander)[slot.ruleID]
            if slot.start <= now { throw BookingError.slotUnavailable(slotID, .past) }
            if let rule, slot.start.timeIntervalSince(now) < Double(rule.minimumNoticeMinutes * 60) {
                throw BookingError.slotUnavailable(slotID, .tooSoon)
            }
            if let h = rule?.horizonDays, slot.start.timeIntervalSince(now) > Double(h * 86400) {
                throw BookingError.slotUnavailable(slotID, .beyondHorizon)
            }
            try checkSharing(schedule, start: slot.start, request: request, now: now)
            if !slot.teleconsultation.permits(teleconsultation: request.teleconsultation) {
                throw BookingError.notOffered(
                    request.teleconsultation
                        ? "slot \(slotID) is in person only" : "slot \(slotID) is for teleconsultation only")
            }
            for wanted in request.serviceTypes
            where !slot.serviceTypes.isEmpty && !slot.serviceTypes.contains(where: { $0.matches(wanted) }) {
                throw BookingError.notOffered("slot \(slotID) does not offer service \(wanted.code)")
            }
            let limit = rule?.maxBookingsPerDay.map {
                DailyLimit(date: expander.zone.local(slot.start).date, limit: $0)
            }
            if let range = slot.flexibleMinutes {
                let start = request.start ?? slot.start
                let end = request.end ?? start.addingTimeInterval(Double(range.lowerBound * 60))
                let minutes = Int(end.timeIntervalSince(start) / 60)
                guard start >= slot.start, end <= slot.end, range.contains(minutes) else {
                    throw BookingError.invalid(
                        kind: "booking",
                        problems: ["a flexible booking lasts \(range) minutes inside \(slotID)'s opening"])
                }
                claims.append(
                    .interval(
                        scheduleID: schedule.id, resourceIDs: schedule.resourceIDs, start: start, end: end,
                        capacity: slot.capacity, allowOverlap: false))
                slots.append(slot)
                spans.append((start, end))
            } else {
                claims.append(.slot(slotID, end: slot.end, capacity: slot.capacity, dailyLimit: limit))
                slots.append(slot)
                spans.append((slot.start, slot.end))
            }
        }
        return PlannedClaims(
            claims: claims, slots: slots, scheduleIDs: scheduleIDs, start: spans.map(\.start).min()!,
            end: spans.map(\.end).max()!, versions: versions)
    }
}
