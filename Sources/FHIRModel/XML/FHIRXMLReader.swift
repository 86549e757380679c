internal import CLibXML2

/// Reads FHIR XML into the lossless ``Element`` tree.
///
/// Hostile input is refused before or while parsing: documents over ``ReaderLimits/maxBytes``, any DOCTYPE or
/// ENTITY declaration (XXE, entity bombs), network access (never enabled), nesting beyond
/// ``ReaderLimits/maxDepth`` (libxml2 additionally stops at 256). Structure errors carry the element path
/// and the source line.
public struct FHIRXMLReader: ResourceReader {
    public let registry: StructureRegistry
    public var limits: ReaderLimits

    public init(registry: StructureRegistry, limits: ReaderLimits = .default) {
        self.registry = registry
        self.limits = limits
    }

    public func read(_ bytes: [UInt8], keepsInvalidValues: Bool) throws(FHIRFormatError) -> LenientRead {
        if bytes.count > limits.maxBytes {
            throw FHIRFormatError(issues: [
                ParseIssue(
                    code: .tooLarge, severity: .fatal,
                    message: "document of \(bytes.count) bytes exceeds the limit of \(limits.maxBytes) bytes", path: "")
            ])
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw FHIRFormatError(issues: [
                ParseIssue(code: .emptyDocument, severity: .fatal, message: "the document is empty", path: "")
            ])
        }
        if SafeXML.containsDoctype(bytes) {
            throw FHIRFormatError(issues: [
                ParseIssue(
                    code: .xmlDoctype, severity: .fatal,
                    message: "DOCTYPE and ENTITY declarations are not allowed in FHIR XML", path: "")
            ])
        }
        if let bad = SafeXML.firstInvalidUTF8(bytes) {
            let loc = SourceLocator(bytes).location(of: bad)
            throw FHIRFormatError(issues: [
                ParseIssue(
                    code: .invalidUTF8, severity: .fatal,
                    message: "the document is not valid UTF-8 (FHIR requires UTF-8)",
                    path: "", line: loc?.line, column: loc?.column)
            ])
        }
        var first = cfhir_first_error()
        let parsed: xmlDocPtr? = withUnsafeMutablePointer(to: &first) { firstPointer in
            guard let ctxt = cfhir_new_recording_parser_context(firstPointer) else { return nil }
            defer { xmlFreeParserCtxt(ctxt) }
            return bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlCtxtReadMemory(ctxt, $0, Int32(buf.count), nil, "UTF-8", cfhir_safe_parse_options())
                }
            }
        }
        guard let doc = parsed, first.seen == 0 else {
            if let parsed { xmlFreeDoc(parsed) }
            let message = withUnsafeBytes(of: first.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }.trimmed(of: " \n")
            let tooDeep = message.contains("Excessive depth")
            throw FHIRFormatError(issues: [
                ParseIssue(
                    code: tooDeep ? .tooDeep : .xmlSyntax, severity: .fatal,
                    message: first.seen != 0 ? message : "malformed XML", path: "",
                    line: first.line > 0 ? Int(first.line) : nil, column: first.column > 0 ? Int(first.column) : nil)
            ])
        }
        defer { xmlFreeDoc(doc) }
        if doc.pointee.intSubset != nil || doc.pointee.extSubset != nil {
            throw FHIRFormatError(issues: [
                ParseIssue(code: .xmlDoctype, severity: .fatal, message: "DOCTYPE is not allowed in FHIR XML", path: "")
            ])
        }
        var walker = XMLTreeWalker(registry: registry, maxDepth: limits.maxDepth)
        walker.keepsInvalidValues = keepsInvalidValues
        let root = xmlDocGetRootElement(doc)!
        let element = walker.readResource(root, name: nil, depth: 1)
        let ordered = walker.issues.enumerated().sorted { a, b in
            (a.element.line ?? 0, a.offset) < (b.element.line ?? 0, b.offset)
        }.map(\.element)
        return LenientRead(element: element, issues: ordered)
    }

    /// Reads one resource from text.
    public func readResource(_ text: String) throws(FHIRFormatError) -> Element {
        try readResource(Array(text.utf8))
    }
}

/// Walks a libxml2 tree with the structure definitions.
///
/// Locations are a stack of segments rendered only when an issue is reported; names and namespaces are
/// compared on libxml2's own strings, so valid content costs no string conversions beyond values.
struct XMLTreeWalker {
    let registry: StructureRegistry
    let maxDepth: Int
    var issues: [ParseIssue] = []
    var stopped = false
    /// Lenient reading: a primitive whose text breaks its type's lexical rules is reported and kept (an empty one
    /// as an element without a value).
    var keepsInvalidValues = false
    private var pathStack: [PathSegment] = []

    init(registry: StructureRegistry, maxDepth: Int) {
        self.registry = registry
        self.maxDepth = maxDepth
    }

    mutating func report(
        _ code: ParseIssueCode, _ message: String, node: xmlNodePtr?, child: String? = nil,
        severity: ParseIssue.Severity = .error
    ) {
        var path = PathSegment.render(pathStack)
        if let child { path += path.isEmpty ? child : "." + child }
        let line = node.map { Int(xmlGetLineNo($0)) }.flatMap { $0 > 0 ? $0 : nil }
        issues.append(ParseIssue(code: code, severity: severity, message: message, path: path, line: line))
    }

    mutating func checkDepth(_ depth: Int, node: xmlNodePtr) -> Bool {
        if depth > maxDepth {
            if !stopped {
                report(.tooDeep, "nesting deeper than the limit of \(maxDepth)", node: node, severity: .fatal)
            }
            stopped = true
            return false
        }
        return true
    }

    mutating func readResource(_ node: xmlNodePtr, name: String?, depth: Int) -> Element? {
        let rt = SafeXML.name(node)
        guard SafeXML.isFHIR(node) else {
            report(.xmlWrongNamespace, "element '\(rt)' is not in the FHIR namespace", node: node)
            return nil
        }
        guard let type = registry.type(named: rt), type.kind == .resource else {
            report(.unknownResourceType, "unknown resource type '\(rt)'", node: node)
            return nil
        }
        if type.isAbstract {
            report(.abstractResourceType, "'\(rt)' is abstract", node: node)
            return nil
        }
        guard checkDepth(depth, node: node) else { return nil }
        let isRoot = pathStack.isEmpty
        if isRoot { pathStack.append(PathSegment(name: rt)) }
        defer { if isRoot { pathStack.removeLast() } }
        let children = readChildren(node, context: type.root, depth: depth)
        return Element(name: name ?? rt, type: rt, children: children)
    }

    /// Reads attributes and child elements of `node` as children described by `context`.
    mutating func readChildren(_ node: xmlNodePtr, context: ElementDefinition, depth: Int, primitiveSide: Bool = false)
        -> [Element]
    {
        var out: [Element] = []
        var attr = node.pointee.properties
        while let a = attr {
            attr = a.pointee.next
            if let ns = a.pointee.ns {
                if SafeXML.isSchemaInstance(ns) { continue }
                report(
                    .xmlUnexpectedAttribute, "unexpected attribute '\(String(cString: a.pointee.name))' in a namespace",
                    node: node)
                continue
            }
            if primitiveSide && SafeXML.equals(a.pointee.name, "value") { continue }
            let an = String(cString: a.pointee.name)
            if let def = context.childrenByName[an], def.isXMLAttribute {
                let value = SafeXML.attributeValue(a)
                let type = def.singleType ?? "string"
                if let problem = PrimitiveLexicon.problem(type: type, value: value) {
                    report(
                        .invalidPrimitive, "invalid \(type) '\(JSONTreeBuilder.excerpt(value))': \(problem)",
                        node: node,
                        child: an)
                    if keepsInvalidValues {
                        out.append(Element(name: an, type: type, value: value.isEmpty ? nil : value))
                    }
                } else {
                    out.append(Element(name: an, type: type, value: value))
                }
            } else {
                report(.xmlUnexpectedAttribute, "unexpected attribute '\(an)'", node: node)
            }
        }
        // (definition, type, count) of each element seen, to refuse repeats and mixed choices.
        var seen: [(definition: ElementDefinition, type: String, count: Int)] = []
        var lastOrder = Int.min
        var child = node.pointee.children
        while let c = child {
            child = c.pointee.next
            if stopped { break }
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                break
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if !SafeXML.isBlank(c) {
                    report(
                        .xmlUnexpectedText, "text content is not allowed here (values go in the value attribute)",
                        node: c)
                }
                continue
            default:
                continue
            }
            let wireName = SafeXML.name(c)
            guard let wire = context.childrenByWireName[wireName], !(primitiveSide && wire.definition.name == "value")
            else {
                report(.unknownElement, "unknown element '\(wireName)'", node: c, child: wireName)
                continue
            }
            let def = wire.definition
            let namespaceOK = wire.kind == .xhtml ? SafeXML.isXHTML(c) : SafeXML.isFHIR(c)
            guard namespaceOK else {
                let expected = wire.kind == .xhtml ? XHTML.namespace : SafeXML.fhirNamespace
                report(
                    .xmlWrongNamespace, "element '\(wireName)' must be in the namespace \(expected)", node: c,
                    child: wireName)
                continue
            }
            if wire.kind == .attribute {
                report(.unknownElement, "'\(wireName)' must be an attribute, not an element", node: c, child: wireName)
                continue
            }
            if def.order < lastOrder {
                report(
                    .xmlOutOfOrder, "'\(wireName)' is out of order: FHIR XML follows the definition order", node: c,
                    child: wireName)
            }
            lastOrder = max(lastOrder, def.order)
            var index = 0
            if let k = seen.firstIndex(where: { $0.definition === def }) {
                if seen[k].type != wire.type {
                    report(
                        .multipleChoiceValues, "only one of the choices of '\(def.name)[x]' may be present", node: c,
                        child: wireName)
                    continue
                }
                index = seen[k].count
                if !def.isArray {
                    report(.xmlRepeated, "'\(wireName)' does not repeat", node: c, child: wireName)
                    continue
                }
                seen[k].count += 1
            } else {
                seen.append((def, wire.type, 1))
            }
            pathStack.append(PathSegment(name: wireName, index: def.isArray ? index : nil))
            if let e = readElement(c, wire: wire, depth: depth + 1) { out.append(e) }
            pathStack.removeLast()
        }
        return Element.inDefinitionOrder(out, context: context)
    }

    mutating func readElement(_ node: xmlNodePtr, wire: WireChild, depth: Int) -> Element? {
        guard checkDepth(depth, node: node) else { return nil }
        let name = wire.definition.name
        switch wire.kind {
        case .xhtml:
            return Element(name: name, type: wire.type, value: XHTML.serialize(node, forXML: false))
        case .primitive, .attribute:
            var element = Element(name: name, type: wire.type)
            var valueReported = false
            if let raw = xmlGetNoNsProp(node, "value") {
                let value = String(cString: raw)
                cfhir_free_string(raw)
                let checkType = wire.type.hasPrefix("System.") ? "string" : wire.type
                if let problem = PrimitiveLexicon.problem(type: checkType, value: value) {
                    report(
                        .invalidPrimitive, "invalid \(wire.type) '\(JSONTreeBuilder.excerpt(value))': \(problem)",
                        node: node)
                    guard keepsInvalidValues else { return nil }
                    valueReported = true
                    if !value.isEmpty { element.value = value }
                } else {
                    element.value = value
                }
            }
            if let root = wire.context {
                element.children = readChildren(node, context: root, depth: depth, primitiveSide: true)
            }
            if element.value == nil && element.children.allSatisfy({ $0.name == "id" }) {
                if !valueReported {
                    report(.xmlMissingValue, "'\(name)' has neither a value attribute nor extensions", node: node)
                }
                // Lenient: kept empty, so that a validator reports it against the element's rules (ele-1).
                return keepsInvalidValues ? element : nil
            }
            return element
        case .resource:
            var a = node.pointee.properties
            while let attr = a {
                report(
                    .xmlUnexpectedAttribute, "unexpected attribute '\(String(cString: attr.pointee.name))'", node: node)
                a = attr.pointee.next
            }
            var resources: [xmlNodePtr] = []
            var c = node.pointee.children
            while let n = c {
                if n.pointee.type == XML_ELEMENT_NODE {
                    resources.append(n)
                } else if (n.pointee.type == XML_TEXT_NODE || n.pointee.type == XML_CDATA_SECTION_NODE)
                    && !SafeXML.isBlank(n)
                {
                    report(.xmlUnexpectedText, "text content is not allowed here", node: n)
                }
                c = n.pointee.next
            }
            guard resources.count == 1 else {
                report(.xmlResourceWrapper, "'\(name)' must hold exactly one resource element", node: node)
                return nil
            }
            return readResource(resources[0], name: name, depth: depth + 1)
        case .complex:
            guard let context = wire.context else {
                report(.unknownElement, "no definition for type '\(wire.type)'", node: node)
                return nil
            }
            let issuesBefore = issues.count
            let children = readChildren(node, context: context, depth: depth)
            if children.allSatisfy({ $0.name == "id" }) {
                // Only report when nothing inside was reported already: that issue is the cause.
                if !stopped && issues.count == issuesBefore {
                    report(.elementWithoutContent, "'\(name)' has no content", node: node)
                }
                return nil
            }
            return Element(name: name, type: wire.type, children: children)
        }
    }
}
