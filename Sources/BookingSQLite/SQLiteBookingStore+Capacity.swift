import Booking
import Foundation
import GRDB

/// Capacity bookkeeping inside one write transaction: claims, counters, hold expiry, waitlist offers.
extension SQLiteBookingStore {
    enum Owner {
        case appointment(String)
        case hold(String)

        var kind: String {
            switch self {
            case .appointment: "appointment"
            case .hold: "hold"
            }
        }

        var id: String {
            switch self {
            case .appointment(let id), .hold(let id): id
            }
        }
    }

    /// Expires every hold whose time is up and frees its capacity.
    func sweepExpiredHolds(_ db: Database, now: Date) throws {
        let expired = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT id, waitlist_entry_id, json FROM hold WHERE status = 'active' AND expires_at <= ?"),
            arguments: [now.timeIntervalSince1970])
        for row in expired {
            let id: String = row["id"]
            try releaseClaims(db, owner: .hold(id))
            var hold = try decode(Hold.self, row["json"])
            hold.status = .expired
            try db.cachedStatement(sql: "UPDATE hold SET status = 'expired', json = ? WHERE id = ?").execute(
                arguments: [try encode(hold), id])
            if let entryID: String = row["waitlist_entry_id"] {
                try updateWaitlistEntry(db, id: entryID) {
                    $0.status = .waiting
                    $0.offeredHoldID = nil
                }
            }
        }
    }

    /// Takes every claim for `owner`, or throws (the caller's transaction then rolls back).
    func takeClaims(_ db: Database, _ claims: [CapacityClaim], owner: Owner, zoneDates: [String: String] = [:]) throws {
        for claim in claims {
            switch claim {
            case .slot(let slotID, let end, let capacity, let dailyLimit):
                let key = slotID.description
                try db.cachedStatement(
                    sql: """
                        INSERT INTO slot_usage (slot_key, schedule_id, start, capacity, used) VALUES (?, ?, ?, ?, 0)
                        ON CONFLICT(slot_key) DO UPDATE SET capacity = excluded.capacity
                        """
                ).execute(arguments: [key, slotID.scheduleID, slotID.start.timeIntervalSince1970, capacity])
                try db.cachedStatement(sql: "UPDATE slot_usage SET used = used + 1 WHERE slot_key = ? AND used < ?")
                    .execute(arguments: [key, capacity])
                guard db.changesCount == 1 else { throw BookingError.slotFull(slotID) }
                var localDate: String?
                if let dailyLimit {
                    localDate = dailyLimit.date.description
                    try db.execute(
                        sql:
                            "INSERT INTO day_usage (schedule_id, local_date, used) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                        arguments: [slotID.scheduleID, localDate])
                    try db.execute(
                        sql:
                            "UPDATE day_usage SET used = used + 1 WHERE schedule_id = ? AND local_date = ? AND used < ?",
                        arguments: [slotID.scheduleID, localDate, dailyLimit.limit])
                    guard db.changesCount == 1 else {
                        throw BookingError.dailyLimitReached(scheduleID: slotID.scheduleID, date: dailyLimit.date)
                    }
                }
                try db.cachedStatement(
                    sql: """
                        INSERT INTO claim (owner_kind, owner_id, schedule_id, slot_key, start, "end", local_date)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    owner.kind, owner.id, slotID.scheduleID, key, slotID.start.timeIntervalSince1970,
                    end.timeIntervalSince1970, localDate,
                ])
            case .interval(let scheduleID, let resourceIDs, let start, let end, let capacity, let allowOverlap):
                for resourceID in resourceIDs {
                    if !allowOverlap {
                        let overlapping =
                            try Int.fetchOne(
                                db.cachedStatement(
                                    sql: """
                                        SELECT COUNT(*) FROM claim
                                        WHERE active = 1 AND resource_id = ? AND start < ? AND "end" > ?
                                        """),
                                arguments: [resourceID, end.timeIntervalSince1970, start.timeIntervalSince1970]) ?? 0
                        if overlapping >= capacity { throw BookingError.overlap(resourceID: resourceID) }
                    }
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO claim (owner_kind, owner_id, schedule_id, resource_id, start, "end")
                            VALUES (?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        owner.kind, owner.id, scheduleID, resourceID, start.timeIntervalSince1970,
                        end.timeIntervalSince1970,
                    ])
                }
            }
        }
    }

    /// Frees every live claim of `owner`; returns the slot keys freed.
    @discardableResult
    func releaseClaims(_ db: Database, owner: Owner) throws -> [String] {
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT id, schedule_id, slot_key, local_date FROM claim WHERE owner_kind = ? AND owner_id = ? AND active = 1",
            arguments: [owner.kind, owner.id])
        var freed: [String] = []
        for row in rows {
            if let key: String = row["slot_key"] {
                try db.cachedStatement(sql: "UPDATE slot_usage SET used = used - 1 WHERE slot_key = ? AND used > 0")
                    .execute(arguments: [key])
                freed.append(key)
            }
            if let date: String = row["local_date"] {
                try db.cachedStatement(
                    sql: "UPDATE day_usage SET used = used - 1 WHERE schedule_id = ? AND local_date = ? AND used > 0"
                ).execute(arguments: [row["schedule_id"] as String, date])
            }
            try db.cachedStatement(sql: "UPDATE claim SET active = 0 WHERE id = ?").execute(arguments: [
                row["id"] as Int64
            ])
        }
        return freed
    }

    /// Offers each freed slot to the first waiting request it suits, as a hold, before it returns to the pool.
    func offerToWaitlist(_ db: Database, freed: [Slot], now: Date, offerMinutes: Int) throws {
        guard !freed.isEmpty else { return }
        let entries = try String.fetchAll(
            db, sql: "SELECT json FROM waitlist_entry WHERE status = 'waiting' ORDER BY created_at, id"
        ).map { try decode(WaitlistEntry.self, $0) }
        var taken: Set<String> = []
        for slot in freed {
            guard let entry = entries.first(where: { !taken.contains($0.id) && $0.accepts(slot) }) else { continue }
            let hold = Hold(
                id: UUID().uuidString.lowercased(),
                claims: [.slot(slot.id, end: slot.end, capacity: slot.capacity, dailyLimit: nil)],
                patientID: entry.patientID, requestKey: nil, waitlistEntryID: entry.id, createdAt: now,
                expiresAt: now.addingTimeInterval(Double(offerMinutes * 60)))
            do {
                try db.inSavepoint {
                    try takeClaims(db, hold.claims, owner: .hold(hold.id))
                    return .commit
                }
            } catch is BookingError {
                continue  // taken again meanwhile: nothing to offer
            }
            try insertHold(db, hold)
            try updateWaitlistEntry(db, id: entry.id) {
                $0.status = .offered
                $0.offeredHoldID = hold.id
            }
            try enqueue(
                db,
                [
                    OutboxMessage(
                        kind: "waitlist.offered", aggregateID: entry.id,
                        payload: ["patient": entry.patientID, "hold": hold.id, "slot": slot.id.description])
                ], now: now)
            taken.insert(entry.id)
        }
    }

    func insertHold(_ db: Database, _ hold: Hold) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO hold (id, request_key, status, expires_at, created_at, waitlist_entry_id, json)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            hold.id, hold.requestKey, hold.status.rawValue, hold.expiresAt.timeIntervalSince1970,
            hold.createdAt.timeIntervalSince1970, hold.waitlistEntryID, try encode(hold),
        ])
    }

    func updateWaitlistEntry(_ db: Database, id: String, _ change: (inout WaitlistEntry) -> Void) throws {
        guard
            let json = try String.fetchOne(
                db.cachedStatement(sql: "SELECT json FROM waitlist_entry WHERE id = ?"), arguments: [id])
        else { return }
        var entry = try decode(WaitlistEntry.self, json)
        change(&entry)
        try db.cachedStatement(sql: "UPDATE waitlist_entry SET status = ?, json = ? WHERE id = ?").execute(arguments: [
            entry.status.rawValue, try encode(entry), id,
        ])
    }

    func enqueue(_ db: Database, _ messages: [OutboxMessage], now: Date) throws {
        for m in messages {
            try db.cachedStatement(
                sql: "INSERT INTO outbox (kind, aggregate_id, payload, created_at) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [m.kind, m.aggregateID, try encode(m.payload), now.timeIntervalSince1970])
        }
    }

    /// Refuses the transaction when an availability version moved since the request was validated.
    func checkVersions(_ db: Database, _ versions: [String: Int]) throws {
        for (id, expected) in versions {
            let current = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT availability_version FROM schedule WHERE id = ?"), arguments: [id])
            if current != expected { throw BookingError.availabilityChanged(scheduleID: id) }
        }
    }
}
