/// What kind of thing a FHIR type is.
public enum TypeKind: String, Sendable, Hashable {
    case primitive = "primitive-type"
    case complex = "complex-type"
    case resource
    case logical
}

/// The structure of one FHIR type (resource, datatype or primitive), as read from profiles/.
///
/// Immutable once the registry has loaded and linked it.
public final class TypeDefinition: Sendable {
    public let url: String
    /// The type's name, e.g. `Appointment`, `HumanName`, `dateTime`.
    public let name: String
    public let kind: TypeKind
    public let isAbstract: Bool
    /// The type this one specialises (`DomainResource` for `Appointment`), nil for the roots.
    public let baseType: String?
    /// The lexical rule of a primitive's value (the official regex), when the definition gives one.
    public let valueRegex: String?
    /// The root element; its descendants follow the definition order.
    public let root: ElementDefinition
    /// Every element by path, e.g. `Appointment.participant.actor`.
    public let elementsByPath: [String: ElementDefinition]
    /// The invariants referenced by the elements, by key.
    public let invariants: [String: Invariant]

    init(
        url: String, name: String, kind: TypeKind, isAbstract: Bool, baseType: String?, valueRegex: String?,
        root: ElementDefinition, elementsByPath: [String: ElementDefinition], invariants: [String: Invariant]
    ) {
        self.url = url
        self.name = name
        self.kind = kind
        self.isAbstract = isAbstract
        self.baseType = baseType
        self.valueRegex = valueRegex
        self.root = root
        self.elementsByPath = elementsByPath
        self.invariants = invariants
    }

    public var isPrimitive: Bool { kind == .primitive }
    public var isResource: Bool { kind == .resource }
}

/// A constraint (`ele-1`, `app-2`, …) as the definition states it.
public struct Invariant: Sendable, Hashable {
    public var key: String
    public var severity: String
    public var human: String
    public var expression: String?

    public init(key: String, severity: String, human: String, expression: String?) {
        self.key = key
        self.severity = severity
        self.human = human
        self.expression = expression
    }
}

/// A type reference of an element: `code`, plus profiles and reference targets when constrained.
public struct TypeReference: Sendable, Hashable {
    public var code: String
    public var profiles: [String]
    public var targetProfiles: [String]

    public init(code: String, profiles: [String] = [], targetProfiles: [String] = []) {
        self.code = code
        self.profiles = profiles
        self.targetProfiles = targetProfiles
    }
}

/// A terminology binding.
public struct Binding: Sendable, Hashable {
    public var strength: String
    public var valueSet: String?

    public init(strength: String, valueSet: String?) {
        self.strength = strength
        self.valueSet = valueSet
    }
}
