import FHIRModel

/// A compiled StructureDefinition: a core type, a constraint profile or an extension definition.
public final class Profile: Sendable {
    public let url: String
    public let name: String
    /// The constrained type (`Patient`, `Extension`, `Quantity`).
    public let type: String
    public let kind: String
    public let isAbstract: Bool
    /// `specialization` (core types) or `constraint` (profiles).
    public let derivation: String
    public let baseDefinition: String?
    /// For extensions: the contexts (type, expression) where they may be used.
    public let contexts: [(type: String, expression: String)]
    public let root: ProfileElement

    init(
        url: String, name: String, type: String, kind: String, isAbstract: Bool, derivation: String,
        baseDefinition: String?, contexts: [(type: String, expression: String)], root: ProfileElement
    ) {
        self.url = url
        self.name = name
        self.type = type
        self.kind = kind
        self.isAbstract = isAbstract
        self.derivation = derivation
        self.baseDefinition = baseDefinition
        self.contexts = contexts
        self.root = root
        root.freeze()
        Self.resolveContentReferences(root, root: root)
    }

    private static func resolveContentReferences(_ e: ProfileElement, root: ProfileElement) {
        if let ref = e.contentReference {
            let target = String(ref.split(separator: "#").last ?? "")
            e.referenced = find(target, in: root)
        }
        for c in e.children { resolveContentReferences(c, root: root) }
        for s in e.slices { resolveContentReferences(s, root: root) }
    }

    private static func find(_ path: String, in e: ProfileElement) -> ProfileElement? {
        if e.path == path && e.sliceName == nil { return e }
        for c in e.children where path.hasPrefix(c.path) {
            if let f = find(path, in: c) { return f }
        }
        return nil
    }
}
