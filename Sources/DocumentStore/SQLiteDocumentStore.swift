import Foundation
import GRDB

/// ``DocumentStore`` on SQLite (GRDB, WAL, `synchronous=FULL`), in its own tables of the gateway's database.
public final class SQLiteDocumentStore: DocumentStore {
    let pool: DatabasePool

    public init(path: String, busyTimeout: TimeInterval = 30) throws {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        pool = try DatabasePool(path: path, configuration: config)
        var m = DatabaseMigrator()
        m.registerMigration("v1-documents") { db in
            try db.execute(
                sql: """
                    CREATE TABLE document_version (
                        type TEXT NOT NULL,
                        id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        last_updated REAL NOT NULL,
                        deleted INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        PRIMARY KEY (type, id, version)
                    );
                    CREATE INDEX document_version_time ON document_version(last_updated);
                    CREATE TABLE document_current (
                        type TEXT NOT NULL,
                        id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        deleted INTEGER NOT NULL,
                        last_updated REAL NOT NULL,
                        PRIMARY KEY (type, id)
                    );
                    CREATE TABLE document_index (
                        type TEXT NOT NULL,
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        value TEXT NOT NULL
                    );
                    CREATE INDEX document_index_lookup ON document_index(type, name, value);
                    CREATE INDEX document_index_owner ON document_index(type, id);
                    """)
        }
        try m.migrate(pool)
    }

    static func document(_ row: Row) -> StoredDocument {
        StoredDocument(
            type: row["type"], id: row["id"], version: row["version"],
            lastUpdated: Date(timeIntervalSince1970: row["last_updated"]), deleted: (row["deleted"] as Int) != 0,
            body: Array((row["body"] as Data?) ?? Data()))
    }

    public func current(type: String, id: String) async throws -> StoredDocument? {
        try readNow { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT v.* FROM document_current c JOIN document_version v
                        ON v.type = c.type AND v.id = c.id AND v.version = c.version WHERE c.type = ? AND c.id = ?
                        """), arguments: [type, id]
            ).map(Self.document)
        }
    }

    public func current(type: String, ids: [String]) async throws -> [StoredDocument] {
        guard !ids.isEmpty else { return [] }
        let unique = Array(Set(ids))
        return try readNow { db in
            var out: [StoredDocument] = []
            // Chunks keep the statement under SQLite's variable limit.
            for start in stride(from: 0, to: unique.count, by: 500) {
                let chunk = Array(unique[start..<min(unique.count, start + 500)])
                out += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT v.* FROM document_current c JOIN document_version v
                        ON v.type = c.type AND v.id = c.id AND v.version = c.version
                        WHERE c.type = ? AND c.id IN (\(databaseQuestionMarks(count: chunk.count)))
                        """, arguments: StatementArguments([type] + chunk)
                ).map(Self.document)
            }
            return out
        }
    }

    public func version(type: String, id: String, version: Int) async throws -> StoredDocument? {
        try readNow { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM document_version WHERE type = ? AND id = ? AND version = ?"),
                arguments: [type, id, version]
            ).map(Self.document)
        }
    }

    public func history(
        type: String?, id: String?, since: Date?, until: Date?, excludingTypePrefix: String?, limit: Int
    ) async throws -> [StoredDocument] {
        var sql = "SELECT * FROM document_version WHERE 1 = 1"
        var args: [(any DatabaseValueConvertible)?] = []
        if let type {
            sql += " AND type = ?"
            args.append(type)
        }
        if let id {
            sql += " AND id = ?"
            args.append(id)
        }
        if let since {
            sql += " AND last_updated >= ?"
            args.append(since.timeIntervalSince1970)
        }
        if let until {
            sql += " AND last_updated <= ?"
            args.append(until.timeIntervalSince1970)
        }
        if let prefix = excludingTypePrefix {
            sql += " AND substr(type, 1, ?) != ?"
            args += [prefix.count, prefix]
        }
        sql += " ORDER BY last_updated DESC, type DESC, id DESC, version DESC LIMIT ?"
        args.append(limit)
        let finalSQL = sql
        let arguments = StatementArguments(args)
        return try readNow { db in try Row.fetchAll(db, sql: finalSQL, arguments: arguments).map(Self.document)
        }
    }

    public func search(
        type: String, criteria: [SearchCriterion], lastUpdated: ClosedRange<Date>?
    ) async throws -> [StoredDocument] {
        var sql = """
            SELECT v.* FROM document_current c JOIN document_version v
            ON v.type = c.type AND v.id = c.id AND v.version = c.version
            WHERE c.type = ? AND c.deleted = 0
            """
        var args: [(any DatabaseValueConvertible)?] = [type]
        for c in criteria {
            guard !c.values.isEmpty else { return [] }
            let like = c.prefix || c.contains
            let match =
                like
                ? "(" + c.values.map { _ in "i.value LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")"
                : "i.value IN (\(databaseQuestionMarks(count: c.values.count)))"
            sql += """
                 AND \(c.negated ? "NOT " : "")EXISTS (SELECT 1 FROM document_index i
                    WHERE i.type = c.type AND i.id = c.id AND i.name = ? AND \(match))
                """
            args.append(c.name)
            args +=
                like ? c.values.map { (c.contains ? "%" : "") + Self.likeEscaped($0) + "%" } : c.values
        }
        if let lastUpdated {
            sql += " AND c.last_updated >= ? AND c.last_updated <= ?"
            args += [lastUpdated.lowerBound.timeIntervalSince1970, lastUpdated.upperBound.timeIntervalSince1970]
        }
        sql += " ORDER BY c.id"
        let finalSQL = sql
        let arguments = StatementArguments(args)
        return try readNow { db in try Row.fetchAll(db, sql: finalSQL, arguments: arguments).map(Self.document)
        }
    }

    static func likeEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    public func write(_ writes: [DocumentWrite]) async throws -> [StoredDocument] {
        try await pool.write { db in try Self.write(writes, db) }
    }

    /// Applies the writes with another store's SQLite connection on the same file (a GRDB `Database` inside its
    /// write transaction), so that they commit or roll back with that store's work.
    public func write(_ writes: [DocumentWrite], inTransaction underlying: Any) throws -> [StoredDocument] {
        guard let db = underlying as? Database else {
            throw DocumentStoreError.foreignTransaction
        }
        return try Self.write(writes, db)
    }

    static func write(_ writes: [DocumentWrite], _ db: Database) throws -> [StoredDocument] {
        var out: [StoredDocument] = []
        for w in writes {
            let current = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT version, deleted FROM document_current WHERE type = ? AND id = ?"),
                arguments: [w.type, w.id])
            let currentVersion: Int? = current?["version"]
            let currentDeleted = (current?["deleted"] as Int?) == 1
            let body: [UInt8]
            let deleted: Bool
            var index: [IndexEntry] = []
            switch w.kind {
            case .put(let b, let idx, let expected, let mustNotExist):
                if mustNotExist, currentVersion != nil, !currentDeleted {
                    throw DocumentStoreError.alreadyExists(type: w.type, id: w.id)
                }
                if let expected, expected != currentVersion {
                    throw DocumentStoreError.versionMismatch(expected: expected, actual: currentVersion)
                }
                (body, deleted, index) = (b, false, idx)
            case .delete(let expected):
                if let expected, expected != currentVersion {
                    throw DocumentStoreError.versionMismatch(expected: expected, actual: currentVersion)
                }
                guard currentVersion != nil, !currentDeleted else {
                    // Nothing to delete: still one result per write, so answers stay aligned with requests.
                    out.append(
                        StoredDocument(
                            type: w.type, id: w.id, version: currentVersion ?? 0, lastUpdated: w.at, deleted: true,
                            body: []))
                    continue
                }
                (body, deleted) = ([], true)
            }
            let version = (currentVersion ?? 0) + 1
            let t = w.at.timeIntervalSince1970
            try db.cachedStatement(
                sql:
                    "INSERT INTO document_version (type, id, version, last_updated, deleted, body) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [w.type, w.id, version, t, deleted ? 1 : 0, Data(body)])
            try db.cachedStatement(
                sql: """
                    INSERT INTO document_current (type, id, version, deleted, last_updated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(type, id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,
                        last_updated = excluded.last_updated
                    """
            ).execute(arguments: [w.type, w.id, version, deleted ? 1 : 0, t])
            try db.cachedStatement(sql: "DELETE FROM document_index WHERE type = ? AND id = ?").execute(arguments: [
                w.type, w.id,
            ])
            for e in index {
                try db.cachedStatement(
                    sql: "INSERT INTO document_index (type, id, name, value) VALUES (?, ?, ?, ?)"
                )
                .execute(arguments: [w.type, w.id, e.name, e.value])
            }
            out.append(
                StoredDocument(
                    type: w.type, id: w.id, version: version, lastUpdated: w.at, deleted: deleted, body: body))
        }
        return out
    }
}

extension SQLiteDocumentStore {
    /// A read on the calling thread (the synchronous GRDB read; from an async function the compiler would pick
    /// the asynchronous overload, which hops to a reader queue and back).
    func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }
}
