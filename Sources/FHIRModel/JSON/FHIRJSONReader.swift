/// Reads FHIR JSON into the lossless ``Element`` tree, checking it against the structure definitions.
///
/// Every problem is reported with its FHIRPath-like location and line:column: unknown elements, wrong JSON
/// types, arrays where a single value is expected (and the reverse), bad primitive values, empty values,
/// misaligned `_field` arrays, duplicate keys, invalid UTF-8, size and depth beyond ``ReaderLimits``.
public struct FHIRJSONReader: Sendable {
    public let registry: StructureRegistry
    public var limits: ReaderLimits

    public init(registry: StructureRegistry, limits: ReaderLimits = .default) {
        self.registry = registry
        self.limits = limits
    }

    /// Reads one resource.
    /// - Throws: ``FHIRFormatError`` with every problem found.
    public func readResource(_ bytes: [UInt8]) throws(FHIRFormatError) -> Element {
        let node = try JSONParser(limits: limits).parse(bytes)
        var builder = JSONTreeBuilder(registry: registry)
        let element = builder.readResource(node, path: nil, name: nil)
        let errors = builder.issues.filter { $0.severity != .warning }
        if !errors.isEmpty || element == nil {
            let locator = SourceLocator(bytes)
            let ordered = builder.issues.enumerated().sorted { a, b in
                (a.element.line ?? -1, a.offset) < (b.element.line ?? -1, b.offset)
            }.map(\.element)
            throw FHIRFormatError(issues: ordered.map { $0.locating(with: locator) })
        }
        return element!
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
struct JSONTreeBuilder {
    let registry: StructureRegistry
    var issues: [ParseIssue] = []

    init(registry: StructureRegistry) {
        self.registry = registry
    }

    mutating func report(_ code: ParseIssueCode, _ message: String, path: String, offset: Int) {
        issues.append(ParseIssue(code: code, message: message, path: path, line: offset >= 0 ? offset : nil))
    }

    mutating func readResource(_ node: JSONNode, path: String?, name: String?) -> Element? {
        guard case .object(let members) = node.value else {
            report(
                .jsonWrongType, "a resource must be a JSON object, found \(node.value.kindName)", path: path ?? "",
                offset: node.offset)
            return nil
        }
        guard let rtNode = members.first(where: { $0.key == "resourceType" }) else {
            report(.missingResourceType, "resourceType is missing", path: path ?? "", offset: node.offset)
            return nil
        }
        guard case .string(let rt) = rtNode.node.value else {
            report(.jsonWrongType, "resourceType must be a string", path: path ?? "", offset: rtNode.node.offset)
            return nil
        }
        guard let type = registry.type(named: rt), type.kind == .resource else {
            report(.unknownResourceType, "unknown resource type '\(rt)'", path: path ?? "", offset: rtNode.node.offset)
            return nil
        }
        if type.isAbstract {
            report(.abstractResourceType, "'\(rt)' is abstract", path: path ?? "", offset: rtNode.node.offset)
            return nil
        }
        let children = readMembers(members, context: type.root, path: path ?? rt, isResource: true)
        return Element(name: name ?? rt, type: rt, children: children)
    }

    private struct Group {
        var definition: ElementDefinition
        var type: String
        var wireName: String
        var value: JSONNode?
        var extensions: JSONNode?
    }

    mutating func readMembers(
        _ members: [JSONMember], context: ElementDefinition, path: String, isResource: Bool = false,
        primitiveSide: Bool = false
    ) -> [Element] {
        var groups: [Group] = []
        for m in members {
            if isResource && m.key == "resourceType" { continue }
            var key = Substring(m.key)
            let isExtensionSide = key.hasPrefix("_")
            if isExtensionSide { key = key.dropFirst() }
            let wire = String(key)
            guard let (def, type) = context.childrenByWireName[wire],
                !(primitiveSide && def.name == "value")
            else {
                report(.unknownElement, "unknown element '\(m.key)'", path: path + "." + m.key, offset: m.keyOffset)
                continue
            }
            if isExtensionSide && (!registry.isPrimitive(type) || def.isXMLAttribute) {
                report(
                    .unknownElement, "'\(m.key)' is not allowed: '\(wire)' is not a primitive",
                    path: path + "." + m.key,
                    offset: m.keyOffset)
                continue
            }
            if let gi = groups.firstIndex(where: { $0.definition === def }) {
                if groups[gi].type != type {
                    report(
                        .multipleChoiceValues,
                        "only one of the choices of '\(def.name)[x]' may be present ('\(groups[gi].wireName)' and '\(wire)')",
                        path: path + "." + wire, offset: m.keyOffset)
                    continue
                }
                if isExtensionSide { groups[gi].extensions = m.node } else { groups[gi].value = m.node }
            } else {
                groups.append(
                    Group(
                        definition: def, type: type, wireName: wire, value: isExtensionSide ? nil : m.node,
                        extensions: isExtensionSide ? m.node : nil))
            }
        }
        groups.sort { $0.definition.order < $1.definition.order }  // stable: one group per definition
        var out: [Element] = []
        for g in groups {
            let childPath = path + "." + g.wireName
            if registry.isPrimitive(g.type) {
                readPrimitiveGroup(
                    g.definition, type: g.type, value: g.value, extensions: g.extensions,
                    path: childPath, into: &out)
            } else {
                guard let node = g.value else { continue }
                for (item, itemPath) in items(of: node, definition: g.definition, path: childPath) {
                    if let e = readComplex(item, definition: g.definition, type: g.type, path: itemPath) {
                        out.append(e)
                    }
                }
            }
        }
        return out
    }

    /// The nodes of an element: the array items when it repeats, the value itself otherwise.
    mutating func items(of node: JSONNode, definition: ElementDefinition, path: String) -> [(JSONNode, String)] {
        if definition.isArray {
            guard case .array(let list) = node.value else {
                report(
                    .jsonArrayExpected, "'\(definition.name)' repeats: an array is expected", path: path,
                    offset: node.offset)
                return [(node, path)]
            }
            if list.isEmpty {
                report(.jsonEmptyValue, "empty array", path: path, offset: node.offset)
            }
            return list.enumerated().map { ($1, "\(path)[\($0)]") }
        }
        if case .array = node.value {
            report(
                .jsonArrayNotExpected, "'\(definition.name)' does not repeat: an array is not allowed", path: path,
                offset: node.offset)
            return []
        }
        return [(node, path)]
    }

    mutating func readComplex(_ node: JSONNode, definition: ElementDefinition, type: String, path: String) -> Element? {
        if registry.holdsResource(type) {
            return readResource(node, path: path, name: definition.name)
        }
        guard case .object(let members) = node.value else {
            let code: ParseIssueCode = node.value == .null ? .jsonNullNotAllowed : .jsonWrongType
            report(
                code, "'\(definition.name)' must be an object, found \(node.value.kindName)", path: path,
                offset: node.offset)
            return nil
        }
        if members.isEmpty {
            report(.jsonEmptyValue, "empty object", path: path, offset: node.offset)
            return nil
        }
        guard let context = registry.childContext(of: definition, type: type) else {
            report(.unknownElement, "no definition for type '\(type)'", path: path, offset: node.offset)
            return nil
        }
        let children = readMembers(members, context: context, path: path)
        if children.isEmpty { return nil }
        return Element(name: definition.name, type: type, children: children)
    }

    mutating func readPrimitiveGroup(
        _ def: ElementDefinition, type: String, value: JSONNode?, extensions: JSONNode?, path: String,
        into out: inout [Element]
    ) {
        if def.isArray {
            var values: [JSONNode?] = []
            var exts: [JSONNode?] = []
            if let value {
                guard case .array(let list) = value.value else {
                    report(
                        .jsonArrayExpected, "'\(def.name)' repeats: an array is expected", path: path,
                        offset: value.offset)
                    return
                }
                if list.isEmpty { report(.jsonEmptyValue, "empty array", path: path, offset: value.offset) }
                values = list
            }
            if let extensions {
                guard case .array(let list) = extensions.value else {
                    report(
                        .jsonArrayExpected, "'_\(def.name)' must be an array aligned with '\(def.name)'",
                        path: path, offset: extensions.offset)
                    return
                }
                exts = list
            }
            if value != nil && extensions != nil && values.count != exts.count {
                report(
                    .jsonArrayMismatch,
                    "'\(def.name)' has \(values.count) items but '_\(def.name)' has \(exts.count)", path: path,
                    offset: extensions!.offset)
                return
            }
            for i in 0..<max(values.count, exts.count) {
                let v = i < values.count ? values[i] : nil
                let e = i < exts.count ? exts[i] : nil
                if let p = readPrimitive(def, type: type, value: v, extensions: e, path: "\(path)[\(i)]") {
                    out.append(p)
                }
            }
        } else {
            for node in [value, extensions].compactMap({ $0 }) {
                if case .array = node.value {
                    report(
                        .jsonArrayNotExpected, "'\(def.name)' does not repeat: an array is not allowed",
                        path: path, offset: node.offset)
                    return
                }
            }
            if let p = readPrimitive(def, type: type, value: value, extensions: extensions, path: path) {
                out.append(p)
            }
        }
    }

    mutating func readPrimitive(
        _ def: ElementDefinition, type: String, value: JSONNode?, extensions: JSONNode?, path: String
    ) -> Element? {
        var element = Element(name: def.name, type: type)
        var offset = value?.offset ?? extensions?.offset ?? -1
        if let value, value.value != .null {
            element.value = primitiveText(value, type: type, path: path)
        }
        if let extensions, extensions.value != .null {
            offset = extensions.offset
            if case .object(let members) = extensions.value, !members.isEmpty,
                let root = registry.type(named: type)?.root
            {
                element.children = readMembers(members, context: root, path: path, primitiveSide: true)
            } else if case .object = extensions.value {
                report(.jsonEmptyValue, "empty object", path: path, offset: extensions.offset)
            } else {
                report(
                    .jsonWrongType, "'_\(def.name)' must be an object with id and extension", path: path,
                    offset: extensions.offset)
            }
        }
        if element.isEmpty {
            if value?.value == .null || extensions?.value == .null {
                report(
                    .jsonNullNotAllowed, "null is only allowed to align a repeating primitive with its '_' array",
                    path: path, offset: offset)
            }
            return nil
        }
        return element
    }

    mutating func primitiveText(_ node: JSONNode, type: String, path: String) -> String? {
        let text: String
        switch (node.value, type) {
        case (.bool(let b), "boolean"):
            text = b ? "true" : "false"
        case (.number(let n), "integer"), (.number(let n), "positiveInt"), (.number(let n), "unsignedInt"),
            (.number(let n), "decimal"):
            text = n
        case (.string(let s), _) where !["boolean", "integer", "positiveInt", "unsignedInt", "decimal"].contains(type):
            if s.isEmpty {
                report(.jsonEmptyValue, "empty string", path: path, offset: node.offset)
                return nil
            }
            text = s
        default:
            let expected =
                switch type {
                case "boolean": "a JSON boolean"
                case "integer", "positiveInt", "unsignedInt", "decimal": "a JSON number"
                default: "a JSON string"
                }
            report(
                .jsonWrongType, "\(type) value must be \(expected), found \(node.value.kindName)", path: path,
                offset: node.offset)
            return nil
        }
        let checkType = type.hasPrefix("System.") ? "string" : type
        if type == "xhtml" {
            if let problem = XHTML.problem(text) {
                report(.invalidXHTML, problem, path: path, offset: node.offset)
                return nil
            }
        } else if let problem = PrimitiveLexicon.problem(type: checkType, value: text) {
            report(
                .invalidPrimitive, "invalid \(type) '\(Self.excerpt(text))': \(problem)", path: path,
                offset: node.offset)
            return nil
        }
        return text
    }

    /// A short, safe excerpt of a bad value for messages.
    static func excerpt(_ s: String) -> String {
        let cleaned = String(s.unicodeScalars.map { $0.value < 0x20 ? Character("?") : Character($0) })
        return cleaned.count > 40 ? String(cleaned.prefix(40)) + "…" : cleaned
    }
}
