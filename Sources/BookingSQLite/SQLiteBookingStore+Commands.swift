import Booking
import Foundation
import GRDB

extension SQLiteBookingStore {
    public func placeHold(_ hold: Hold, now: Date) async throws -> Hold {
        let json: String = try await pool.write { db in
            try self.sweepExpiredHolds(db, now: now)
            if let key = hold.requestKey,
                let existing = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT json FROM hold WHERE request_key = ? AND status = 'active'"),
                    arguments: [key])
            {
                return existing
            }
            try self.takeClaims(db, hold.claims, owner: .hold(hold.id))
            try self.insertHold(db, hold)
            return try self.encode(hold)
        }
        return try decode(Hold.self, json)
    }

    public func releaseHold(id: String, now: Date) async throws {
        try await pool.write { db in
            try self.sweepExpiredHolds(db, now: now)
            guard
                let json = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT json FROM hold WHERE id = ?"), arguments: [id])
            else {
                throw BookingError.holdNotFound(id)
            }
            var hold = try self.decode(Hold.self, json)
            guard hold.status == .active else { return }
            try self.releaseClaims(db, owner: .hold(id))
            hold.status = .released
            try db.cachedStatement(sql: "UPDATE hold SET status = 'released', json = ? WHERE id = ?").execute(
                arguments: [try self.encode(hold), id])
        }
    }

    public func hold(id: String) async throws -> Hold? {
        let json = try readNow { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT json FROM hold WHERE id = ?"), arguments: [id])
        }
        return try json.map { try decode(Hold.self, $0) }
    }

    public func book(_ command: BookCommand, now: Date) async throws -> (appointment: Appointment, created: Bool) {
        // Encoded before the transaction: the writer's critical section runs SQL only.
        let json = try encode(command.appointment)
        let existing: String? = try await pool.write { db in
            try self.sweepExpiredHolds(db, now: now)
            return try self.book(db, command, json: json, now: now)
        }
        guard let existing else { return (command.appointment, true) }
        return (try decode(Appointment.self, existing), false)
    }

    public func commit(_ steps: [StoreStep], now: Date, attached: any AttachedWork) async throws
        -> (results: [(appointment: Appointment, created: Bool)], attached: any Sendable)
    {
        let jsons: [String?] = try steps.map { step in
            if case .book(let c) = step { return try encode(c.appointment) }
            return nil
        }
        return try await pool.write { db in
            try self.sweepExpiredHolds(db, now: now)
            var results: [(appointment: Appointment, created: Bool)] = []
            for (step, json) in zip(steps, jsons) {
                switch step {
                case .book(let command):
                    if let existing = try self.book(db, command, json: json ?? "", now: now) {
                        results.append((try self.decode(Appointment.self, existing), false))
                    } else {
                        results.append((command.appointment, true))
                    }
                case .update(let command):
                    results.append((try self.update(db, command, now: now), false))
                }
            }
            let result = try attached.apply(in: SQLiteStoreTransaction(database: db), results: results)
            return (results, result)
        }
    }

    /// One booking inside a write transaction: the existing appointment's JSON for an idempotent repeat, nil
    /// when booked.
    func book(_ db: Database, _ command: BookCommand, json: String, now: Date) throws -> String? {
        let a = command.appointment
        if let key = a.clientRequestID,
            let existing = try String.fetchOne(
                db.cachedStatement(sql: "SELECT json FROM appointment WHERE client_request_id = ?"),
                arguments: [key])
        {
            return existing
        }
        for identifier in a.identifiers {
            if let existing = try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT a.json FROM appointment_identifier i JOIN appointment a ON a.id = i.appointment_id
                        WHERE i.system = ? AND i.value = ?
                        """), arguments: [identifier.system, identifier.value])
            {
                return existing
            }
        }
        if try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM appointment WHERE id = ?"), arguments: [a.id]) == true
        {
            throw BookingError.invalid(
                kind: "appointment", problems: ["id \(a.id) is taken (a deleted appointment keeps its history)"])
        }
        try self.checkVersions(db, command.availabilityVersions)
        if let holdID = command.holdID {
            guard
                let holdJSON = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT json FROM hold WHERE id = ?"), arguments: [holdID])
            else { throw BookingError.holdNotFound(holdID) }
            var hold = try self.decode(Hold.self, holdJSON)
            if hold.status == .expired || (hold.status == .active && hold.expiresAt <= now) {
                throw BookingError.holdExpired(holdID)
            }
            guard hold.status == .active else { throw BookingError.holdNotFound(holdID) }
            guard Set(hold.claims) == Set(command.claims) else { throw BookingError.holdMismatch(holdID) }
            try db.execute(
                sql:
                    "UPDATE claim SET owner_kind = 'appointment', owner_id = ? WHERE owner_kind = 'hold' AND owner_id = ? AND active = 1",
                arguments: [a.id, holdID])
            hold.status = .consumed
            try db.cachedStatement(sql: "UPDATE hold SET status = 'consumed', json = ? WHERE id = ?").execute(
                arguments: [try self.encode(hold), holdID])
            if let entryID = hold.waitlistEntryID {
                try self.updateWaitlistEntry(db, id: entryID) { $0.status = .fulfilled }
            }
        } else {
            try self.takeClaims(db, command.claims, owner: .appointment(a.id))
        }
        try self.insertAppointment(db, a, json: json, now: now)
        try self.enqueue(db, command.outbox, now: now)
        return nil
    }

    public func update(_ command: UpdateCommand, now: Date) async throws -> Appointment {
        try await pool.write { db in
            try self.sweepExpiredHolds(db, now: now)
            return try self.update(db, command, now: now)
        }
    }

    /// One update inside a write transaction; the appointment as written.
    func update(_ db: Database, _ command: UpdateCommand, now: Date) throws -> Appointment {
        var a = command.appointment
        guard
            let current = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT version FROM appointment WHERE id = ?"), arguments: [a.id])
        else { throw BookingError.notFound(kind: "Appointment", id: a.id) }
        guard current == command.expectedVersion else {
            throw BookingError.versionConflict(expected: command.expectedVersion, actual: current)
        }
        try self.checkVersions(db, command.availabilityVersions)
        switch command.action {
        case .none:
            break
        case .release(let freed):
            try self.releaseClaims(db, owner: .appointment(a.id))
            try self.offerToWaitlist(db, freed: freed, now: now, offerMinutes: command.waitlistOfferMinutes)
        case .claim:
            try self.takeClaims(db, command.claims, owner: .appointment(a.id))
        case .move(let freed):
            try self.releaseClaims(db, owner: .appointment(a.id))
            try self.takeClaims(db, command.claims, owner: .appointment(a.id))
            let kept = Set(a.slotIDs)
            try self.offerToWaitlist(
                db, freed: freed.filter { !kept.contains($0.id) }, now: now,
                offerMinutes: command.waitlistOfferMinutes)
        }
        a.version = current + 1
        try self.writeAppointment(db, a, now: now)
        try self.enqueue(db, command.outbox, now: now)
        return a
    }

    public func flag(_ flags: [String: RescheduleFlag], recheckedVersions: [String: Int], outbox: [OutboxMessage])
        async throws
    {
        try await pool.write { db in
            for (id, flag) in flags.sorted(by: { $0.key < $1.key }) {
                guard
                    let json = try String.fetchOne(
                        db.cachedStatement(sql: "SELECT json FROM appointment WHERE id = ?"), arguments: [id])
                else { continue }
                var a = try self.decode(Appointment.self, json)
                guard a.status.holdsCapacity, a.rescheduleFlag == nil else { continue }
                a.rescheduleFlag = flag
                a.version += 1
                a.lastUpdated = flag.flaggedAt
                try self.writeAppointment(db, a, now: flag.flaggedAt)
            }
            for (scheduleID, version) in recheckedVersions {
                try db.cachedStatement(
                    sql: "UPDATE schedule SET recheck_pending = 0 WHERE id = ? AND availability_version = ?"
                ).execute(arguments: [scheduleID, version])
            }
            try self.enqueue(db, outbox, now: Date())
        }
    }

    public func addWaitlistEntry(_ entry: WaitlistEntry) async throws {
        let json = try encode(entry)
        try await pool.write { db in
            try db.cachedStatement(sql: "INSERT INTO waitlist_entry (id, status, created_at, json) VALUES (?, ?, ?, ?)")
                .execute(arguments: [entry.id, entry.status.rawValue, entry.createdAt.timeIntervalSince1970, json])
        }
    }

    func insertAppointment(_ db: Database, _ a: Appointment, json: String, now: Date) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO appointment (id, version, status, start, "end", patient_id, needs_reschedule,
                    client_request_id, created, last_updated, json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            a.id, a.version, a.status.rawValue, a.start.timeIntervalSince1970, a.end.timeIntervalSince1970,
            a.patientID, a.rescheduleFlag == nil ? 0 : 1, a.clientRequestID, a.created.timeIntervalSince1970,
            a.lastUpdated.timeIntervalSince1970, json,
        ])
        try writeLinks(db, a)
        try db.cachedStatement(
            sql: "INSERT INTO appointment_version (appointment_id, version, recorded_at, json) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [a.id, a.version, a.lastUpdated.timeIntervalSince1970, json])
    }

    func writeAppointment(_ db: Database, _ a: Appointment, now: Date) throws {
        let json = try encode(a)
        try db.cachedStatement(
            sql: """
                UPDATE appointment SET version = ?, status = ?, start = ?, "end" = ?, patient_id = ?,
                    needs_reschedule = ?, last_updated = ?, json = ? WHERE id = ?
                """
        ).execute(arguments: [
            a.version, a.status.rawValue, a.start.timeIntervalSince1970, a.end.timeIntervalSince1970, a.patientID,
            a.rescheduleFlag == nil ? 0 : 1, a.lastUpdated.timeIntervalSince1970, json, a.id,
        ])
        // A deleted appointment releases its client request id (a retry with it books anew).
        if a.deletedAt != nil {
            try db.cachedStatement(sql: "UPDATE appointment SET client_request_id = NULL WHERE id = ?")
                .execute(arguments: [a.id])
        }
        try writeLinks(db, a)
        try db.cachedStatement(
            sql: "INSERT INTO appointment_version (appointment_id, version, recorded_at, json) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [a.id, a.version, a.lastUpdated.timeIntervalSince1970, json])
    }

    func writeLinks(_ db: Database, _ a: Appointment) throws {
        try db.cachedStatement(sql: "DELETE FROM appointment_schedule WHERE appointment_id = ?").execute(arguments: [
            a.id
        ])
        for s in Set(a.scheduleIDs) {
            try db.cachedStatement(sql: "INSERT INTO appointment_schedule (appointment_id, schedule_id) VALUES (?, ?)")
                .execute(arguments: [a.id, s])
        }
        try db.cachedStatement(sql: "DELETE FROM appointment_identifier WHERE appointment_id = ?").execute(arguments: [
            a.id
        ])
        for i in a.identifiers where a.deletedAt == nil {
            try db.cachedStatement(
                sql: "INSERT INTO appointment_identifier (system, value, appointment_id) VALUES (?, ?, ?)"
            ).execute(arguments: [i.system, i.value, a.id])
        }
    }
}

/// The SQLite store's transaction handle: the GRDB connection inside `pool.write`.
struct SQLiteStoreTransaction: StoreTransaction {
    let database: Database
    var underlying: Any { database }
}
