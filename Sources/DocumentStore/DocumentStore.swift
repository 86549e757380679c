import Foundation

/// One stored version of a document (a FHIR resource, to the server; opaque bytes here).
public struct StoredDocument: Sendable, Hashable {
    public var type: String
    public var id: String
    public var version: Int
    public var lastUpdated: Date
    /// True for the version recording a delete (no body).
    public var deleted: Bool
    public var body: [UInt8]

    public init(type: String, id: String, version: Int, lastUpdated: Date, deleted: Bool, body: [UInt8]) {
        self.type = type
        self.id = id
        self.version = version
        self.lastUpdated = lastUpdated
        self.deleted = deleted
        self.body = body
    }
}

/// A search index entry of the current version: parameter name and a normalised value.
public struct IndexEntry: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Documents whose index has `name` equal to one of `values` (or starting with one, for `prefix`; or holding one
/// anywhere, for `contains`).
public struct SearchCriterion: Sendable {
    public var name: String
    public var values: [String]
    public var prefix: Bool
    /// Substring match (FHIR string `:contains`).
    public var contains: Bool
    /// Negated: documents with no such entry.
    public var negated: Bool

    public init(name: String, values: [String], prefix: Bool = false, contains: Bool = false, negated: Bool = false) {
        self.name = name
        self.values = values
        self.prefix = prefix
        self.contains = contains
        self.negated = negated
    }
}

extension DocumentStore {
    public func history(type: String?, id: String?, since: Date?, limit: Int) async throws -> [StoredDocument] {
        try await history(type: type, id: id, since: since, until: nil, excludingTypePrefix: nil, limit: limit)
    }

    public func history(type: String?, id: String?, since: Date?, until: Date?, limit: Int) async throws
        -> [StoredDocument]
    {
        try await history(type: type, id: id, since: since, until: until, excludingTypePrefix: nil, limit: limit)
    }
}

/// What went wrong in a document write.
public enum DocumentStoreError: Error, Sendable, Hashable {
    /// `If-Match` style check failed.
    case versionMismatch(expected: Int, actual: Int?)
    /// A create with an id that exists.
    case alreadyExists(type: String, id: String)
    case notFound(type: String, id: String)
    /// A transaction handle of a store on another database or engine.
    case foreignTransaction
}

/// Versioned documents with history and a small search index. Every write is one transaction; the
/// `write(_:)` batch form runs several writes in one transaction (all or nothing).
public protocol DocumentStore: Sendable {
    /// The current version (possibly a delete marker), or nil when never written.
    func current(type: String, id: String) async throws -> StoredDocument?
    /// The current versions (deleted markers included) of those of `ids` that were ever written, in no order.
    func current(type: String, ids: [String]) async throws -> [StoredDocument]
    func version(type: String, id: String, version: Int) async throws -> StoredDocument?
    /// Versions newest first (ties by type, id, version descending); `type`/`id` nil widen to type or system
    /// history; `since` and `until` (both inclusive) filter by time.
    /// `excludingTypePrefix`: leave out types starting with it (a server's own internal documents).
    func history(
        type: String?, id: String?, since: Date?, until: Date?, excludingTypePrefix: String?, limit: Int
    ) async throws -> [StoredDocument]
    /// Ids of live (not deleted) documents of `type` whose index has every (name, any of values) given.
    func search(type: String, criteria: [SearchCriterion], lastUpdated: ClosedRange<Date>?) async throws
        -> [StoredDocument]
    /// Applies writes atomically and returns one result per write, in order (a delete of nothing returns a
    /// deleted marker with the current version, 0 when it never existed).
    func write(_ writes: [DocumentWrite]) async throws -> [StoredDocument]
    /// Applies writes inside another store's transaction on the same database (`underlying` is that store's
    /// connection object); they commit or roll back with it.
    /// - Throws: ``DocumentStoreError/foreignTransaction`` when the handle is not one this store can write with.
    func write(_ writes: [DocumentWrite], inTransaction underlying: Any) throws -> [StoredDocument]
}

/// One write in a batch.
public struct DocumentWrite: Sendable {
    public enum Kind: Sendable {
        /// Create or replace; `expectedVersion` (If-Match) checked when given; `mustNotExist` for creates.
        case put(body: [UInt8], index: [IndexEntry], expectedVersion: Int?, mustNotExist: Bool)
        /// Logical delete (a version without body); deleting what does not exist is a no-op.
        case delete(expectedVersion: Int?)
    }

    public var type: String
    public var id: String
    public var kind: Kind
    public var at: Date

    public init(type: String, id: String, kind: Kind, at: Date) {
        self.type = type
        self.id = id
        self.kind = kind
        self.at = at
    }
}
