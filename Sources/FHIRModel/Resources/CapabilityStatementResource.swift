/// Typed view of a CapabilityStatement (the parts a client checks first).
public struct CapabilityStatementResource: ResourceView {
    public static let resourceType = "CapabilityStatement"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    public var status: String? { element.string("status") }
    public var kind: String? { element.string("kind") }
    public var fhirVersion: String? { element.string("fhirVersion") }
    public var formats: [String] { element.children(named: "format").compactMap(\.value) }

    /// Per resource type of the first `rest` entry: the interactions it supports.
    public var interactions: [String: [String]] {
        var out: [String: [String]] = [:]
        for r in element.child("rest")?.children(named: "resource") ?? [] {
            guard let type = r.string("type") else { continue }
            out[type] = r.children(named: "interaction").compactMap { $0.string("code") }
        }
        return out
    }
}

/// Typed view of a Subscription.
public struct SubscriptionResource: ResourceView {
    public static let resourceType = "Subscription"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    public var status: String? {
        get { element.string("status") }
        set { element.setPrimitive("status", type: "code", newValue) }
    }

    public var criteria: String? {
        get { element.string("criteria") }
        set { element.setPrimitive("criteria", type: "string", newValue) }
    }

    public var reason: String? { element.string("reason") }
    public var channelType: String? { element.descendant("channel", "type")?.value }
    public var channelEndpoint: String? { element.descendant("channel", "endpoint")?.value }
    public var channelPayload: String? { element.descendant("channel", "payload")?.value }
}
