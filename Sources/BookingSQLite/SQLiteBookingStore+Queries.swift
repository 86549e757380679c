import Booking
import Foundation
import GRDB

extension SQLiteBookingStore {
    /// Live claims: appointment claims, and hold claims whose hold has not expired at `now`.
    static let liveClaimFilter = """
        c.active = 1 AND (c.owner_kind = 'appointment'
            OR EXISTS (SELECT 1 FROM hold h WHERE h.id = c.owner_id AND h.status = 'active' AND h.expires_at > ?))
        """

    public func slotUsage(_ slots: [SlotID], now: Date) async throws -> [SlotID: Int] {
        guard !slots.isEmpty else { return [:] }
        let keys = slots.map(\.description)
        let rows = try readNow { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT c.slot_key AS k, COUNT(*) AS n FROM claim c
                        WHERE c.slot_key IN (\(databaseQuestionMarks(count: keys.count))) AND \(Self.liveClaimFilter)
                        GROUP BY c.slot_key
                        """), arguments: StatementArguments(keys + [now.timeIntervalSince1970])
            ).map { ($0["k"] as String, $0["n"] as Int) }
        }
        var out: [SlotID: Int] = [:]
        for (k, n) in rows { if let id = SlotID(k) { out[id] = n } }
        return out
    }

    public func slotUsage(scheduleID: String, from: Date, to: Date, now: Date) async throws -> [SlotID: Int] {
        try readNow { db in try Self.slotUsage(db, scheduleID: scheduleID, from: from, to: to, now: now) }
    }

    static func slotUsage(_ db: Database, scheduleID: String, from: Date, to: Date, now: Date) throws -> [SlotID: Int] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT c.slot_key AS k, COUNT(*) AS n FROM claim c
                    WHERE c.schedule_id = ? AND c.start >= ? AND c.start < ? AND c.slot_key IS NOT NULL
                        AND \(liveClaimFilter)
                    GROUP BY c.slot_key
                    """),
            arguments: [scheduleID, from.timeIntervalSince1970, to.timeIntervalSince1970, now.timeIntervalSince1970]
        ).map { ($0["k"] as String, $0["n"] as Int) }
        var out: [SlotID: Int] = [:]
        for (k, n) in rows { if let id = SlotID(k) { out[id] = n } }
        return out
    }

    public func usage(scheduleID: String, from: Date, to: Date, dates: [LocalDate], now: Date) async throws
        -> (slots: [SlotID: Int], days: [LocalDate: Int])
    {
        // One read transaction: a consistent view of both, and one connection checkout.
        try readNow { db in
            (
                try Self.slotUsage(db, scheduleID: scheduleID, from: from, to: to, now: now),
                try Self.dayUsage(db, scheduleID: scheduleID, dates: dates, now: now)
            )
        }
    }

    public func dayUsage(scheduleID: String, dates: [LocalDate], now: Date) async throws -> [LocalDate: Int] {
        try readNow { db in try Self.dayUsage(db, scheduleID: scheduleID, dates: dates, now: now) }
    }

    static func dayUsage(_ db: Database, scheduleID: String, dates: [LocalDate], now: Date) throws -> [LocalDate: Int] {
        guard !dates.isEmpty else { return [:] }
        let keys = dates.map(\.description)
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT c.local_date AS d, COUNT(*) AS n FROM claim c
                    WHERE c.schedule_id = ? AND c.local_date IN (\(databaseQuestionMarks(count: keys.count)))
                        AND \(liveClaimFilter)
                    GROUP BY c.local_date
                    """), arguments: StatementArguments([scheduleID] + keys + [now.timeIntervalSince1970])
        ).map { ($0["d"] as String, $0["n"] as Int) }
        var out: [LocalDate: Int] = [:]
        for (d, n) in rows { if let date = LocalDate(d) { out[date] = n } }
        return out
    }

    public func appointment(id: String) async throws -> Appointment? {
        let json = try readNow { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT json FROM appointment WHERE id = ?"), arguments: [id])
        }
        return try json.map { try decode(Appointment.self, $0) }
    }

    public func appointments(_ query: AppointmentQuery) async throws -> [Appointment] {
        var sql = "SELECT DISTINCT a.json, a.start FROM appointment a"
        var conditions: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let ids = query.scheduleIDs {
            guard !ids.isEmpty else { return [] }
            sql += " JOIN appointment_schedule s ON s.appointment_id = a.id"
            conditions.append("s.schedule_id IN (\(databaseQuestionMarks(count: ids.count)))")
            args += ids
        }
        if let identifier = query.identifier {
            sql += " JOIN appointment_identifier i ON i.appointment_id = a.id"
            conditions.append("i.system = ? AND i.value = ?")
            args += [identifier.system, identifier.value]
        }
        if let statuses = query.statuses {
            guard !statuses.isEmpty else { return [] }
            conditions.append("a.status IN (\(databaseQuestionMarks(count: statuses.count)))")
            args += statuses.map(\.rawValue)
        }
        if let from = query.from {
            conditions.append("a.\"end\" > ?")
            args.append(from.timeIntervalSince1970)
        }
        if let to = query.to {
            conditions.append("a.start < ?")
            args.append(to.timeIntervalSince1970)
        }
        if let flagged = query.needsReschedule {
            conditions.append("a.needs_reschedule = ?")
            args.append(flagged ? 1 : 0)
        }
        if let patient = query.patientID {
            conditions.append("a.patient_id = ?")
            args.append(patient)
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY a.start, a.id"
        let finalSQL = sql
        let arguments = StatementArguments(args)
        let rows = try readNow { db in try String.fetchAll(db, sql: finalSQL, arguments: arguments) }
        // Deleted appointments are not listed (their history is).
        return try rows.map { try decode(Appointment.self, $0) }.filter { $0.deletedAt == nil }
    }

    public func history(appointmentID: String) async throws -> [Appointment] {
        let rows = try readNow { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: "SELECT json FROM appointment_version WHERE appointment_id = ? ORDER BY version"),
                arguments: [appointmentID])
        }
        return try rows.map { try decode(Appointment.self, $0) }
    }

    public func recentVersions(since: Date?, until: Date?, limit: Int) async throws -> [Appointment] {
        let rows = try readNow { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT json FROM appointment_version WHERE recorded_at >= ? AND recorded_at <= ?
                        ORDER BY recorded_at DESC, appointment_id DESC, version DESC LIMIT ?
                        """),
                arguments: [
                    since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude,
                    until?.timeIntervalSince1970 ?? Double.greatestFiniteMagnitude, limit,
                ])
        }
        return try rows.map { try decode(Appointment.self, $0) }
    }

    public func waitlist() async throws -> [WaitlistEntry] {
        let rows = try readNow { db in
            try String.fetchAll(db, sql: "SELECT json FROM waitlist_entry ORDER BY created_at, id")
        }
        return try rows.map { try decode(WaitlistEntry.self, $0) }
    }

    public func pendingOutbox(limit: Int) async throws -> [(id: Int64, message: OutboxMessage)] {
        let rows = try readNow { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, kind, aggregate_id, payload FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT ?",
                arguments: [limit]
            ).map { ($0["id"] as Int64, $0["kind"] as String, $0["aggregate_id"] as String, $0["payload"] as String) }
        }
        return try rows.map { row in
            (row.0, OutboxMessage(kind: row.1, aggregateID: row.2, payload: try decode([String: String].self, row.3)))
        }
    }

    /// Consistency check for tests and operators: every counter equals the live claims it counts, and no slot
    /// is over its capacity. Returns the problems found.
    public func consistencyProblems(now: Date) async throws -> [String] {
        try readNow { db in
            var problems: [String] = []
            let rows = try Row.fetchAll(db, sql: "SELECT slot_key, capacity, used FROM slot_usage")
            for row in rows {
                let key: String = row["slot_key"]
                let used: Int = row["used"]
                let capacity: Int = row["capacity"]
                let claims =
                    try Int.fetchOne(
                        db.cachedStatement(sql: "SELECT COUNT(*) FROM claim WHERE slot_key = ? AND active = 1"),
                        arguments: [key]) ?? 0
                if used != claims { problems.append("\(key): counter \(used) but \(claims) live claims") }
                if used > capacity { problems.append("\(key): \(used) booked over capacity \(capacity)") }
            }
            let orphan =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM claim c WHERE c.active = 1 AND c.owner_kind = 'appointment'
                        AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.id = c.owner_id)
                        """) ?? 0
            if orphan > 0 { problems.append("\(orphan) live claims without an appointment") }
            return problems
        }
    }
}
