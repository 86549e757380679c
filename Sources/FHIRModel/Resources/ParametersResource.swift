/// Typed view of Parameters (operation inputs and outputs).
public struct ParametersResource: ResourceView {
    public static let resourceType = "Parameters"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    /// One parameter: a name and a `value[x]`, a resource, or parts.
    public struct Parameter: Sendable, Hashable {
        public var name: String
        /// The `value[x]` element (its `type` says which choice), if any.
        public var value: Element?
        public var resource: Element?
        public var parts: [Parameter]

        public init(name: String, value: Element? = nil, resource: Element? = nil, parts: [Parameter] = []) {
            self.name = name
            self.value = value
            self.resource = resource
            self.parts = parts
        }

        /// A parameter with a primitive value of `type` (`string`, `dateTime`, `code`…).
        public static func primitive(_ name: String, type: String, _ value: String) -> Parameter {
            Parameter(name: name, value: Element(name: "value", type: type, value: value))
        }

        init(element e: Element) {
            name = e.string("name") ?? ""
            value = e.child("value")
            resource = e.child("resource")
            parts = e.children(named: "part").map(Parameter.init(element:))
        }

        func element(named elementName: String) -> Element {
            var e = Element(name: elementName, type: "BackboneElement")
            e.setPrimitive("name", type: "string", name)
            if var value {
                value.name = "value"
                e.children.append(value)
            }
            if var resource {
                resource.name = "resource"
                e.children.append(resource)
            }
            e.children += parts.map { $0.element(named: "part") }
            return e
        }
    }

    public var parameters: [Parameter] {
        get { element.children(named: "parameter").map(Parameter.init(element:)) }
        set { element.setChildren("parameter", newValue.map { $0.element(named: "parameter") }) }
    }

    /// The parameters named `name`.
    public func parameters(named name: String) -> [Parameter] {
        parameters.filter { $0.name == name }
    }
}
