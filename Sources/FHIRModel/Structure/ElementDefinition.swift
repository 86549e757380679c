/// One element of a type's structure (compact form of an ElementDefinition).
///
/// Children are linked by the registry at load time and never change afterwards; that is why the class is
/// `@unchecked Sendable`: every mutable property is written only by ``StructureRegistry`` before it is shared.
public final class ElementDefinition: @unchecked Sendable {
    /// Full path, e.g. `Appointment.participant.actor` or `Observation.value[x]`.
    public let path: String
    /// The element's name: the last path segment, without `[x]`.
    public let name: String
    public let min: Int
    /// Maximum cardinality; nil means unbounded (`*`).
    public let max: Int?
    /// Whether the element repeats in the base definition (which decides the JSON array form).
    public let isArray: Bool
    public let types: [TypeReference]
    /// True for `[x]` elements.
    public let isChoice: Bool
    /// True when the XML form is an attribute (`Element.id`, `Extension.url`).
    public let isXMLAttribute: Bool
    public let isModifier: Bool
    public let isSummary: Bool
    public let binding: Binding?
    /// `fixed[x]` / `pattern[x]` as written in the definition (key and JSON value), for the validator.
    public let fixed: JSONMember?
    public let pattern: JSONMember?
    public let invariantKeys: [String]
    /// `#Questionnaire.item` style reuse of another element's children.
    public let contentReference: String?
    /// Position in the definition order of the owning type; sibling order follows it.
    public let order: Int

    /// Direct children, in definition order (inline backbone children, or those of the content reference).
    public internal(set) var children: [ElementDefinition] = []
    /// Children by element name (choice elements under their base name).
    public internal(set) var childrenByName: [String: ElementDefinition] = [:]
    /// Children by the name used on the wire: `valueQuantity` → (value[x], Quantity); `status` → (status, code).
    public internal(set) var childrenByWireName: [String: WireChild] = [:]
    /// This element's wire form for each of its types (one entry unless it is a choice).
    public internal(set) var wires: [WireChild] = []

    init(
        path: String, min: Int, max: Int?, isArray: Bool, types: [TypeReference], isXMLAttribute: Bool,
        isModifier: Bool, isSummary: Bool, binding: Binding?, fixed: JSONMember?, pattern: JSONMember?,
        invariantKeys: [String], contentReference: String?, order: Int
    ) {
        self.path = path
        var last = path.split(separator: ".").last.map(String.init) ?? path
        isChoice = last.hasSuffix("[x]")
        if isChoice { last.removeLast(3) }
        self.name = last
        self.min = min
        self.max = max
        self.isArray = isArray
        self.types = types
        self.isXMLAttribute = isXMLAttribute
        self.isModifier = isModifier
        self.isSummary = isSummary
        self.binding = binding
        self.fixed = fixed
        self.pattern = pattern
        self.invariantKeys = invariantKeys
        self.contentReference = contentReference
        self.order = order
    }

    /// True when the element defines its own children (BackboneElement, Element, or a content reference).
    public var hasInlineChildren: Bool { !children.isEmpty }

    /// The wire name for `type`: `value` + `Quantity` → `valueQuantity` for choices; the name otherwise.
    public func wireName(for type: String) -> String {
        guard isChoice else { return name }
        return name + type.prefix(1).uppercased() + type.dropFirst()
    }

    /// The wire form of this element holding a value of `type`.
    public func wire(for type: String) -> WireChild? {
        if wires.count == 1 { return wires[0] }
        return wires.first { $0.type == type }
    }

    /// The only type, when the element is not a choice.
    public var singleType: String? { types.count == 1 ? types[0].code : nil }
}

/// How a value of one type sits on the wire: what reads and writes need, resolved once at load time.
public struct WireChild: Sendable {
    public enum Kind: Sendable {
        /// A FHIR primitive (value + id/extension children).
        case primitive
        /// A plain value that is an XML attribute (`Element.id`, `Extension.url`).
        case attribute
        /// The narrative div.
        case xhtml
        /// A datatype or backbone element.
        case complex
        /// A whole resource (`contained`, `Bundle.entry.resource`).
        case resource
    }

    public let definition: ElementDefinition
    public let type: String
    public let wireName: String
    public let kind: Kind
    /// Whose children describe the value: the inline backbone element, the datatype's root or the primitive's
    /// root; nil for resources (chosen by their type) and attributes.
    public let context: ElementDefinition?
}
