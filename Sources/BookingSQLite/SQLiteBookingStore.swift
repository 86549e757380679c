import Booking
import Foundation
import GRDB
import Synchronization

/// The ``BookingStore`` on SQLite (GRDB, WAL, `synchronous=FULL`).
///
/// Every command is one `BEGIN IMMEDIATE` transaction, so writers are serialised across threads and processes
/// sharing the file; capacity is checked with conditional updates of counter rows (`UPDATE … WHERE used <
/// capacity`), the same shape a PostgreSQL store gives with row locks.
///
/// Reads run synchronously on the calling thread: in WAL mode a reader never waits for a writer and a read takes
/// microseconds, while an `await`ed read costs two thread hops (measured: the hops were most of a slot read's
/// time). Writes stay asynchronous: they may wait for another process's transaction.
public final class SQLiteBookingStore: BookingStore {
    let pool: DatabasePool
    /// Decoded schedules by id with the availability version they were read at: every schedule change bumps the
    /// version (in any process sharing the file), so a cached schedule is current while its version is.
    let scheduleCache = Mutex<[String: (version: Int, schedule: Schedule)]>([:])
    let encoder: JSONEncoder
    let decoder: JSONDecoder

    /// Opens (creating if needed) the database at `path` and migrates it.
    /// - Parameter busyTimeout: how long a writer waits for another process's transaction. Default 30 s.
    public init(path: String, busyTimeout: TimeInterval = 30) throws {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        pool = try DatabasePool(path: path, configuration: config)
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .secondsSince1970
        encoder = e
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        decoder = d
        try Self.migrator.migrate(pool)
    }

    func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    // MARK: Directory

    public func upsertResource(_ resource: BookableResource) async throws {
        let json = try encode(resource)
        try await pool.write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO resource (id, kind, json) VALUES (?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, json = excluded.json
                    """
            ).execute(arguments: [resource.id, resource.kind.rawValue, json])
        }
    }

    public func resource(id: String) async throws -> BookableResource? {
        let json = try readNow { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT json FROM resource WHERE id = ?"), arguments: [id])
        }
        return try json.map { try decode(BookableResource.self, $0) }
    }

    public func resources() async throws -> [BookableResource] {
        let rows = try readNow { db in try String.fetchAll(db, sql: "SELECT json FROM resource ORDER BY id") }
        return try rows.map { try decode(BookableResource.self, $0) }
    }

    public func upsertSchedule(_ schedule: Schedule) async throws {
        _ = try await apply(AvailabilityChange(schedule: schedule), attached: nil)
    }

    public func schedule(id: String) async throws -> Schedule? {
        try cachedSchedules(ids: [id]).first?.schedule
    }

    public func scheduleAndVersion(id: String) async throws -> (schedule: Schedule, version: Int)? {
        try cachedSchedules(ids: [id]).first
    }

    /// The schedules of `ids` that exist (nil: all), ordered by id; only those whose version moved are decoded.
    func cachedSchedules(ids: [String]?) throws -> [(schedule: Schedule, version: Int)] {
        let cached = scheduleCache.withLock { $0 }
        let rows: [(id: String, version: Int, json: String?)] = try readNow { db in
            let versions: [(String, Int)]
            if let ids {
                versions = try ids.compactMap { id in
                    try Int.fetchOne(
                        db.cachedStatement(sql: "SELECT availability_version FROM schedule WHERE id = ?"),
                        arguments: [id]
                    ).map { (id, $0) }
                }
            } else {
                versions = try Row.fetchAll(db, sql: "SELECT id, availability_version FROM schedule ORDER BY id").map {
                    ($0["id"], $0["availability_version"])
                }
            }
            return try versions.map { id, version in
                if cached[id]?.version == version { return (id, version, nil) }
                let json = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT json FROM schedule WHERE id = ?"), arguments: [id])
                return (id, version, json)
            }
        }
        var fresh: [String: (version: Int, schedule: Schedule)] = [:]
        let out: [(schedule: Schedule, version: Int)] = try rows.compactMap { row in
            guard let json = row.json else { return cached[row.id].map { ($0.schedule, row.version) } }
            let s = try decode(Schedule.self, json)
            fresh[row.id] = (row.version, s)
            return (s, row.version)
        }
        if !fresh.isEmpty { scheduleCache.withLock { $0.merge(fresh) { _, new in new } } }
        return out
    }

    public func schedulesAndVersions() async throws -> [(schedule: Schedule, version: Int)] {
        try cachedSchedules(ids: nil)
    }

    public func schedules() async throws -> [Schedule] {
        try cachedSchedules(ids: nil).map(\.schedule)
    }

    // MARK: Availability

    public func apply(_ change: AvailabilityChange, attached: (any AttachedWork)?) async throws -> (any Sendable)? {
        let scheduleJSON = try change.schedule.map { try encode($0) }
        let ruleJSON = try change.saveRules.map { try encode($0) }
        let exceptionJSON = try change.saveExceptions.map { try encode($0.exception) }
        return try await pool.write { db in
            var touched = Set(change.affectedSchedules)
            if let s = change.schedule, let json = scheduleJSON {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO schedule (id, json, availability_version, recheck_pending) VALUES (?, ?, 0, 1)
                        ON CONFLICT(id) DO UPDATE SET json = excluded.json
                        """
                ).execute(arguments: [s.id, json])
                try db.cachedStatement(sql: "DELETE FROM schedule_resource WHERE schedule_id = ?").execute(arguments: [
                    s.id
                ])
                for r in s.resourceIDs {
                    try db.cachedStatement(
                        sql: "INSERT INTO schedule_resource (schedule_id, resource_id) VALUES (?, ?)"
                    ).execute(arguments: [s.id, r])
                }
            }
            for (rule, json) in zip(change.saveRules, ruleJSON) {
                if let previous = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT schedule_id FROM availability_rule WHERE id = ?"),
                    arguments: [rule.id])
                {
                    touched.insert(previous)
                }
                try db.cachedStatement(
                    sql: """
                        INSERT INTO availability_rule (id, schedule_id, json) VALUES (?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET schedule_id = excluded.schedule_id, json = excluded.json
                        """
                ).execute(arguments: [rule.id, rule.scheduleID, json])
            }
            for id in change.deleteRules {
                if let previous = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT schedule_id FROM availability_rule WHERE id = ?"), arguments: [id])
                {
                    touched.insert(previous)
                }
                try db.cachedStatement(sql: "DELETE FROM availability_rule WHERE id = ?").execute(arguments: [id])
            }
            for (e, json) in zip(change.saveExceptions, exceptionJSON) {
                try db.execute(
                    sql:
                        "INSERT INTO availability_exception (id, json) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
                    arguments: [e.exception.id, json])
            }
            for e in change.deleteExceptions {
                try db.cachedStatement(sql: "DELETE FROM availability_exception WHERE id = ?").execute(arguments: [e.id]
                )
            }
            try Self.bump(db, touched.sorted())
            return try attached?.apply(in: SQLiteStoreTransaction(database: db), results: [])
        }
    }

    static func bump(_ db: Database, _ scheduleIDs: [String]) throws {
        for id in scheduleIDs {
            try db.execute(
                sql:
                    "UPDATE schedule SET availability_version = availability_version + 1, recheck_pending = 1 WHERE id = ?",
                arguments: [id])
        }
    }

    public func upsertRule(_ rule: AvailabilityRule) async throws {
        var change = AvailabilityChange(schedule: nil)
        change.saveRules = [rule]
        _ = try await apply(change, attached: nil)
    }

    public func deleteRule(id: String) async throws -> AvailabilityRule? {
        let json: String? = try await pool.write { db in
            guard
                let json = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT json FROM availability_rule WHERE id = ?"), arguments: [id]),
                let scheduleID = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT schedule_id FROM availability_rule WHERE id = ?"), arguments: [id])
            else { return nil }
            try db.cachedStatement(sql: "DELETE FROM availability_rule WHERE id = ?").execute(arguments: [id])
            try Self.bump(db, [scheduleID])
            return json
        }
        return try json.map { try decode(AvailabilityRule.self, $0) }
    }

    public func rules(scheduleID: String?) async throws -> [AvailabilityRule] {
        let rows = try readNow { db in
            if let scheduleID {
                return try String.fetchAll(
                    db.cachedStatement(sql: "SELECT json FROM availability_rule WHERE schedule_id = ? ORDER BY id"),
                    arguments: [scheduleID])
            }
            return try String.fetchAll(db, sql: "SELECT json FROM availability_rule ORDER BY id")
        }
        return try rows.map { try decode(AvailabilityRule.self, $0) }
    }

    public func upsertException(_ exception: AvailabilityException, affectedSchedules: [String]) async throws {
        var change = AvailabilityChange(schedule: nil)
        change.saveExceptions = [(exception, affectedSchedules)]
        _ = try await apply(change, attached: nil)
    }

    public func deleteException(id: String, affectedSchedules: [String]) async throws -> AvailabilityException? {
        let json: String? = try await pool.write { db in
            let json = try String.fetchOne(
                db.cachedStatement(sql: "SELECT json FROM availability_exception WHERE id = ?"), arguments: [id])
            try db.cachedStatement(sql: "DELETE FROM availability_exception WHERE id = ?").execute(arguments: [id])
            try Self.bump(db, affectedSchedules)
            return json
        }
        return try json.map { try decode(AvailabilityException.self, $0) }
    }

    public func exceptions() async throws -> [AvailabilityException] {
        let rows = try readNow { db in
            try String.fetchAll(db, sql: "SELECT json FROM availability_exception ORDER BY id")
        }
        return try rows.map { try decode(AvailabilityException.self, $0) }
    }

    public func availabilityVersions(scheduleIDs: [String]) async throws -> [String: Int] {
        try readNow { db in
            var out: [String: Int] = [:]
            for id in scheduleIDs {
                out[id] =
                    try Int.fetchOne(
                        db.cachedStatement(sql: "SELECT availability_version FROM schedule WHERE id = ?"),
                        arguments: [id])
                    ?? 0
            }
            return out
        }
    }

    public func pendingRechecks() async throws -> [String] {
        try readNow { db in
            try String.fetchAll(db, sql: "SELECT id FROM schedule WHERE recheck_pending = 1 ORDER BY id")
        }
    }
}

extension SQLiteBookingStore {
    /// A read on the calling thread (the synchronous GRDB read; from an async function the compiler would pick
    /// the asynchronous overload, which hops to a reader queue and back).
    func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }
}
