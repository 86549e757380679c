/// Writes the element tree as FHIR JSON: `resourceType` first, elements in definition order, `_field` objects
/// for primitive ids and extensions (with `null`-aligned arrays), numbers and booleans unquoted with their
/// exact text. Never writes an empty object, array or string.
public struct FHIRJSONWriter: Sendable {
    public let registry: StructureRegistry
    public var pretty: Bool

    public init(registry: StructureRegistry, pretty: Bool = false) {
        self.registry = registry
        self.pretty = pretty
    }

    /// The JSON bytes of `resource` (a resource node).
    public func write(_ resource: Element) -> [UInt8] {
        var out = JSONOutput(pretty: pretty, capacity: 8192)
        writeResource(resource, to: &out)
        if pretty { out.bytes.append(0x0A) }
        return out.bytes
    }

    /// `write` as a String.
    public func string(_ resource: Element) -> String {
        String(decoding: write(resource), as: UTF8.self)
    }

    func writeResource(_ resource: Element, to out: inout JSONOutput) {
        out.raw("{")
        out.level += 1
        out.newline()
        out.key("resourceType")
        out.string(resource.type)
        if let type = registry.type(named: resource.type) {
            writeMembers(resource.children, context: type.root, to: &out, first: false)
        }
        out.level -= 1
        out.newline()
        out.raw("}")
    }

    /// Writes the children of one object as members (without braces); returns whether anything was written.
    @discardableResult
    func writeMembers(_ children: [Element], context: ElementDefinition, to out: inout JSONOutput, first: Bool) -> Bool
    {
        var first = first
        let ordered = Element.inDefinitionOrder(children, context: context)
        var i = 0
        while i < ordered.count {
            let name = ordered[i].name
            let type = ordered[i].type
            var j = i + 1
            while j < ordered.count, ordered[j].name == name { j += 1 }
            let group = ordered[i..<j]
            i = j
            guard let def = context.childrenByName[name] else { continue }
            let wire = def.wireName(for: type)
            if registry.isPrimitive(type) {
                writePrimitiveGroup(group, wire: wire, def: def, to: &out, first: &first)
            } else {
                if !first { out.raw(",") }
                first = false
                out.newline()
                out.key(wire)
                if def.isArray {
                    out.raw("[")
                    out.level += 1
                    for (k, e) in group.enumerated() {
                        if k > 0 { out.raw(",") }
                        out.newline()
                        writeComplex(e, def: def, to: &out)
                    }
                    out.level -= 1
                    out.newline()
                    out.raw("]")
                } else {
                    writeComplex(group.first!, def: def, to: &out)
                }
            }
        }
        return !first
    }

    func writeComplex(_ e: Element, def: ElementDefinition, to out: inout JSONOutput) {
        if registry.holdsResource(e.type) && registry.type(named: e.type)?.kind == .resource {
            writeResource(e, to: &out)
            return
        }
        out.raw("{")
        out.level += 1
        if let ctx = registry.childContext(of: def, type: e.type) {
            writeMembers(e.children, context: ctx, to: &out, first: true)
        }
        out.level -= 1
        out.newline()
        out.raw("}")
    }

    func writePrimitiveGroup(
        _ group: ArraySlice<Element>, wire: String, def: ElementDefinition, to out: inout JSONOutput,
        first: inout Bool
    ) {
        let hasValues = group.contains { $0.value != nil }
        let hasExtras = group.contains { !$0.children.isEmpty }
        let primitiveRoot = registry.type(named: group.first!.type)?.root
        if hasValues {
            if !first { out.raw(",") }
            first = false
            out.newline()
            out.key(wire)
            if def.isArray {
                out.raw("[")
                for (k, e) in group.enumerated() {
                    if k > 0 { out.raw(",") }
                    if pretty { out.raw(" ") }
                    writePrimitiveValue(e, to: &out)
                }
                if pretty { out.raw(" ") }
                out.raw("]")
            } else {
                writePrimitiveValue(group.first!, to: &out)
            }
        }
        if hasExtras, let primitiveRoot {
            if !first { out.raw(",") }
            first = false
            out.newline()
            out.key("_" + wire)
            if def.isArray {
                out.raw("[")
                out.level += 1
                for (k, e) in group.enumerated() {
                    if k > 0 { out.raw(",") }
                    out.newline()
                    if e.children.isEmpty {
                        out.raw("null")
                    } else {
                        writeExtras(e, root: primitiveRoot, to: &out)
                    }
                }
                out.level -= 1
                out.newline()
                out.raw("]")
            } else {
                writeExtras(group.first!, root: primitiveRoot, to: &out)
            }
        }
    }

    func writeExtras(_ e: Element, root: ElementDefinition, to out: inout JSONOutput) {
        out.raw("{")
        out.level += 1
        writeMembers(e.children, context: root, to: &out, first: true)
        out.level -= 1
        out.newline()
        out.raw("}")
    }

    func writePrimitiveValue(_ e: Element, to out: inout JSONOutput) {
        guard let v = e.value else {
            out.raw("null")
            return
        }
        switch e.type {
        case "boolean", "integer", "unsignedInt", "decimal":
            out.raw(v)
        case "positiveInt":
            out.raw(v.hasPrefix("+") ? String(v.dropFirst()) : v)
        default:
            out.string(v)
        }
    }
}
