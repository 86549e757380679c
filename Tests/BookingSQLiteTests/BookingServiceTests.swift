import Booking
import BookingSQLite
import BookingTestSupport
import Foundation
import Testing

/// The booking domain end to end on the SQLite store.
@Suite("Booking on SQLite")
struct BookingServiceTests {
    @Test("a slot of capacity 3 takes three bookings, the fourth is a conflict; listing shows partial capacity")
    func capacityAboveOne() async throws {
        let f = try StoreFixture()
        try await f.seedClinic(capacity: 3)
        let id = f.slot("dr-rossi", "2025-06-03T09:00:00+02:00")
        for p in 1...3 { _ = try await f.service.book(f.request([id], patient: "p\(p)")) }
        let partial = try #require(try await f.service.slot(id))
        #expect(partial.booked == 3 && partial.status == .busy)
        await #expect(throws: BookingError.slotFull(id)) { try await f.service.book(f.request([id], patient: "p4")) }
        let listed = try await f.service.slots(
            scheduleID: "dr-rossi", from: instant("2025-06-03T00:00:00+02:00"), to: instant("2025-06-04T00:00:00+02:00")
        )
        #expect(listed.count == 8)
        #expect(listed.first?.id == id && listed.first?.booked == 3)
        #expect(try await f.store.consistencyProblems(now: f.clock.now()).isEmpty)
    }

    @Test("minimum notice and horizon make slots unavailable and refuse bookings")
    func noticeAndHorizon() async throws {
        let f = try StoreFixture(now: "2025-06-02T08:00:00+02:00")
        try await f.seedClinic(notice: 120, horizon: 7)
        let tooSoon = f.slot("dr-rossi", "2025-06-02T09:30:00+02:00")
        let fine = f.slot("dr-rossi", "2025-06-02T10:00:00+02:00")
        let tooFar = f.slot("dr-rossi", "2025-06-10T09:00:00+02:00")
        #expect(try await f.service.slot(tooSoon)?.unavailableReason == .tooSoon)
        #expect(try await f.service.slot(fine)?.status == .free)
        #expect(try await f.service.slot(tooFar)?.unavailableReason == .beyondHorizon)
        await #expect(throws: BookingError.slotUnavailable(tooSoon, .tooSoon)) {
            try await f.service.book(f.request([tooSoon]))
        }
        await #expect(throws: BookingError.slotUnavailable(tooFar, .beyondHorizon)) {
            try await f.service.book(f.request([tooFar]))
        }
        _ = try await f.service.book(f.request([fine]))
    }

    @Test("repeating a booking with the same client id or identifier returns the same appointment")
    func idempotent() async throws {
        let f = try StoreFixture()
        try await f.seedClinic(capacity: 3)
        let id = f.slot("dr-rossi", "2025-06-03T09:00:00+02:00")
        let first = try await f.service.book(f.request([id], key: "req-1"))
        let again = try await f.service.book(f.request([id], key: "req-1"))
        #expect(first.created && !again.created)
        #expect(first.appointment.id == again.appointment.id)
        var byIdentifier = f.request([id], patient: "p2")
        byIdentifier.identifiers = [BusinessIdentifier(system: "urn:cup", value: "N-1")]
        let a = try await f.service.book(byIdentifier)
        let b = try await f.service.book(byIdentifier)
        #expect(a.appointment.id == b.appointment.id && !b.created)
        #expect(try await f.service.slot(id)?.booked == 2)

        // A deleted appointment releases its client request id and identifiers: a retry books anew.
        _ = try await f.service.delete(appointmentID: first.appointment.id)
        // No command acts on a deleted appointment; deleting it again is a no-op.
        await #expect(throws: BookingError.notFound(kind: "Appointment", id: first.appointment.id)) {
            try await f.service.changeStatus(appointmentID: first.appointment.id, to: .cancelled)
        }
        #expect(try await f.service.delete(appointmentID: first.appointment.id).deletedAt != nil)
        let retried = try await f.service.book(f.request([id], key: "req-1"))
        #expect(retried.created && retried.appointment.id != first.appointment.id)
    }

    @Test("a hold takes capacity until it expires; booking with its token succeeds; after expiry it fails")
    func holds() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        let id = f.slot("dr-rossi", "2025-06-03T09:00:00+02:00")
        let hold = try await f.service.hold(f.request([id]), requestKey: "h-1")
        #expect(try await f.service.slot(id)?.status == .busy)
        await #expect(throws: BookingError.slotFull(id)) { try await f.service.book(f.request([id], patient: "p2")) }
        let repeated = try await f.service.hold(f.request([id]), requestKey: "h-1")
        #expect(repeated.id == hold.id)
        var withToken = f.request([id])
        withToken.holdID = hold.id
        let booked = try await f.service.book(withToken)
        #expect(booked.created && booked.appointment.status == .booked)
        #expect(try await f.service.slot(id)?.booked == 1)

        let other = f.slot("dr-rossi", "2025-06-03T09:30:00+02:00")
        let expiring = try await f.service.hold(f.request([other]))
        f.clock.advance(minutes: 6)
        #expect(try await f.service.slot(other)?.status == .free)
        var late = f.request([other])
        late.holdID = expiring.id
        await #expect(throws: BookingError.holdExpired(expiring.id)) { try await f.service.book(late) }
        _ = try await f.service.book(f.request([other], patient: "p3"))
        #expect(try await f.store.consistencyProblems(now: f.clock.now()).isEmpty)
    }

    @Test("a sick leave cutting through bookings flags every affected appointment, deletes none")
    func sickLeaveFlags() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        var booked: [Appointment] = []
        for (i, t) in [
            "2025-06-03T09:00:00+02:00", "2025-06-04T11:00:00+02:00", "2025-06-05T10:00:00+02:00",
            "2025-06-09T09:00:00+02:00",
        ].enumerated() {
            booked.append(try await f.service.book(f.request([f.slot("dr-rossi", t)], patient: "p\(i)")).appointment)
        }
        let leave = AvailabilityException(
            id: "sick-1", scope: .resource("rossi"), effect: .closure(.sickLeave),
            span: .period(start: instant("2025-06-04T10:30:00+02:00"), end: instant("2025-06-06T00:00:00+02:00")))
        let flagged = try await f.service.saveException(leave)
        #expect(Set(flagged.map(\.id)) == [booked[1].id, booked[2].id])
        let listed = try await f.service.appointmentsNeedingReschedule()
        #expect(Set(listed.map(\.id)) == [booked[1].id, booked[2].id])
        #expect(listed.allSatisfy { $0.rescheduleFlag?.causeID == "sick-1" && $0.status == .booked })
        #expect(try await f.store.appointments(AppointmentQuery()).count == 4)
        let outbox = try await f.store.pendingOutbox(limit: 100).filter {
            $0.message.kind == "appointment.needs-reschedule"
        }
        #expect(outbox.count == 2)
        #expect(try await f.store.pendingRechecks().isEmpty)
        // Deleting the rule flags the rest.
        let more = try await f.service.deleteRule(id: "rossi-mornings")
        #expect(Set(more.map(\.id)) == [booked[0].id, booked[3].id])
    }

    @Test("a multi-resource booking takes the clinician and the room together, or neither")
    func multiResource() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        let doctor = f.slot("dr-rossi", "2025-06-03T10:00:00+02:00")
        let room = f.slot("room-1", "2025-06-03T10:00:00+02:00")
        _ = try await f.service.book(f.request([room], patient: "other"))
        await #expect(throws: BookingError.slotFull(room)) { try await f.service.book(f.request([doctor, room])) }
        #expect(try await f.service.slot(doctor)?.booked == 0)
        let laterDoctor = f.slot("dr-rossi", "2025-06-03T11:00:00+02:00")
        let laterRoom = f.slot("room-1", "2025-06-03T11:00:00+02:00")
        let both = try await f.service.book(f.request([laterDoctor, laterRoom]))
        #expect(Set(both.appointment.scheduleIDs) == ["dr-rossi", "room-1"])
        let doctorUsage = try await f.service.slot(laterDoctor)?.booked
        let roomUsage = try await f.service.slot(laterRoom)?.booked
        #expect(doctorUsage == 1 && roomUsage == 1)
    }

    @Test("cancelling frees capacity and offers it to the first matching waiting patient first")
    func waitlist() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        let id = f.slot("dr-rossi", "2025-06-03T09:00:00+02:00")
        let a = try await f.service.book(f.request([id])).appointment
        try await f.service.joinWaitlist(
            WaitlistEntry(
                id: "w1", patientID: "waiting", serviceTypes: [StoreFixture.visit],
                earliest: instant("2025-06-03T00:00:00Z"),
                latest: instant("2025-06-04T00:00:00Z"), createdAt: f.clock.now()))
        let cancelled = try await f.service.cancel(appointmentID: a.id, reason: "patient request")
        #expect(cancelled.status == .cancelled && cancelled.cancellationReason == "patient request")
        #expect(try await f.service.slot(id)?.status == .busy)  // held for the waiting patient
        let entry = try #require(try await f.store.waitlist().first)
        #expect(entry.status == .offered)
        var take = f.request([id], patient: "waiting")
        take.holdID = entry.offeredHoldID
        _ = try await f.service.book(take)
        #expect(try await f.store.waitlist().first?.status == .fulfilled)
        #expect(try await f.store.consistencyProblems(now: f.clock.now()).isEmpty)
    }

    @Test("reschedule moves atomically, keeps identity and history; to a taken slot nothing changes")
    func reschedule() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        let from = f.slot("dr-rossi", "2025-06-03T09:00:00+02:00")
        let taken = f.slot("dr-rossi", "2025-06-03T09:30:00+02:00")
        let free = f.slot("dr-rossi", "2025-06-03T10:00:00+02:00")
        let a = try await f.service.book(f.request([from])).appointment
        _ = try await f.service.book(f.request([taken], patient: "p2"))
        await #expect(throws: BookingError.slotFull(taken)) {
            try await f.service.reschedule(appointmentID: a.id, to: [taken])
        }
        #expect(try await f.store.appointment(id: a.id) == a)
        #expect(try await f.service.slot(from)?.booked == 1)
        let moved = try await f.service.reschedule(appointmentID: a.id, to: [free])
        #expect(moved.id == a.id && moved.version == 2 && moved.slotIDs == [free])
        let oldUsage = try await f.service.slot(from)?.booked
        let newUsage = try await f.service.slot(free)?.booked
        #expect(oldUsage == 0 && newUsage == 1)
        #expect(try await f.store.history(appointmentID: a.id).map(\.slotIDs) == [[from], [free]])
        await #expect(throws: BookingError.versionConflict(expected: 1, actual: 2)) {
            try await f.service.cancel(appointmentID: a.id, reason: nil, expectedVersion: 1)
        }
    }

    @Test("appointments mode: no slots, overlaps for a resource refused unless overbooking is allowed")
    func appointmentsMode() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        let start = instant("2025-06-03T15:00:00+02:00")
        var r = BookingRequest(
            scheduleIDs: ["nurse"], start: start, end: start.addingTimeInterval(1800),
            participants: [StoreFixture.patient])
        _ = try await f.service.book(r)
        r.start = start.addingTimeInterval(900)
        r.end = start.addingTimeInterval(2700)
        await #expect(throws: BookingError.overlap(resourceID: "nurse")) { try await f.service.book(r) }
        try await f.service.saveSchedule(
            Schedule(
                id: "nurse", resourceIDs: ["nurse"], mode: .appointments, timeZone: "Europe/Rome",
                allowsOverbooking: true))
        _ = try await f.service.book(r)
        await #expect(throws: BookingError.wrongMode(scheduleID: "nurse", mode: .appointments)) {
            try await f.service.slots(scheduleID: "nurse", from: start, to: start.addingTimeInterval(3600))
        }
    }

    @Test("a daily booking limit per schedule is enforced")
    func dailyLimit() async throws {
        let f = try StoreFixture()
        try await f.seedClinic(dailyLimit: 2)
        _ = try await f.service.book(f.request([f.slot("dr-rossi", "2025-06-03T09:00:00+02:00")], patient: "a"))
        _ = try await f.service.book(f.request([f.slot("dr-rossi", "2025-06-03T09:30:00+02:00")], patient: "b"))
        let third = f.slot("dr-rossi", "2025-06-03T10:00:00+02:00")
        #expect(try await f.service.slot(third)?.unavailableReason == .dailyLimitReached)
        await #expect(throws: BookingError.dailyLimitReached(scheduleID: "dr-rossi", date: LocalDate(2025, 6, 3))) {
            try await f.service.book(f.request([third], patient: "c"))
        }
        _ = try await f.service.book(f.request([f.slot("dr-rossi", "2025-06-04T10:00:00+02:00")], patient: "c"))
    }

    @Test("lifecycle through the store: noshow frees, rebooking from waitlist claims, forbidden moves refused")
    func lifecycle() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        let id = f.slot("dr-rossi", "2025-06-03T09:00:00+02:00")
        let a = try await f.service.book(f.request([id])).appointment
        _ = try await f.service.changeStatus(appointmentID: a.id, to: .checkedIn)
        await #expect(throws: BookingError.invalidTransition(from: .checkedIn, to: .booked)) {
            try await f.service.changeStatus(appointmentID: a.id, to: .booked)
        }
        _ = try await f.service.changeStatus(appointmentID: a.id, to: .arrived)
        let done = try await f.service.changeStatus(appointmentID: a.id, to: .fulfilled)
        #expect(done.version == 4)
        #expect(try await f.service.slot(id)?.booked == 1)
        let b = try await f.service.book(f.request([f.slot("dr-rossi", "2025-06-03T09:30:00+02:00")], patient: "p2"))
            .appointment
        _ = try await f.service.changeStatus(appointmentID: b.id, to: .noshow)
        #expect(try await f.service.slot(f.slot("dr-rossi", "2025-06-03T09:30:00+02:00"))?.booked == 0)
    }

    @Test("teleconsultation and service type must be offered by the slot")
    func offered() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        var r = f.request([f.slot("room-1", "2025-06-03T09:00:00+02:00")])
        r.teleconsultation = true
        await #expect(throws: BookingError.self) { try await f.service.book(r) }
        var s = f.request([f.slot("dr-rossi", "2025-06-03T09:00:00+02:00")])
        s.serviceTypes = [Code(system: "urn:test:service", code: "surgery")]
        await #expect(throws: BookingError.self) { try await f.service.book(s) }
        let found = try await f.service.findSlots(
            SlotQuery(
                from: instant("2025-06-03T00:00:00+02:00"), to: instant("2025-06-04T00:00:00+02:00"),
                serviceType: StoreFixture.vaccination))
        #expect(found.count == 8 && found.allSatisfy { $0.scheduleID == "dr-rossi" })
    }
}

@Suite("SQLite store caches")
struct StoreCacheTests {
    @Test("a schedule changed through another store on the same file is read fresh, not from the cache")
    func scheduleCacheFollowsOtherProcesses() async throws {
        let f = try StoreFixture()
        try await f.seedClinic()
        let reader = f.store
        #expect(try await reader.schedule(id: "dr-rossi")?.comment == nil)
        let other = try SQLiteBookingStore(path: f.path)
        var changed = try #require(try await other.schedule(id: "dr-rossi"))
        changed.comment = "closed on Fridays"
        try await other.upsertSchedule(changed)
        #expect(try await reader.schedule(id: "dr-rossi")?.comment == "closed on Fridays")
        let (schedule, version) = try #require(try await reader.scheduleAndVersion(id: "dr-rossi"))
        #expect(schedule.comment == "closed on Fridays")
        #expect(try await reader.availabilityVersions(scheduleIDs: ["dr-rossi"])["dr-rossi"] == version)
        #expect(try await reader.schedules().first { $0.id == "dr-rossi" }?.comment == "closed on Fridays")
    }
}
