/// Reads FHIR JSON into the lossless ``Element`` tree, checking it against the structure definitions.
///
/// Every problem is reported with its FHIRPath-like location and line:column: unknown elements, wrong JSON
/// types, arrays where a single value is expected (and the reverse), bad primitive values, empty values,
/// misaligned `_field` arrays, duplicate keys, invalid UTF-8, size and depth beyond ``ReaderLimits``.
public struct FHIRJSONReader: ResourceReader {
    public let registry: StructureRegistry
    public var limits: ReaderLimits

    public init(registry: StructureRegistry, limits: ReaderLimits = .default) {
        self.registry = registry
        self.limits = limits
    }

    public func read(_ bytes: [UInt8], keepsInvalidValues: Bool) throws(FHIRFormatError) -> LenientRead {
        let node = try JSONParser(limits: limits).parse(bytes)
        var builder = JSONTreeBuilder(registry: registry)
        builder.keepsInvalidValues = keepsInvalidValues
        let element = builder.readResource(node, name: nil)
        guard !builder.issues.isEmpty else { return LenientRead(element: element, issues: []) }
        let locator = SourceLocator(bytes)
        let ordered = builder.issues.enumerated().sorted { a, b in
            (a.element.line ?? -1, a.offset) < (b.element.line ?? -1, b.offset)
        }.map(\.element)
        return LenientRead(element: element, issues: ordered.map { $0.locating(with: locator) })
    }

    /// Reads one resource from text.
    public func readResource(_ text: String) throws(FHIRFormatError) -> Element {
        try readResource(Array(text.utf8))
    }
}

extension ParseIssue {
    /// Issues are built with the byte offset in `line`; this turns it into line and column.
    func locating(with locator: SourceLocator) -> ParseIssue {
        var issue = self
        if let offset = line, column == nil {
            let loc = locator.location(of: offset)
            issue.line = loc?.line
            issue.column = loc?.column
        }
        return issue
    }
}

/// Walks a parsed JSON value with the structure definitions and builds the element tree.
///
/// The location of the element being read is kept as a stack of segments and turned into a string only when
/// an issue is reported, so reading valid content builds no path strings.
struct JSONTreeBuilder {
    let registry: StructureRegistry
    var issues: [ParseIssue] = []
    /// Lenient reading: a primitive whose text breaks its type's lexical rules (or XHTML that is not well-formed)
    /// is reported and kept.
    var keepsInvalidValues = false
    private var pathStack: [PathSegment] = []

    init(registry: StructureRegistry) {
        self.registry = registry
    }

    mutating func report(_ code: ParseIssueCode, _ message: String, at offset: Int, child: String? = nil) {
        var path = PathSegment.render(pathStack)
        if let child { path += path.isEmpty ? child : "." + child }
        issues.append(ParseIssue(code: code, message: message, path: path, line: offset >= 0 ? offset : nil))
    }

    mutating func readResource(_ node: JSONNode, name: String?) -> Element? {
        guard case .object(let members) = node.value else {
            report(.jsonWrongType, "a resource must be a JSON object, found \(node.value.kindName)", at: node.offset)
            return nil
        }
        guard let rtNode = members.first(where: { $0.key == "resourceType" }) else {
            report(.missingResourceType, "resourceType is missing", at: node.offset)
            return nil
        }
        guard case .string(let rt) = rtNode.node.value else {
            report(.jsonWrongType, "resourceType must be a string", at: rtNode.node.offset)
            return nil
        }
        guard let type = registry.type(named: rt), type.kind == .resource else {
            report(.unknownResourceType, "unknown resource type '\(rt)'", at: rtNode.node.offset)
            return nil
        }
        if type.isAbstract {
            report(.abstractResourceType, "'\(rt)' is abstract", at: rtNode.node.offset)
            return nil
        }
        let isRoot = pathStack.isEmpty
        if isRoot { pathStack.append(PathSegment(name: rt)) }
        defer { if isRoot { pathStack.removeLast() } }
        let children = readMembers(members, context: type.root, isResource: true)
        return Element(name: name ?? rt, type: rt, children: children)
    }

    private struct Group {
        var wire: WireChild
        var value: JSONNode?
        var extensions: JSONNode?
    }

    mutating func readMembers(
        _ members: [JSONMember], context: ElementDefinition, isResource: Bool = false, primitiveSide: Bool = false
    ) -> [Element] {
        var groups: [Group] = []
        groups.reserveCapacity(members.count)
        for m in members {
            if isResource && m.key == "resourceType" { continue }
            let isExtensionSide = m.key.utf8.first == UInt8(ascii: "_")
            let wireName = isExtensionSide ? String(m.key.dropFirst()) : m.key
            guard let wire = context.childrenByWireName[wireName],
                !(primitiveSide && wire.definition.name == "value")
            else {
                report(.unknownElement, "unknown element '\(m.key)'", at: m.keyOffset, child: m.key)
                continue
            }
            if isExtensionSide && wire.kind != .primitive {
                report(
                    .unknownElement, "'\(m.key)' is not allowed: '\(wireName)' is not a primitive", at: m.keyOffset,
                    child: m.key)
                continue
            }
            if let gi = groups.firstIndex(where: { $0.wire.definition === wire.definition }) {
                if groups[gi].wire.type != wire.type {
                    report(
                        .multipleChoiceValues,
                        "only one of the choices of '\(wire.definition.name)[x]' may be present ('\(groups[gi].wire.wireName)' and '\(wireName)')",
                        at: m.keyOffset, child: wireName)
                    continue
                }
                if isExtensionSide { groups[gi].extensions = m.node } else { groups[gi].value = m.node }
            } else {
                groups.append(
                    Group(wire: wire, value: isExtensionSide ? nil : m.node, extensions: isExtensionSide ? m.node : nil)
                )
            }
        }
        // Stable: one group per definition, so equal orders cannot occur.
        if !groups.isSorted(by: { $0.wire.definition.order }) {
            groups.sort { $0.wire.definition.order < $1.wire.definition.order }
        }
        var out: [Element] = []
        out.reserveCapacity(groups.count)
        for g in groups {
            pathStack.append(PathSegment(name: g.wire.wireName))
            switch g.wire.kind {
            case .primitive, .attribute, .xhtml:
                readPrimitiveGroup(g.wire, value: g.value, extensions: g.extensions, into: &out)
            case .complex, .resource:
                if let node = g.value { readComplexGroup(g.wire, node: node, into: &out) }
            }
            pathStack.removeLast()
        }
        return out
    }

    mutating func readComplexGroup(_ wire: WireChild, node: JSONNode, into out: inout [Element]) {
        let def = wire.definition
        if def.isArray {
            guard case .array(let list) = node.value else {
                report(.jsonArrayExpected, "'\(def.name)' repeats: an array is expected", at: node.offset)
                if let e = readComplex(node, wire: wire) { out.append(e) }
                return
            }
            if list.isEmpty { report(.jsonEmptyValue, "empty array", at: node.offset) }
            for (i, item) in list.enumerated() {
                pathStack[pathStack.count - 1].index = i
                if let e = readComplex(item, wire: wire) { out.append(e) }
            }
        } else {
            if case .array = node.value {
                report(.jsonArrayNotExpected, "'\(def.name)' does not repeat: an array is not allowed", at: node.offset)
                return
            }
            if let e = readComplex(node, wire: wire) { out.append(e) }
        }
    }

    mutating func readComplex(_ node: JSONNode, wire: WireChild) -> Element? {
        let name = wire.definition.name
        if wire.kind == .resource {
            return readResource(node, name: name)
        }
        guard case .object(let members) = node.value else {
            let code: ParseIssueCode = node.value == .null ? .jsonNullNotAllowed : .jsonWrongType
            report(code, "'\(name)' must be an object, found \(node.value.kindName)", at: node.offset)
            return nil
        }
        if members.isEmpty {
            report(.jsonEmptyValue, "empty object", at: node.offset)
            return nil
        }
        guard let context = wire.context else {
            report(.unknownElement, "no definition for type '\(wire.type)'", at: node.offset)
            return nil
        }
        let issuesBefore = issues.count
        let children = readMembers(members, context: context)
        if children.allSatisfy({ $0.name == "id" }) {
            if issues.count == issuesBefore {
                report(.elementWithoutContent, "'\(name)' has no content besides its id", at: node.offset)
            }
            return nil
        }
        return Element(name: name, type: wire.type, children: children)
    }

    mutating func readPrimitiveGroup(
        _ wire: WireChild, value: JSONNode?, extensions: JSONNode?, into out: inout [Element]
    ) {
        let def = wire.definition
        if def.isArray {
            var values: [JSONNode] = []
            var exts: [JSONNode] = []
            if let value {
                guard case .array(let list) = value.value else {
                    report(.jsonArrayExpected, "'\(def.name)' repeats: an array is expected", at: value.offset)
                    return
                }
                if list.isEmpty { report(.jsonEmptyValue, "empty array", at: value.offset) }
                values = list
            }
            if let extensions {
                guard case .array(let list) = extensions.value else {
                    report(
                        .jsonArrayExpected, "'_\(def.name)' must be an array aligned with '\(def.name)'",
                        at: extensions.offset)
                    return
                }
                exts = list
            }
            if value != nil && extensions != nil && values.count != exts.count {
                report(
                    .jsonArrayMismatch, "'\(def.name)' has \(values.count) items but '_\(def.name)' has \(exts.count)",
                    at: extensions!.offset)
                return
            }
            for i in 0..<max(values.count, exts.count) {
                pathStack[pathStack.count - 1].index = i
                let v = i < values.count ? values[i] : nil
                let e = i < exts.count ? exts[i] : nil
                if let p = readPrimitive(wire, value: v, extensions: e) { out.append(p) }
            }
        } else {
            for node in [value, extensions].compactMap({ $0 }) {
                if case .array = node.value {
                    report(
                        .jsonArrayNotExpected, "'\(def.name)' does not repeat: an array is not allowed", at: node.offset
                    )
                    return
                }
            }
            if let p = readPrimitive(wire, value: value, extensions: extensions) { out.append(p) }
        }
    }

    mutating func readPrimitive(_ wire: WireChild, value: JSONNode?, extensions: JSONNode?) -> Element? {
        var element = Element(name: wire.definition.name, type: wire.type)
        var offset = value?.offset ?? extensions?.offset ?? -1
        if let value, value.value != .null {
            element.value = primitiveText(value, type: wire.type, kind: wire.kind)
        }
        if let extensions, extensions.value != .null {
            offset = extensions.offset
            if case .object(let members) = extensions.value, !members.isEmpty, let root = wire.context {
                element.children = readMembers(members, context: root, primitiveSide: true)
            } else if case .object = extensions.value {
                report(.jsonEmptyValue, "empty object", at: extensions.offset)
            } else {
                report(
                    .jsonWrongType, "'_\(wire.definition.name)' must be an object with id and extension",
                    at: extensions.offset)
            }
        }
        if element.value == nil && !element.children.isEmpty && element.children.allSatisfy({ $0.name == "id" }) {
            report(.elementWithoutContent, "'\(wire.definition.name)' has an id but no value or extension", at: offset)
            return nil
        }
        if element.isEmpty {
            if value?.value == .null || extensions?.value == .null {
                report(
                    .jsonNullNotAllowed, "null is only allowed to align a repeating primitive with its '_' array",
                    at: offset)
            }
            return nil
        }
        return element
    }

    mutating func primitiveText(_ node: JSONNode, type: String, kind: WireChild.Kind) -> String? {
        let expectsNumber = type == "integer" || type == "decimal" || type == "positiveInt" || type == "unsignedInt"
        let text: String
        switch node.value {
        case .bool(let b) where type == "boolean":
            text = b ? "true" : "false"
        case .number(let n) where expectsNumber:
            text = n
        case .string(let s) where type != "boolean" && !expectsNumber:
            if s.isEmpty {
                report(.jsonEmptyValue, "empty string", at: node.offset)
                return nil
            }
            text = s
        default:
            let expected = type == "boolean" ? "a JSON boolean" : expectsNumber ? "a JSON number" : "a JSON string"
            report(.jsonWrongType, "\(type) value must be \(expected), found \(node.value.kindName)", at: node.offset)
            return nil
        }
        if kind == .xhtml {
            if let problem = XHTML.problem(text) {
                report(.invalidXHTML, problem, at: node.offset)
                return keepsInvalidValues ? text : nil
            }
        } else if let problem = PrimitiveLexicon.problem(type: type.hasPrefix("System.") ? "string" : type, value: text)
        {
            report(.invalidPrimitive, "invalid \(type) '\(Self.excerpt(text))': \(problem)", at: node.offset)
            return keepsInvalidValues ? text : nil
        }
        return text
    }

    /// A short, safe excerpt of a bad value for messages.
    static func excerpt(_ s: String) -> String {
        let cleaned = String(s.unicodeScalars.map { $0.value < 0x20 ? Character("?") : Character($0) })
        return cleaned.count > 40 ? String(cleaned.prefix(40)) + "…" : cleaned
    }
}

/// One step of an element location: a name and, for repeating elements, the index.
struct PathSegment {
    var name: String
    var index: Int?

    /// `Appointment.participant[1].actor`.
    static func render(_ segments: [PathSegment]) -> String {
        var s = ""
        for seg in segments {
            if !s.isEmpty { s += "." }
            s += seg.name
            if let i = seg.index { s += "[\(i)]" }
        }
        return s
    }
}

extension Array {
    /// Whether the array is in ascending order of `key`.
    func isSorted(by key: (Element) -> Int) -> Bool {
        var last = Int.min
        for e in self {
            let k = key(e)
            if k < last { return false }
            last = k
        }
        return true
    }
}
