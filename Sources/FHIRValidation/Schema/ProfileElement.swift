import FHIRModel

/// One element of a compiled profile (a StructureDefinition's snapshot as a tree).
///
/// Built by ``ProfileBuilder`` and ``SnapshotGenerator``, then frozen: the class is `@unchecked Sendable`
/// because every mutable property is written only before the owning ``Profile`` is shared.
public final class ProfileElement: @unchecked Sendable {
    /// Full path, e.g. `Patient.extension` or `Observation.value[x]`.
    public internal(set) var path: String
    /// Last path segment without `[x]`: the name an ``Element`` child carries.
    public internal(set) var name: String
    public internal(set) var sliceName: String?
    public internal(set) var min: Int
    /// Maximum cardinality; nil is unbounded.
    public internal(set) var max: Int?
    /// True when the base element repeats (decides `[i]` in locations).
    public internal(set) var isArray: Bool
    public internal(set) var isChoice: Bool
    public internal(set) var types: [TypeReference]
    public internal(set) var binding: Binding?
    /// `fixed[x]` as (type suffix, value).
    public internal(set) var fixed: (type: String, value: JSONValue)?
    /// `pattern[x]` as (type suffix, value).
    public internal(set) var pattern: (type: String, value: JSONValue)?
    public internal(set) var slicing: Slicing?
    /// A type profile narrowed to one of its elements (the `elementdefinition-profile-element` extension on
    /// `type.profile`): the canonical URL and the element id whose content applies here.
    public internal(set) var profileElement: (url: String, id: String)?
    public internal(set) var contentReference: String?
    public internal(set) var constraints: [Invariant]
    public internal(set) var maxLength: Int?
    /// The `minLength` extension's value.
    public internal(set) var minLength: Int?
    /// The R5 `ElementDefinition.valueAlternatives`: the extensions that may stand in for a primitive's missing
    /// value (one of them must then be present).
    public internal(set) var valueAlternatives: [String] = []
    /// `narrative-language-control` values: `_no`, `_yes`, `_resource`, or language codes (sections required).
    public internal(set) var narrativeLanguageControl: [String] = []
    /// `narrative-source-control`: the severity (`error`, `warning`, `hint`) for narrative content without a
    /// source class.
    public internal(set) var narrativeSourceControl: String?
    /// The aggregation modes of a Reference type (`contained`, `referenced`, `bundled`); empty when unrestricted.
    public internal(set) var aggregation: [String] = []
    /// `minValue[x]` / `maxValue[x]` as lexical text.
    public internal(set) var minValue: String?
    public internal(set) var maxValue: String?

    /// Inline children (backbone elements, or children a profile constrains), in definition order.
    public internal(set) var children: [ProfileElement] = []
    /// Named slices of this element, in definition order.
    public internal(set) var slices: [ProfileElement] = []
    /// Children by element name (choices under their base name).
    public internal(set) var childrenByName: [String: ProfileElement] = [:]
    /// The element a content reference points at, resolved when the profile is frozen.
    public internal(set) weak var referenced: ProfileElement?

    init(path: String) {
        self.path = path
        var last = path.split(separator: ".").last.map(String.init) ?? path
        isChoice = last.hasSuffix("[x]")
        if isChoice { last.removeLast(3) }
        name = last
        min = 0
        max = 1
        isArray = false
        types = []
        constraints = []
    }

    /// A deep copy (children and slices copied too).
    func copy() -> ProfileElement {
        let c = ProfileElement(path: path)
        c.name = name
        c.isChoice = isChoice
        c.sliceName = sliceName
        c.min = min
        c.max = max
        c.isArray = isArray
        c.types = types
        c.binding = binding
        c.fixed = fixed
        c.pattern = pattern
        c.slicing = slicing
        c.profileElement = profileElement
        c.contentReference = contentReference
        c.constraints = constraints
        c.maxLength = maxLength
        c.minLength = minLength
        c.narrativeLanguageControl = narrativeLanguageControl
        c.valueAlternatives = valueAlternatives
        c.narrativeSourceControl = narrativeSourceControl
        c.aggregation = aggregation
        c.minValue = minValue
        c.maxValue = maxValue
        c.children = children.map { $0.copy() }
        c.slices = slices.map { $0.copy() }
        return c
    }

    /// Rewrites the paths of this subtree under a new prefix (when a datatype's elements are copied in).
    func rebase(from old: String, to new: String) {
        if path.hasPrefix(old) { path = new + path.dropFirst(old.count) }
        for c in children { c.rebase(from: old, to: new) }
        for s in slices { s.rebase(from: old, to: new) }
    }

    /// Builds the name indexes of the subtree.
    func freeze() {
        childrenByName = [:]
        for c in children where childrenByName[c.name] == nil { childrenByName[c.name] = c }
        for c in children { c.freeze() }
        for s in slices { s.freeze() }
    }

    /// The type codes allowed here.
    public var typeCodes: [String] { types.map(\.code) }
}

/// The slicing of an element.
public struct Slicing: Sendable {
    /// A discriminator: type (value, pattern, type, profile, exists) and path.
    public struct Discriminator: Sendable {
        public var type: String
        public var path: String
    }

    public var discriminators: [Discriminator]
    /// open, closed or openAtEnd.
    public var rules: String
    public var ordered: Bool
}
