internal import CLibXML2

/// Reads FHIR XML into the lossless ``Element`` tree.
///
/// Hostile input is refused before or while parsing: documents over ``ReaderLimits/maxBytes``, any DOCTYPE or
/// ENTITY declaration (XXE, entity bombs), network access (never enabled), nesting beyond
/// ``ReaderLimits/maxDepth`` (libxml2 additionally stops at 256). Structure errors carry the element path
/// and the source line.
public struct FHIRXMLReader: Sendable {
    public let registry: StructureRegistry
    public var limits: ReaderLimits

    public init(registry: StructureRegistry, limits: ReaderLimits = .default) {
        self.registry = registry
        self.limits = limits
    }

    /// Reads one resource.
    /// - Throws: ``FHIRFormatError`` with every problem found.
    public func readResource(_ bytes: [UInt8]) throws(FHIRFormatError) -> Element {
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
        guard let ctxt = cfhir_new_quiet_parser_context() else {
            throw FHIRFormatError(issues: [
                ParseIssue(code: .xmlSyntax, severity: .fatal, message: "out of memory", path: "")
            ])
        }
        defer { xmlFreeParserCtxt(ctxt) }
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlCtxtReadMemory(ctxt, $0, Int32(buf.count), nil, nil, cfhir_safe_parse_options())
            }
        }
        guard let doc else {
            var issue = ParseIssue(
                code: .xmlSyntax, severity: .fatal, message: SafeXML.lastErrorMessage(ctxt), path: "")
            if let err = xmlCtxtGetLastError(ctxt) {
                if err.pointee.code == XML_ERR_INVALID_CHAR.rawValue
                    || err.pointee.code == XML_ERR_INVALID_ENCODING.rawValue
                {
                    issue.code = .invalidUTF8
                }
                issue.line = Int(err.pointee.line)
                issue.column = err.pointee.int2 > 0 ? Int(err.pointee.int2) : nil
            }
            throw FHIRFormatError(issues: [issue])
        }
        defer { xmlFreeDoc(doc) }
        if doc.pointee.intSubset != nil || doc.pointee.extSubset != nil {
            throw FHIRFormatError(issues: [
                ParseIssue(code: .xmlDoctype, severity: .fatal, message: "DOCTYPE is not allowed in FHIR XML", path: "")
            ])
        }
        var walker = XMLTreeWalker(registry: registry, maxDepth: limits.maxDepth)
        let root = xmlDocGetRootElement(doc)!
        let element = walker.readResource(root, path: nil, name: nil, depth: 1)
        if walker.issues.contains(where: { $0.severity != .warning }) || element == nil {
            let ordered = walker.issues.enumerated().sorted { a, b in
                (a.element.line ?? 0, a.offset) < (b.element.line ?? 0, b.offset)
            }.map(\.element)
            throw FHIRFormatError(issues: ordered)
        }
        return element!
    }

    /// Reads one resource from text.
    public func readResource(_ text: String) throws(FHIRFormatError) -> Element {
        try readResource(Array(text.utf8))
    }
}

/// Walks a libxml2 tree with the structure definitions.
struct XMLTreeWalker {
    let registry: StructureRegistry
    let maxDepth: Int
    var issues: [ParseIssue] = []
    var stopped = false

    init(registry: StructureRegistry, maxDepth: Int) {
        self.registry = registry
        self.maxDepth = maxDepth
    }

    mutating func report(_ code: ParseIssueCode, _ message: String, path: String, node: xmlNodePtr?) {
        let line = node.map { Int(xmlGetLineNo($0)) }.flatMap { $0 > 0 ? $0 : nil }
        issues.append(ParseIssue(code: code, message: message, path: path, line: line))
    }

    mutating func checkDepth(_ depth: Int, node: xmlNodePtr, path: String) -> Bool {
        if depth > maxDepth {
            if !stopped {
                issues.append(
                    ParseIssue(
                        code: .tooDeep, severity: .fatal, message: "nesting deeper than the limit of \(maxDepth)",
                        path: path, line: Int(xmlGetLineNo(node))))
            }
            stopped = true
            return false
        }
        return true
    }

    mutating func readResource(_ node: xmlNodePtr, path: String?, name: String?, depth: Int) -> Element? {
        let rt = SafeXML.name(node)
        guard SafeXML.namespace(node) == SafeXML.fhirNamespace else {
            report(.xmlWrongNamespace, "element '\(rt)' is not in the FHIR namespace", path: path ?? rt, node: node)
            return nil
        }
        guard let type = registry.type(named: rt), type.kind == .resource else {
            report(.unknownResourceType, "unknown resource type '\(rt)'", path: path ?? "", node: node)
            return nil
        }
        if type.isAbstract {
            report(.abstractResourceType, "'\(rt)' is abstract", path: path ?? "", node: node)
            return nil
        }
        guard checkDepth(depth, node: node, path: path ?? rt) else { return nil }
        let children = readChildren(node, context: type.root, path: path ?? rt, depth: depth, isResource: true)
        return Element(name: name ?? rt, type: rt, children: children)
    }

    /// Reads attributes and child elements of `node` as children described by `context`.
    mutating func readChildren(
        _ node: xmlNodePtr, context: ElementDefinition, path: String, depth: Int, isResource: Bool = false,
        primitiveSide: Bool = false
    ) -> [Element] {
        var out: [Element] = []
        var attr = node.pointee.properties
        while let a = attr {
            attr = a.pointee.next
            let an = String(cString: a.pointee.name)
            if let ns = a.pointee.ns, let href = ns.pointee.href {
                let nsText = String(cString: href)
                if nsText == "http://www.w3.org/2001/XMLSchema-instance" { continue }
                report(
                    .xmlUnexpectedAttribute, "unexpected attribute '\(an)' in namespace \(nsText)",
                    path: path, node: node)
                continue
            }
            if primitiveSide && an == "value" { continue }
            if let def = context.childrenByName[an], def.isXMLAttribute {
                let value = SafeXML.attributeValue(a)
                let type = def.singleType ?? "string"
                if let problem = PrimitiveLexicon.problem(type: type, value: value) {
                    report(
                        .invalidPrimitive, "invalid \(type) '\(JSONTreeBuilder.excerpt(value))': \(problem)",
                        path: path + "." + an, node: node)
                } else {
                    out.append(Element(name: an, type: type, value: value))
                }
            } else {
                report(.xmlUnexpectedAttribute, "unexpected attribute '\(an)'", path: path, node: node)
            }
        }
        var counts: [ObjectIdentifier: (type: String, count: Int)] = [:]
        var child = node.pointee.children
        while let c = child {
            child = c.pointee.next
            if stopped { break }
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                break
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content,
                    !String(cString: content).utf8.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
                {
                    report(
                        .xmlUnexpectedText, "text content is not allowed here (values go in the value attribute)",
                        path: path, node: c)
                }
                continue
            default:
                continue
            }
            let wire = SafeXML.name(c)
            let ns = SafeXML.namespace(c)
            guard let (def, type) = context.childrenByWireName[wire], !(primitiveSide && def.name == "value") else {
                report(.unknownElement, "unknown element '\(wire)'", path: path + "." + wire, node: c)
                continue
            }
            let expectedNS = type == "xhtml" ? XHTML.namespace : SafeXML.fhirNamespace
            guard ns == expectedNS else {
                report(
                    .xmlWrongNamespace, "element '\(wire)' must be in the namespace \(expectedNS)",
                    path: path + "." + wire, node: c)
                continue
            }
            if def.isXMLAttribute {
                report(
                    .unknownElement, "'\(wire)' must be an attribute, not an element", path: path + "." + wire,
                    node: c)
                continue
            }
            let key = ObjectIdentifier(def)
            let previous = counts[key]
            if let previous, previous.type != type {
                report(
                    .multipleChoiceValues, "only one of the choices of '\(def.name)[x]' may be present",
                    path: path + "." + wire, node: c)
                continue
            }
            let index = previous?.count ?? 0
            if index > 0 && !def.isArray {
                report(.xmlRepeated, "'\(wire)' does not repeat", path: path + "." + wire, node: c)
                continue
            }
            counts[key] = (type, index + 1)
            let childPath = def.isArray ? "\(path).\(wire)[\(index)]" : "\(path).\(wire)"
            if let e = readElement(c, def: def, type: type, path: childPath, depth: depth + 1) {
                out.append(e)
            }
        }
        return Element.inDefinitionOrder(out, context: context)
    }

    mutating func readElement(_ node: xmlNodePtr, def: ElementDefinition, type: String, path: String, depth: Int)
        -> Element?
    {
        guard checkDepth(depth, node: node, path: path) else { return nil }
        if type == "xhtml" {
            return Element(name: def.name, type: type, value: XHTML.serialize(node, forXML: false))
        }
        if registry.isPrimitive(type) {
            var element = Element(name: def.name, type: type)
            if let raw = xmlGetNoNsProp(node, "value") {
                let value = String(cString: raw)
                cfhir_free_string(raw)
                let checkType = type.hasPrefix("System.") ? "string" : type
                if let problem = PrimitiveLexicon.problem(type: checkType, value: value) {
                    report(
                        .invalidPrimitive, "invalid \(type) '\(JSONTreeBuilder.excerpt(value))': \(problem)",
                        path: path, node: node)
                    return nil
                }
                element.value = value
            }
            if let root = registry.type(named: type)?.root {
                element.children = readChildren(node, context: root, path: path, depth: depth, primitiveSide: true)
            }
            if element.isEmpty {
                report(
                    .xmlMissingValue, "'\(def.name)' has neither a value attribute nor extensions", path: path,
                    node: node)
                return nil
            }
            return element
        }
        if registry.holdsResource(type) {
            var resources: [xmlNodePtr] = []
            var c = node.pointee.children
            while let n = c {
                if n.pointee.type == XML_ELEMENT_NODE { resources.append(n) }
                c = n.pointee.next
            }
            guard resources.count == 1 else {
                report(
                    .xmlResourceWrapper, "'\(def.name)' must hold exactly one resource element", path: path,
                    node: node)
                return nil
            }
            return readResource(resources[0], path: path, name: def.name, depth: depth + 1)
        }
        guard let context = registry.childContext(of: def, type: type) else {
            report(.unknownElement, "no definition for type '\(type)'", path: path, node: node)
            return nil
        }
        let children = readChildren(node, context: context, path: path, depth: depth)
        if children.isEmpty {
            if !stopped {
                report(.elementWithoutContent, "'\(def.name)' has no content", path: path, node: node)
            }
            return nil
        }
        return Element(name: def.name, type: type, children: children)
    }
}
