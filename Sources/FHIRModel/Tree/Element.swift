/// A node of the lossless FHIR element tree: a resource, a complex value, or a primitive.
///
/// - A resource has `type` = its resource type and `name` = the element holding it (the resource type at the root).
/// - A primitive keeps its lexical `value` exactly as read (`1.50`, `2024-03`, `+01:00` offsets); its
///   `id` and `extension` are children like any other.
/// - Element ids (`Element.id`) and `Extension.url` are children named `id` / `url` whose XML form is an attribute.
/// - Choice elements keep their base `name` (`value`) and the chosen `type` (`Quantity`); the wire name
///   (`valueQuantity`) is derived.
/// - The narrative `div` is a primitive of type `xhtml` whose value is the XHTML markup.
///
/// Children are kept in definition order, repeated elements in their given order.
public struct Element: Sendable, Hashable {
    public var name: String
    public var type: String
    public var value: String?
    public var children: [Element]

    public init(name: String, type: String, value: String? = nil, children: [Element] = []) {
        self.name = name
        self.type = type
        self.value = value
        self.children = children
    }

    /// A resource node.
    public static func resource(_ type: String, children: [Element] = []) -> Element {
        Element(name: type, type: type, children: children)
    }

    /// All children named `name`, in order.
    public func children(named name: String) -> [Element] {
        children.filter { $0.name == name }
    }

    /// The first child named `name`.
    public func child(_ name: String) -> Element? {
        children.first { $0.name == name }
    }

    /// The lexical value of the first child primitive named `name`.
    public func string(_ name: String) -> String? {
        child(name)?.value
    }

    /// The element reached by following `names` through first children.
    public func descendant(_ names: String...) -> Element? {
        var current: Element? = self
        for n in names { current = current?.child(n) }
        return current
    }

    /// Replaces all children named `name` by `values` (kept at the position of the first old one, or appended).
    public mutating func setChildren(_ name: String, _ values: [Element]) {
        let at = children.firstIndex { $0.name == name } ?? children.count
        children.removeAll { $0.name == name }
        children.insert(contentsOf: values, at: min(at, children.count))
    }

    /// Sets (or removes, with nil) the single primitive child `name` of type `type`.
    public mutating func setPrimitive(_ name: String, type: String, _ value: String?) {
        if let value {
            if let i = children.firstIndex(where: { $0.name == name }) {
                children[i].value = value
                children[i].type = type
            } else {
                children.append(Element(name: name, type: type, value: value))
            }
        } else {
            children.removeAll { $0.name == name && $0.children.isEmpty }
        }
    }

    /// The extensions directly on this element with the given URL.
    public func extensions(url: String) -> [Element] {
        children.filter { $0.name == "extension" && $0.string("url") == url }
    }

    /// True when the node carries neither a value nor children: FHIR forbids such elements.
    public var isEmpty: Bool { value == nil && children.isEmpty }

    /// For a resource node: its logical id.
    public var resourceID: String? { string("id") }
}
