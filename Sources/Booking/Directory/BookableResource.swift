/// A business identifier (system + value), e.g. a regional practitioner code or a CUP booking number.
public struct BusinessIdentifier: Sendable, Hashable, Codable {
    public var system: String
    public var value: String

    public init(system: String, value: String) {
        self.system = system
        self.value = value
    }
}

/// A coded concept used for matching: service types, specialties, appointment types.
public struct Code: Sendable, Hashable, Codable {
    public var system: String?
    public var code: String
    public var display: String?

    public init(system: String? = nil, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }

    /// Same concept: equal codes, and equal systems when both give one.
    public func matches(_ other: Code) -> Bool {
        code == other.code && (system == nil || other.system == nil || system == other.system)
    }
}

/// Something that can be booked: a practitioner, a room or location, a device, a healthcare service.
public struct BookableResource: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case practitioner, location, device, healthcareService
    }

    public var id: String
    public var kind: Kind
    public var name: String
    public var identifiers: [BusinessIdentifier]
    public var active: Bool
    /// IANA time zone, e.g. `Europe/Rome`.
    public var timeZone: String

    public init(
        id: String, kind: Kind, name: String, identifiers: [BusinessIdentifier] = [], active: Bool = true,
        timeZone: String
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.identifiers = identifiers
        self.active = active
        self.timeZone = timeZone
    }
}
