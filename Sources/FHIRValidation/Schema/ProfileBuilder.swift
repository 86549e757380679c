import FHIRModel

/// Compiles element lists (a snapshot, or a compact core file of profiles/r4/core) into ``ProfileElement`` trees.
///
/// Both forms share the ElementDefinition keys the validator needs (path, sliceName, min, max, type, binding,
/// fixed/pattern, slicing, contentReference); constraints come from `constraint` (snapshot) or from `inv` keys
/// resolved against the file's `invariants` (compact form).
enum ProfileBuilder {
    /// Builds the tree of an element list. Returns nil when the list is empty.
    static func tree(_ elements: [JSONNode], invariants: [String: Invariant] = [:]) -> ProfileElement? {
        var stack: [ProfileElement] = []
        var root: ProfileElement?
        for node in elements {
            let e = element(node.value, invariants: invariants)
            guard let r = root else {
                root = e
                stack = [e]
                continue
            }
            _ = r
            let parentPath = e.path.lastIndex(of: ".").map { String(e.path[..<$0]) } ?? ""
            while let top = stack.last, top.path != parentPath { stack.removeLast() }
            guard let parent = stack.last else {
                // Malformed order: attach to the root rather than lose the element.
                root?.children.append(e)
                continue
            }
            if e.sliceName != nil {
                if let base = parent.children.last(where: { $0.name == e.name }) {
                    base.slices.append(e)
                } else if let choice = choiceBase(of: e, in: parent) {
                    choice.slices.append(e)
                } else {
                    parent.children.append(e)
                }
            } else if let choice = choiceBase(of: e, in: parent) {
                // A renamed choice (`valueQuantity`) constrains one type of `value[x]`.
                e.sliceName = e.name
                choice.slices.append(e)
            } else {
                parent.children.append(e)
            }
            stack.append(e)
        }
        return root
    }

    /// For `valueQuantity` under a parent with `value[x]`: that choice element.
    static func choiceBase(of e: ProfileElement, in parent: ProfileElement) -> ProfileElement? {
        guard !e.isChoice else { return nil }
        return parent.children.first { c in
            c.isChoice && e.name.hasPrefix(c.name) && e.name.count > c.name.count
                && e.name.dropFirst(c.name.count).first?.isUppercase == true
        }
    }

    /// The first `type.profile` narrowed by the `elementdefinition-profile-element` extension (in `_profile`).
    static func profileElement(_ types: JSONValue?) -> (url: String, id: String)? {
        for t in types?.arrayValue ?? [] {
            let urls = t.value["profile"]?.value.arrayValue ?? []
            let extras = t.value["_profile"]?.value.arrayValue ?? []
            for (i, x) in extras.enumerated() where i < urls.count {
                for ext in x.value["extension"]?.value.arrayValue ?? []
                where ext.value["url"]?.value.stringValue
                    == "http://hl7.org/fhir/StructureDefinition/elementdefinition-profile-element"
                {
                    if let id = ext.value["valueString"]?.value.stringValue, let url = urls[i].value.stringValue {
                        return (url, id)
                    }
                }
            }
        }
        return nil
    }

    /// One element from its JSON form.
    static func element(_ o: JSONValue, invariants: [String: Invariant]) -> ProfileElement {
        let path = o["path"]?.value.stringValue ?? ""
        let e = ProfileElement(path: path)
        e.sliceName = o["sliceName"]?.value.stringValue
        if let min = o["min"]?.value.numberText { e.min = Int(min) ?? 0 }
        if let max = o["max"]?.value.stringValue { e.max = max == "*" ? nil : Int(max) }
        if o["array"]?.value == .bool(true) {
            e.isArray = true
        } else if let baseMax = o["base"]?.value["max"]?.value.stringValue {
            e.isArray = baseMax != "1" && baseMax != "0" && path.contains(".")
        } else if o["array"] == nil, o["base"] == nil {
            e.isArray = e.max != 1 && e.max != 0 && path.contains(".")
        }
        e.contentReference = o["contentReference"]?.value.stringValue
        e.types = (o["type"]?.value.arrayValue ?? []).map { t in
            TypeReference(
                code: typeCode(t.value, path: path, basePath: o["base"]?.value["path"]?.value.stringValue),
                profiles: t.value["profile"]?.value.arrayValue?.compactMap { $0.value.stringValue } ?? [],
                targetProfiles: t.value["targetProfile"]?.value.arrayValue?.compactMap { $0.value.stringValue } ?? [])
        }
        e.profileElement = profileElement(o["type"]?.value)
        e.aggregation = (o["type"]?.value.arrayValue ?? []).flatMap { t in
            t.value["aggregation"]?.value.arrayValue?.compactMap { $0.value.stringValue } ?? []
        }
        if let b = o["binding"]?.value {
            e.binding = Binding(
                strength: b["strength"]?.value.stringValue ?? "example", valueSet: b["valueSet"]?.value.stringValue)
        }
        for m in o.objectValue ?? [] {
            if m.key.hasPrefix("fixed") {
                e.fixed = (lowerFirst(m.key.dropFirst(5)), m.node.value)
            } else if m.key.hasPrefix("pattern") {
                e.pattern = (lowerFirst(m.key.dropFirst(7)), m.node.value)
            } else if m.key.hasPrefix("minValue") {
                e.minValue = scalarText(m.node.value)
            } else if m.key.hasPrefix("maxValue") {
                e.maxValue = scalarText(m.node.value)
            }
        }
        if let ml = o["maxLength"]?.value.numberText { e.maxLength = Int(ml) }
        // The R4 `minLength` extension (the element's value must have at least that many characters).
        // minLength, the R5 valueAlternatives (as its R4 cross-version extension), and the narrative controls of
        // the extensions pack (language sections, source classes).
        for ext in o["extension"]?.value.arrayValue ?? [] {
            switch ext.value["url"]?.value.stringValue {
            case "http://hl7.org/fhir/StructureDefinition/minLength":
                if let n = ext.value["valueInteger"]?.value.numberText { e.minLength = Int(n) }
            case "http://hl7.org/fhir/StructureDefinition/narrative-language-control":
                if let c = ext.value["valueCode"]?.value.stringValue { e.narrativeLanguageControl.append(c) }
            case "http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.valueAlternatives":
                if let url = ext.value["valueCanonical"]?.value.stringValue { e.valueAlternatives.append(url) }
            case "http://hl7.org/fhir/StructureDefinition/narrative-source-control":
                e.narrativeSourceControl = ext.value["valueCode"]?.value.stringValue
            default:
                break
            }
        }
        if let s = o["slicing"]?.value {
            e.slicing = Slicing(
                discriminators: (s["discriminator"]?.value.arrayValue ?? []).map {
                    Slicing.Discriminator(
                        type: $0.value["type"]?.value.stringValue ?? "value",
                        path: $0.value["path"]?.value.stringValue ?? "$this")
                },
                rules: s["rules"]?.value.stringValue ?? "open", ordered: s["ordered"]?.value == .bool(true))
        }
        if let list = o["constraint"]?.value.arrayValue {
            e.constraints = list.compactMap { c in
                guard let key = c.value["key"]?.value.stringValue else { return nil }
                return Invariant(
                    key: key, severity: c.value["severity"]?.value.stringValue ?? "error",
                    human: c.value["human"]?.value.stringValue ?? "",
                    expression: c.value["expression"]?.value.stringValue)
            }
        } else if let keys = o["inv"]?.value.arrayValue {
            e.constraints = keys.compactMap { $0.value.stringValue.flatMap { invariants[$0] } }
        }
        return e
    }

    /// The FHIR type code, mapping `http://hl7.org/fhirpath/System.*` the way the compact importer does.
    static func typeCode(_ t: JSONValue, path: String, basePath: String?) -> String {
        let code = t["code"]?.value.stringValue ?? ""
        guard code.hasPrefix("http://hl7.org/fhirpath/System.") else { return code }
        if (basePath ?? path) == "Resource.id" { return "id" }
        let ext = t["extension"]?.value.arrayValue?.first {
            $0.value["url"]?.value.stringValue
                == "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
        }
        return ext?.value["valueUrl"]?.value.stringValue ?? ext?.value["valueString"]?.value.stringValue ?? "string"
    }

    static func lowerFirst(_ s: Substring) -> String {
        guard let f = s.first else { return "" }
        return f.lowercased() + s.dropFirst()
    }

    static func scalarText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): s
        case .number(let n): n
        case .object:
            // A Quantity/Duration limit: its value.
            v["value"]?.value.numberText
        default: nil
        }
    }
}
