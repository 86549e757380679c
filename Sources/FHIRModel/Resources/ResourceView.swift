/// A typed view over a resource node of the element tree.
///
/// Views read and write the underlying ``Element`` directly, so nothing the view does not model is lost:
/// extensions, unknown-to-the-view elements and primitive ids all stay in `element`.
public protocol ResourceView: Sendable {
    /// The FHIR resource type the view wraps.
    static var resourceType: String { get }
    var element: Element { get set }
    init(unchecked element: Element)
}

extension ResourceView {
    /// Wraps `element`; nil when it is not a resource of ``resourceType``.
    public init?(_ element: Element) {
        guard element.type == Self.resourceType else { return nil }
        self.init(unchecked: element)
    }

    /// A new, empty resource.
    public init() {
        self.init(unchecked: .resource(Self.resourceType))
    }

    /// The logical id.
    public var id: String? {
        get { element.string("id") }
        set { element.setPrimitive("id", type: "id", newValue) }
    }

    /// `meta.versionId`.
    public var versionId: String? {
        get { element.descendant("meta", "versionId")?.value }
        set { element.updateChild("meta", type: "Meta") { $0.setPrimitive("versionId", type: "id", newValue) } }
    }

    /// `meta.lastUpdated`.
    public var lastUpdated: FHIRDateTime? {
        get { element.descendant("meta", "lastUpdated")?.value.flatMap(FHIRDateTime.init) }
        set {
            element.updateChild("meta", type: "Meta") {
                $0.setPrimitive("lastUpdated", type: "instant", newValue?.text)
            }
        }
    }

    /// `identifier` (the resources that have one).
    public var identifiers: [Identifier] {
        get { element.children(named: "identifier").map(Identifier.init(element:)) }
        set { element.setChildren("identifier", newValue.map { $0.element(named: "identifier") }) }
    }
}

extension Element {
    /// Edits the single complex child `name`, creating it when missing and removing it when left empty.
    public mutating func updateChild(_ name: String, type: String, _ edit: (inout Element) -> Void) {
        var child = self.child(name) ?? Element(name: name, type: type)
        edit(&child)
        setChildren(name, child.isEmpty ? [] : [child])
    }

    /// The first child primitive `name` as a dateTime/instant.
    public func dateTime(_ name: String) -> FHIRDateTime? {
        string(name).flatMap(FHIRDateTime.init)
    }

    /// Sets (or removes) the instant child `name`.
    public mutating func setInstant(_ name: String, _ value: FHIRDateTime?) {
        setPrimitive(name, type: "instant", value?.text)
    }

    /// The codes (system, code, display) of every coding in the CodeableConcepts named `name`.
    public func codings(_ name: String) -> [Coding] {
        children(named: name).flatMap { $0.children(named: "coding").map(Coding.init(element:)) }
    }

    /// The `reference` strings of the Reference children named `name`.
    public func references(_ name: String) -> [String] {
        children(named: name).compactMap { $0.string("reference") }
    }
}
