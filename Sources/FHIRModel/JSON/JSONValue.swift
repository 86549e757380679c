/// A JSON value as written, before any FHIR meaning is given to it.
///
/// Numbers keep their exact text (`1.50` stays `1.50`); every value remembers the byte offset where it
/// started so that readers can report line and column. This is the only JSON model in the project:
/// FHIR content is never routed through `JSONSerialization` or `Codable`.
public struct JSONNode: Sendable, Equatable {
    public var value: JSONValue
    /// Byte offset of the first character of the value in the source; -1 when built in memory.
    public var offset: Int

    public init(_ value: JSONValue, offset: Int = -1) {
        self.value = value
        self.offset = offset
    }
}

/// One `"key": value` pair of a JSON object, in source order.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var keyOffset: Int
    public var node: JSONNode

    public init(key: String, keyOffset: Int = -1, node: JSONNode) {
        self.key = key
        self.keyOffset = keyOffset
        self.node = node
    }
}

/// The kinds of JSON value.
public enum JSONValue: Sendable, Equatable {
    case object([JSONMember])
    case array([JSONNode])
    case string(String)
    /// The number's exact source text.
    case number(String)
    case bool(Bool)
    case null

    /// The member named `key`, if this is an object that has it.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.node
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var arrayValue: [JSONNode]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [JSONMember]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// A short name of the kind, for messages.
    public var kindName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }
}
