/// A Coding (system, code, display): the part of a CodeableConcept a booking rule looks at.
public struct Coding: Sendable, Hashable {
    public var system: String?
    public var code: String?
    public var display: String?

    public init(system: String? = nil, code: String?, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }

    public init(element: Element) {
        self.init(system: element.string("system"), code: element.string("code"), display: element.string("display"))
    }

    /// The Coding as an element named `name`.
    public func element(named name: String = "coding") -> Element {
        var e = Element(name: name, type: "Coding")
        e.setPrimitive("system", type: "uri", system)
        e.setPrimitive("code", type: "code", code)
        e.setPrimitive("display", type: "string", display)
        return e
    }

    /// A CodeableConcept with this single coding, named `name`.
    public func codeableConcept(named name: String) -> Element {
        Element(name: name, type: "CodeableConcept", children: [element()])
    }
}

/// An Identifier (system, value).
public struct Identifier: Sendable, Hashable {
    public var system: String?
    public var value: String?

    public init(system: String?, value: String?) {
        self.system = system
        self.value = value
    }

    public init(element: Element) {
        self.init(system: element.string("system"), value: element.string("value"))
    }

    public func element(named name: String = "identifier") -> Element {
        var e = Element(name: name, type: "Identifier")
        e.setPrimitive("system", type: "uri", system)
        e.setPrimitive("value", type: "string", value)
        return e
    }
}

/// A Reference (reference, display).
public struct Reference: Sendable, Hashable {
    public var reference: String?
    public var display: String?

    public init(_ reference: String?, display: String? = nil) {
        self.reference = reference
        self.display = display
    }

    public init(element: Element) {
        self.init(element.string("reference"), display: element.string("display"))
    }

    public func element(named name: String) -> Element {
        var e = Element(name: name, type: "Reference")
        e.setPrimitive("reference", type: "string", reference)
        e.setPrimitive("display", type: "string", display)
        return e
    }
}
