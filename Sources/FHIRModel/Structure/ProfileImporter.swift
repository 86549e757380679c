import Foundation

/// Derives the compact structure files of profiles/ from official StructureDefinitions (snapshot form).
///
/// Used by `booking-gateway profiles import`; a test regenerates the files from ../shared and diffs them with
/// the committed ones, so the derived data cannot drift from its source.
public struct ProfileImporter {
    /// The header every generated file carries (as `generatedFrom`), naming source and FHIR version.
    public static let generatedFrom =
        "hl7.fhir.r4.core#4.0.1 StructureDefinitions (snapshot), by `booking-gateway profiles import`"

    public init() {}

    /// Which definitions to import: base resources, datatypes and primitives (specialisations).
    public func shouldImport(_ sd: JSONValue) -> Bool {
        guard sd["resourceType"]?.value.stringValue == "StructureDefinition",
            let kind = sd["kind"]?.value.stringValue
        else { return false }
        guard ["primitive-type", "complex-type", "resource"].contains(kind) else { return false }
        let derivation = sd["derivation"]?.value.stringValue
        return derivation == nil || derivation == "specialization"
    }

    /// Imports every eligible StructureDefinition in `source` and returns (file name, compact JSON bytes).
    public func importDirectory(_ source: URL) throws -> [(name: String, bytes: [UInt8])] {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: source.path)
            .filter { $0.hasPrefix("StructureDefinition-") && $0.hasSuffix(".json") }.sorted()
        let parser = JSONParser(limits: ReaderLimits(maxBytes: 64 * 1024 * 1024, maxDepth: 64))
        var out: [(String, [UInt8])] = []
        for name in names {
            let bytes = Array(try Data(contentsOf: source.appendingPathComponent(name)))
            let sd = try parser.parse(bytes).value
            guard shouldImport(sd), let compact = compact(sd), let typeName = sd["type"]?.value.stringValue else {
                continue
            }
            out.append((typeName + ".json", compact.serialized(pretty: false) + [0x0A]))
        }
        return out
    }

    /// The compact form of one StructureDefinition, or nil when it has no snapshot.
    public func compact(_ sd: JSONValue) -> JSONValue? {
        guard let elements = sd["snapshot"]?.value["element"]?.value.arrayValue else { return nil }
        var top: [JSONMember] = [
            member("generatedFrom", .string(Self.generatedFrom)),
            member("url", sd["url"]?.value ?? .null),
            member("name", sd["type"]?.value ?? .null),
            member("kind", sd["kind"]?.value ?? .null),
        ]
        if sd["abstract"]?.value == .bool(true) { top.append(member("abstract", .bool(true))) }
        if let base = sd["baseDefinition"]?.value.stringValue {
            top.append(member("base", .string(String(base.split(separator: "/").last ?? ""))))
        }
        var invariants: [JSONMember] = []
        var seenInvariants: Set<String> = []
        var out: [JSONNode] = []
        for e in elements {
            let (compactElement, regex) = compactElement(e.value, invariants: &invariants, seen: &seenInvariants)
            if let regex, !top.contains(where: { $0.key == "regex" }) { top.append(member("regex", .string(regex))) }
            out.append(JSONNode(compactElement))
        }
        if !invariants.isEmpty { top.append(member("invariants", .object(invariants))) }
        top.append(member("elements", .array(out)))
        return .object(top)
    }

    private func member(_ key: String, _ value: JSONValue) -> JSONMember {
        JSONMember(key: key, node: JSONNode(value))
    }

    private func compactElement(
        _ e: JSONValue, invariants: inout [JSONMember], seen: inout Set<String>
    ) -> (JSONValue, String?) {
        var m: [JSONMember] = []
        let path = e["path"]?.value.stringValue ?? ""
        m.append(member("path", .string(path)))
        if let id = e["id"]?.value.stringValue, id != path { m.append(member("id", .string(id))) }
        if let slice = e["sliceName"]?.value.stringValue { m.append(member("sliceName", .string(slice))) }
        if let min = e["min"]?.value.numberText, min != "0" { m.append(member("min", .number(min))) }
        if let max = e["max"]?.value.stringValue, max != "1" { m.append(member("max", .string(max))) }
        let baseMax = e["base"]?.value["max"]?.value.stringValue ?? e["max"]?.value.stringValue ?? "1"
        if baseMax != "1" && baseMax != "0" && path.contains(".") { m.append(member("array", .bool(true))) }
        if let ref = e["contentReference"]?.value.stringValue { m.append(member("contentReference", .string(ref))) }
        var regex: String?
        if let types = e["type"]?.value.arrayValue {
            let basePath = e["base"]?.value["path"]?.value.stringValue ?? path
            var compactTypes: [JSONNode] = []
            for t in types {
                var code = t.value["code"]?.value.stringValue ?? ""
                let exts = t.value["extension"]?.value.arrayValue ?? []
                func ext(_ url: String) -> String? {
                    exts.first { $0.value["url"]?.value.stringValue == url }.flatMap {
                        $0.value["valueUrl"]?.value.stringValue ?? $0.value["valueString"]?.value.stringValue
                    }
                }
                if let r = ext("http://hl7.org/fhir/StructureDefinition/regex") { regex = r }
                if code.hasPrefix("http://hl7.org/fhirpath/System.") {
                    let isPrimitiveValue = path.hasSuffix(".value") && !path.dropLast(6).contains(".")
                    if basePath == "Resource.id" {
                        code = "id"
                    } else if isPrimitiveValue {
                        code = "System." + code.dropFirst("http://hl7.org/fhirpath/System.".count)
                    } else {
                        code = ext("http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type") ?? "string"
                    }
                }
                var tm: [JSONMember] = [member("code", .string(code))]
                for key in ["profile", "targetProfile"] {
                    if let list = t.value[key]?.value, case .array(let items) = list, !items.isEmpty {
                        tm.append(member(key, list))
                    }
                }
                compactTypes.append(JSONNode(.object(tm)))
            }
            if !compactTypes.isEmpty { m.append(member("type", .array(compactTypes))) }
        }
        if e["representation"]?.value.arrayValue?.contains(where: { $0.value.stringValue == "xmlAttr" }) == true {
            m.append(member("attr", .bool(true)))
        }
        if e["isModifier"]?.value == .bool(true) { m.append(member("modifier", .bool(true))) }
        if e["isSummary"]?.value == .bool(true) { m.append(member("summary", .bool(true))) }
        if let b = e["binding"]?.value {
            var bm: [JSONMember] = []
            if let s = b["strength"]?.value { bm.append(member("strength", s)) }
            if let vs = b["valueSet"]?.value { bm.append(member("valueSet", vs)) }
            m.append(member("binding", .object(bm)))
        }
        for mem in e.objectValue ?? [] where mem.key.hasPrefix("fixed") || mem.key.hasPrefix("pattern") {
            m.append(mem)
        }
        if let slicing = e["slicing"]?.value { m.append(member("slicing", slicing)) }
        var keys: [JSONNode] = []
        for c in e["constraint"]?.value.arrayValue ?? [] {
            guard let key = c.value["key"]?.value.stringValue else { continue }
            keys.append(JSONNode(.string(key)))
            if seen.insert(key).inserted {
                var cm: [JSONMember] = []
                for k in ["severity", "human", "expression"] {
                    if let v = c.value[k]?.value { cm.append(member(k, v)) }
                }
                invariants.append(member(key, .object(cm)))
            }
        }
        if !keys.isEmpty { m.append(member("inv", .array(keys))) }
        return (.object(m), regex)
    }
}

extension ProfileImporter {
    /// The header of the core extension definitions file (profiles/r4/extensions).
    public static let extensionsGeneratedFrom =
        "hl7.fhir.r4.core#4.0.1 extension StructureDefinitions (snapshot), by `booking-gateway profiles core-extensions`"

    /// The header of the core constraint profiles file (profiles/r4/profiles).
    public static let profilesGeneratedFrom =
        "hl7.fhir.r4.core#4.0.1 constraint profiles (snapshot), by `booking-gateway profiles core-profiles`"

    /// The extension definitions of `source` (StructureDefinitions of type Extension, derivation constraint) in
    /// compact form, as NDJSON: a header line, then one line per extension sorted by URL, each with `url`, `name`,
    /// `context` and the compact `elements` and `invariants` of its snapshot (the same element form as the core
    /// files). Kept out of profiles/r4/core because they are not types (the structure registry must not load them).
    public func importExtensions(_ source: URL) throws -> [UInt8] {
        try importConstraints(source, header: Self.extensionsGeneratedFrom) { $0 == "Extension" }
    }

    /// The other constraint profiles of `source` (vital signs, SimpleQuantity, the shareable and CDS profiles…),
    /// in the same compact NDJSON form, each line also with `type`, `kind` and `baseDefinition`. A resource that
    /// claims one of them (`meta.profile`), or an element whose type names one, is checked against it offline.
    public func importConstraintProfiles(_ source: URL) throws -> [UInt8] {
        try importConstraints(source, header: Self.profilesGeneratedFrom) { $0 != "Extension" }
    }

    func importConstraints(_ source: URL, header: String, including: (String) -> Bool) throws -> [UInt8] {
        try compactNDJSON(source, prefix: "StructureDefinition-", header: header) { sd in
            guard let type = sd["type"]?.value.stringValue, including(type),
                sd["derivation"]?.value.stringValue == "constraint",
                let url = sd["url"]?.value.stringValue,
                let elements = sd["snapshot"]?.value["element"]?.value.arrayValue
            else { return nil }
            var invariants: [JSONMember] = []
            var seen: Set<String> = []
            let compactElements = elements.map { e in
                JSONNode(compactElement(e.value, invariants: &invariants, seen: &seen).0)
            }
            var top: [JSONMember] = [
                member("url", .string(url)),
                member("name", sd["name"]?.value ?? .string(url)),
            ]
            if type != "Extension" {
                top.append(member("type", .string(type)))
                if let kind = sd["kind"]?.value { top.append(member("kind", kind)) }
                if let base = sd["baseDefinition"]?.value { top.append(member("baseDefinition", base)) }
            }
            if let context = sd["context"]?.value { top.append(member("context", context)) }
            if !invariants.isEmpty { top.append(member("invariants", .object(invariants))) }
            top.append(member("elements", .array(compactElements)))
            return (url, top)
        }
    }

    /// The official files of `source` whose names start with `prefix`, each turned by `line` into a compact
    /// object (nil leaves it out), as NDJSON: a `generatedFrom` header line, then the objects sorted by URL.
    func compactNDJSON(
        _ source: URL, prefix: String, header: String, line: (JSONValue) -> (url: String, members: [JSONMember])?
    ) throws -> [UInt8] {
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
        let parser = JSONParser(limits: ReaderLimits(maxBytes: 64 * 1024 * 1024, maxDepth: 64))
        var lines: [(url: String, bytes: [UInt8])] = []
        for name in names {
            let v = try parser.parse(Array(try Data(contentsOf: source.appendingPathComponent(name)))).value
            guard let (url, members) = line(v) else { continue }
            lines.append((url, JSONValue.object(members).serialized(pretty: false)))
        }
        let headerLine = JSONValue.object([member("generatedFrom", .string(header))])
        return ([headerLine.serialized(pretty: false)] + lines.sorted { $0.url < $1.url }.map(\.bytes))
            .flatMap { $0 + [0x0A] }
    }

    /// The header of the core search parameters file (profiles/r4/search).
    public static let searchParametersGeneratedFrom =
        "hl7.fhir.r4.core#4.0.1 SearchParameters (url, code, type, base), by `booking-gateway profiles search-parameters`"

    /// The SearchParameters of `source` in compact form, as NDJSON: a header line, then one line per parameter
    /// sorted by URL, with `url`, `code`, `type` and `base` — what the validator needs to check a
    /// CapabilityStatement's search parameters and a SearchParameter derived from a core one.
    public func importSearchParameters(_ source: URL) throws -> [UInt8] {
        try compactNDJSON(source, prefix: "SearchParameter-", header: Self.searchParametersGeneratedFrom) { sp in
            guard let url = sp["url"]?.value.stringValue, let code = sp["code"]?.value, let type = sp["type"]?.value
            else { return nil }
            return (
                url,
                [
                    member("url", .string(url)), member("code", code), member("type", type),
                    member("base", sp["base"]?.value ?? .array([])),
                ]
            )
        }
    }
}
