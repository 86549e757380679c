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
            var first = false
            writeMembers(resource.children, context: type.root, to: &out, first: &first)
        }
        out.level -= 1
        out.newline()
        out.raw("}")
    }

    /// Writes the children of one object as members (without braces).
    func writeMembers(_ children: [Element], context: ElementDefinition, to out: inout JSONOutput, first: inout Bool) {
        for group in ElementGroups(children, context: context).groups {
            guard let wire = group.wire else { continue }
            switch wire.kind {
            case .primitive, .attribute, .xhtml:
                writePrimitiveGroup(group.elements, wire: wire, to: &out, first: &first)
            case .complex, .resource:
                if !first { out.raw(",") }
                first = false
                out.newline()
                out.key(wire.wireName)
                if wire.definition.isArray {
                    out.raw("[")
                    out.level += 1
                    for (k, e) in group.elements.enumerated() {
                        if k > 0 { out.raw(",") }
                        out.newline()
                        writeComplex(e, wire: wire, to: &out)
                    }
                    out.level -= 1
                    out.newline()
                    out.raw("]")
                } else {
                    writeComplex(group.elements[group.elements.startIndex], wire: wire, to: &out)
                }
            }
        }
    }

    func writeComplex(_ e: Element, wire: WireChild, to out: inout JSONOutput) {
        if wire.kind == .resource {
            writeResource(e, to: &out)
            return
        }
        out.raw("{")
        out.level += 1
        if let ctx = wire.context {
            var first = true
            writeMembers(e.children, context: ctx, to: &out, first: &first)
        }
        out.level -= 1
        out.newline()
        out.raw("}")
    }

    func writePrimitiveGroup(_ group: ArraySlice<Element>, wire: WireChild, to out: inout JSONOutput, first: inout Bool)
    {
        let isArray = wire.definition.isArray
        var hasValues = false
        var hasExtras = false
        for e in group {
            if e.value != nil { hasValues = true }
            if !e.children.isEmpty { hasExtras = true }
        }
        if hasValues {
            if !first { out.raw(",") }
            first = false
            out.newline()
            out.key(wire.wireName)
            if isArray {
                out.raw("[")
                var k = 0
                for e in group {
                    if k > 0 { out.raw(",") }
                    if pretty { out.raw(" ") }
                    writePrimitiveValue(e, to: &out)
                    k += 1
                }
                if pretty { out.raw(" ") }
                out.raw("]")
            } else {
                writePrimitiveValue(group[group.startIndex], to: &out)
            }
        }
        if hasExtras, let root = wire.context {
            if !first { out.raw(",") }
            first = false
            out.newline()
            out.raw("\"_")
            out.raw(wire.wireName)
            out.raw(pretty ? "\": " : "\":")
            if isArray {
                out.raw("[")
                out.level += 1
                var k = 0
                for e in group {
                    if k > 0 { out.raw(",") }
                    out.newline()
                    if e.children.isEmpty { out.raw("null") } else { writeExtras(e, root: root, to: &out) }
                    k += 1
                }
                out.level -= 1
                out.newline()
                out.raw("]")
            } else {
                writeExtras(group[group.startIndex], root: root, to: &out)
            }
        }
    }

    func writeExtras(_ e: Element, root: ElementDefinition, to out: inout JSONOutput) {
        out.raw("{")
        out.level += 1
        var first = true
        writeMembers(e.children, context: root, to: &out, first: &first)
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
