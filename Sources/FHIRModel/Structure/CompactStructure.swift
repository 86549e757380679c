/// The compact structure file format of profiles/: one JSON file per type, descriptions dropped.
///
/// ```json
/// {"url": "...", "name": "Appointment", "kind": "resource", "abstract": false, "base": "DomainResource",
///  "regex": "...", "invariants": {"app-2": {"severity": "error", "human": "...", "expression": "..."}},
///  "elements": [{"path": "Appointment.status", "min": 1, "max": "1", "type": [{"code": "code"}],
///                "binding": {"strength": "required", "valueSet": "..."}, "inv": ["ele-1"], "summary": true}]}
/// ```
/// Omitted keys take defaults: min 0, max "1", array false, no type, no binding. `array` is the base
/// cardinality's repetition (it decides the JSON form), `attr` marks XML attributes.
enum CompactStructure {
    struct DecodeError: Error {
        var message: String
    }

    static func decode(_ v: JSONValue) throws(DecodeError) -> TypeDefinition {
        guard let name = v["name"]?.value.stringValue, let url = v["url"]?.value.stringValue,
            let kindText = v["kind"]?.value.stringValue, let kind = TypeKind(rawValue: kindText),
            let elements = v["elements"]?.value.arrayValue
        else { throw DecodeError(message: "missing name, url, kind or elements") }
        var invariants: [String: Invariant] = [:]
        for m in v["invariants"]?.value.objectValue ?? [] {
            let o = m.node.value
            invariants[m.key] = Invariant(
                key: m.key, severity: o["severity"]?.value.stringValue ?? "error",
                human: o["human"]?.value.stringValue ?? "", expression: o["expression"]?.value.stringValue)
        }
        var defs: [ElementDefinition] = []
        var byPath: [String: ElementDefinition] = [:]
        for (order, e) in elements.enumerated() {
            let o = e.value
            guard let path = o["path"]?.value.stringValue else { throw DecodeError(message: "element without path") }
            let min = Int(o["min"]?.value.numberText ?? "0") ?? 0
            let maxText = o["max"]?.value.stringValue ?? "1"
            let types: [TypeReference] = (o["type"]?.value.arrayValue ?? []).map { t in
                TypeReference(
                    code: t.value["code"]?.value.stringValue ?? "",
                    profiles: t.value["profile"]?.value.arrayValue?.compactMap { $0.value.stringValue } ?? [],
                    targetProfiles: t.value["targetProfile"]?.value.arrayValue?.compactMap { $0.value.stringValue }
                        ?? [])
            }
            var binding: Binding?
            if let b = o["binding"]?.value {
                binding = Binding(
                    strength: b["strength"]?.value.stringValue ?? "example", valueSet: b["valueSet"]?.value.stringValue)
            }
            let members = o.objectValue ?? []
            let def = ElementDefinition(
                path: path, min: min, max: maxText == "*" ? nil : Int(maxText),
                isArray: o["array"]?.value == .bool(true), types: types,
                isXMLAttribute: o["attr"]?.value == .bool(true), isModifier: o["modifier"]?.value == .bool(true),
                isSummary: o["summary"]?.value == .bool(true), binding: binding,
                fixed: members.first { $0.key.hasPrefix("fixed") },
                pattern: members.first { $0.key.hasPrefix("pattern") },
                invariantKeys: o["inv"]?.value.arrayValue?.compactMap { $0.value.stringValue } ?? [],
                contentReference: o["contentReference"]?.value.stringValue, order: order)
            if byPath[path] == nil { byPath[path] = def }
            defs.append(def)
        }
        guard let root = defs.first else { throw DecodeError(message: "no elements") }
        // Link children to parents; slices (same path twice) are kept out of the wire model.
        for def in defs.dropFirst() where byPath[def.path] === def {
            guard let dot = def.path.lastIndex(of: ".") else { continue }
            let parentPath = String(def.path[..<dot])
            guard let parent = byPath[parentPath] else {
                throw DecodeError(message: "element \(def.path) has no parent")
            }
            parent.children.append(def)
        }
        for def in defs where byPath[def.path] === def {
            if let ref = def.contentReference {
                let target = String(ref.drop { $0 == "#" })
                guard let t = byPath[target] else { throw DecodeError(message: "unresolved \(ref)") }
                def.children = t.children
            }
        }
        return TypeDefinition(
            url: url, name: name, kind: kind, isAbstract: v["abstract"]?.value == .bool(true),
            baseType: v["base"]?.value.stringValue, valueRegex: v["regex"]?.value.stringValue, root: root,
            elementsByPath: byPath, invariants: invariants)
    }
}

extension JSONValue {
    /// The text of a number value.
    public var numberText: String? {
        if case .number(let n) = self { return n }
        return nil
    }
}
