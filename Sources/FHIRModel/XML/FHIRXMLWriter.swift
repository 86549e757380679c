/// Writes the element tree as FHIR XML: namespace `http://hl7.org/fhir`, elements in definition order,
/// primitives as `value` attributes, `id` and `url` attributes, choice element names, contained resources
/// wrapped in their holder element, the narrative as XHTML.
public struct FHIRXMLWriter: Sendable {
    public let registry: StructureRegistry
    public var pretty: Bool
    /// Whether to start with `<?xml version="1.0" encoding="UTF-8"?>`.
    public var declaration: Bool

    public init(registry: StructureRegistry, pretty: Bool = false, declaration: Bool = true) {
        self.registry = registry
        self.pretty = pretty
        self.declaration = declaration
    }

    /// The XML bytes of `resource`.
    public func write(_ resource: Element) -> [UInt8] {
        var out = XMLOutput(pretty: pretty)
        if declaration {
            out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            if pretty { out.bytes.append(0x0A) }
        }
        writeResource(resource, isRoot: true, to: &out)
        if pretty { out.bytes.append(0x0A) }
        return out.bytes
    }

    /// `write` as a String.
    public func string(_ resource: Element) -> String {
        String(decoding: write(resource), as: UTF8.self)
    }

    func writeResource(_ resource: Element, isRoot: Bool, to out: inout XMLOutput) {
        out.indent()
        out.raw("<")
        out.raw(resource.type)
        if isRoot { out.raw(" xmlns=\"http://hl7.org/fhir\"") }
        guard let type = registry.type(named: resource.type), !resource.children.isEmpty else {
            out.raw("/>")
            return
        }
        out.raw(">")
        out.level += 1
        writeChildElements(resource.children, context: type.root, to: &out)
        out.level -= 1
        out.indent()
        out.raw("</")
        out.raw(resource.type)
        out.raw(">")
    }

    /// Writes the element children (not the attribute ones) in definition order.
    func writeChildElements(_ children: [Element], context: ElementDefinition, to out: inout XMLOutput) {
        for group in ElementGroups(children, context: context).groups {
            guard let wire = group.wire, wire.kind != .attribute else { continue }
            for e in group.elements { writeElement(e, wire: wire, to: &out) }
        }
    }

    func writeElement(_ e: Element, wire: WireChild, to out: inout XMLOutput) {
        switch wire.kind {
        case .attribute:
            return
        case .xhtml:
            out.indent()
            out.raw(XHTML.markupForXML(e.value ?? "") ?? "<div xmlns=\"http://www.w3.org/1999/xhtml\"/>")
        case .resource:
            out.indent()
            out.startTag(wire.wireName)
            out.raw(">")
            out.level += 1
            writeResource(e, isRoot: false, to: &out)
            out.level -= 1
            out.indent()
            out.endTag(wire.wireName)
        case .primitive, .complex:
            out.indent()
            out.startTag(wire.wireName)
            var hasElements = false
            for c in e.children {
                if c.name == "id" || c.name == "url", wire.context?.childrenByName[c.name]?.isXMLAttribute == true {
                    out.attribute(c.name, c.value ?? "")
                } else {
                    hasElements = true
                }
            }
            if wire.kind == .primitive, let v = e.value {
                out.attribute("value", e.type == "positiveInt" && v.hasPrefix("+") ? String(v.dropFirst()) : v)
            }
            guard hasElements, let context = wire.context else {
                out.raw("/>")
                return
            }
            out.raw(">")
            out.level += 1
            writeChildElements(e.children, context: context, to: &out)
            out.level -= 1
            out.indent()
            out.endTag(wire.wireName)
        }
    }
}

/// Byte output with XML escaping.
struct XMLOutput {
    var bytes: [UInt8] = []
    let pretty: Bool
    var level = 0

    init(pretty: Bool) {
        self.pretty = pretty
        bytes.reserveCapacity(8192)
    }

    mutating func raw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    mutating func startTag(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
    }

    mutating func endTag(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(UInt8(ascii: "/"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func indent() {
        guard pretty else { return }
        if !bytes.isEmpty && bytes.last != 0x0A { bytes.append(0x0A) }
        for _ in 0..<level {
            bytes.append(0x20)
            bytes.append(0x20)
        }
    }

    /// ` name="value"` with `& < > "` and line breaks/tabs escaped (so attribute normalisation keeps them).
    mutating func attribute(_ name: String, _ value: String) {
        bytes.append(0x20)
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: "=\"".utf8)
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case 0x0A: raw("&#10;")
            case 0x0D: raw("&#13;")
            case 0x09: raw("&#9;")
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }
}
