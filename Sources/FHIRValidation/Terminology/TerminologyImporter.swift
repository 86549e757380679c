import FHIRModel
import Foundation

/// Derives the compact terminology data of profiles/r4/terminology from the official ValueSets and CodeSystems.
///
/// Every ValueSet of the package is expanded offline where its compose can be computed from local data (whole
/// local CodeSystems, concept lists, `is-a`/`descendent-of` filters over local hierarchies, excludes, nested
/// value sets). Value sets that need an external system (SNOMED CT, LOINC, UCUM without a list, BCP-47…) are
/// written with `"unexpandable"` and a reason, so the validator reports them as not checkable. Complete local
/// CodeSystems are written too (their codes), to check codings outside any binding.
///
/// The output is one NDJSON file: a header line, then one line per CodeSystem (`"cs"`) and ValueSet (`"vs"`),
/// sorted by URL. A test regenerates it from ../shared and compares it byte for byte.
public struct TerminologyImporter {
    /// The header line's `generatedFrom` text.
    public static let generatedFrom =
        "hl7.fhir.r4.core#4.0.1 ValueSets and CodeSystems, expanded offline by `booking-gateway profiles terminology`"
    /// The file name written into profiles/r4/terminology.
    public static let fileName = "terminology.ndjson"

    public init() {}

    struct Concept {
        var code: String
        var display: String?
        var children: [Concept]
    }

    struct CodeSystemData {
        var url: String
        var complete: Bool
        var concepts: [Concept]
        var caseSensitive: Bool
    }

    enum Expansion {
        case codes([[String]])  // [system, code, display?]
        case unexpandable(String)
    }

    /// Reads the CodeSystem-*.json and ValueSet-*.json files of `source` and returns the NDJSON bytes.
    /// - Throws: file system and JSON errors.
    public func importDirectory(_ source: URL) throws -> [UInt8] {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: source.path).sorted()
        let parser = JSONParser(limits: ReaderLimits(maxBytes: 64 * 1024 * 1024, maxDepth: 128))
        var systems: [String: CodeSystemData] = [:]
        var valueSets: [String: JSONValue] = [:]
        for name in names where name.hasSuffix(".json") {
            let isCS = name.hasPrefix("CodeSystem-")
            guard isCS || name.hasPrefix("ValueSet-") else { continue }
            let v = try parser.parse(Array(Data(contentsOf: source.appendingPathComponent(name)))).value
            guard let url = v["url"]?.value.stringValue else { continue }
            if isCS {
                let content = v["content"]?.value.stringValue ?? ""
                systems[url] = CodeSystemData(
                    url: url, complete: content == "complete",
                    concepts: Self.concepts(v["concept"]?.value),
                    caseSensitive: v["caseSensitive"]?.value == .bool(true))
            } else {
                valueSets[url] = v
            }
        }
        var cache: [String: Expansion] = [:]
        var lines: [[UInt8]] = []
        let header: JSONValue = .object([m("generatedFrom", .string(Self.generatedFrom))])
        lines.append(header.serialized(pretty: false))
        for url in systems.keys.sorted() {
            let cs = systems[url]!
            guard cs.complete else { continue }
            var codes: [JSONNode] = []
            Self.flatten(cs.concepts) { c in codes.append(JSONNode(.string(c.code))) }
            var members = [m("cs", .string(url))]
            if cs.caseSensitive { members.append(m("caseSensitive", .bool(true))) }
            members.append(m("codes", .array(codes)))
            lines.append(JSONValue.object(members).serialized(pretty: false))
        }
        for url in valueSets.keys.sorted() {
            var visiting: Set<String> = []
            let e = expand(url, valueSets: valueSets, systems: systems, cache: &cache, visiting: &visiting)
            var members = [m("vs", .string(url))]
            switch e {
            case .unexpandable(let reason):
                members.append(m("unexpandable", .string(reason)))
            case .codes(let codes):
                // Group by system to keep the file small: {"system": [[code, display], ...]}.
                var order: [String] = []
                var bySystem: [String: [JSONNode]] = [:]
                for c in codes {
                    if bySystem[c[0]] == nil { order.append(c[0]) }
                    var pair: [JSONNode] = [JSONNode(.string(c[1]))]
                    if c.count > 2 { pair.append(JSONNode(.string(c[2]))) }
                    bySystem[c[0], default: []].append(JSONNode(.array(pair)))
                }
                members.append(
                    m("include", .object(order.map { m($0, .array(bySystem[$0]!)) })))
            }
            lines.append(JSONValue.object(members).serialized(pretty: false))
        }
        return lines.flatMap { $0 + [0x0A] }
    }

    private func m(_ key: String, _ value: JSONValue) -> JSONMember {
        JSONMember(key: key, node: JSONNode(value))
    }

    static func concepts(_ v: JSONValue?) -> [Concept] {
        (v?.arrayValue ?? []).compactMap { n in
            guard let code = n.value["code"]?.value.stringValue else { return nil }
            return Concept(
                code: code, display: n.value["display"]?.value.stringValue,
                children: concepts(n.value["concept"]?.value))
        }
    }

    static func flatten(_ concepts: [Concept], _ body: (Concept) -> Void) {
        for c in concepts {
            body(c)
            flatten(c.children, body)
        }
    }

    static func find(_ code: String, in concepts: [Concept]) -> Concept? {
        for c in concepts {
            if c.code == code { return c }
            if let f = find(code, in: c.children) { return f }
        }
        return nil
    }

    func expand(
        _ rawURL: String, valueSets: [String: JSONValue], systems: [String: CodeSystemData],
        cache: inout [String: Expansion], visiting: inout Set<String>
    ) -> Expansion {
        let url = String(rawURL.split(separator: "|", maxSplits: 1).first ?? "")
        if let c = cache[url] { return c }
        guard let vs = valueSets[url] else { return .unexpandable("value set \(url) is not in the package") }
        guard visiting.insert(url).inserted else { return .unexpandable("value set \(url) includes itself") }
        defer { visiting.remove(url) }
        guard let compose = vs["compose"]?.value else { return .unexpandable("no compose") }
        var result: [[String]] = []
        var seen: Set<String> = []
        for inc in compose["include"]?.value.arrayValue ?? [] {
            switch includeCodes(inc.value, valueSets: valueSets, systems: systems, cache: &cache, visiting: &visiting) {
            case .unexpandable(let r):
                cache[url] = .unexpandable(r)
                return .unexpandable(r)
            case .codes(let codes):
                for c in codes where seen.insert(c[0] + "|" + c[1]).inserted { result.append(c) }
            }
        }
        for exc in compose["exclude"]?.value.arrayValue ?? [] {
            switch includeCodes(exc.value, valueSets: valueSets, systems: systems, cache: &cache, visiting: &visiting) {
            case .unexpandable(let r):
                cache[url] = .unexpandable("exclude: " + r)
                return .unexpandable("exclude: " + r)
            case .codes(let codes):
                let drop = Set(codes.map { $0[0] + "|" + $0[1] })
                result.removeAll { drop.contains($0[0] + "|" + $0[1]) }
            }
        }
        cache[url] = .codes(result)
        return .codes(result)
    }

    private func includeCodes(
        _ inc: JSONValue, valueSets: [String: JSONValue], systems: [String: CodeSystemData],
        cache: inout [String: Expansion], visiting: inout Set<String>
    ) -> Expansion {
        var fromSystem: [[String]]?
        if let system = inc["system"]?.value.stringValue {
            let cs = systems[system]
            if let list = inc["concept"]?.value.arrayValue {
                fromSystem = list.compactMap { n in
                    guard let code = n.value["code"]?.value.stringValue else { return nil }
                    let display =
                        n.value["display"]?.value.stringValue
                        ?? cs.flatMap { Self.find(code, in: $0.concepts) }?
                        .display
                    return [system, code] + (display.map { [$0] } ?? [])
                }
            } else {
                guard let cs, cs.complete else {
                    return .unexpandable("code system \(system) is not available offline")
                }
                var roots = cs.concepts
                for f in inc["filter"]?.value.arrayValue ?? [] {
                    let op = f.value["op"]?.value.stringValue ?? ""
                    let property = f.value["property"]?.value.stringValue ?? ""
                    let value = f.value["value"]?.value.stringValue ?? ""
                    guard property == "concept", op == "is-a" || op == "descendent-of",
                        let node = Self.find(value, in: roots)
                    else { return .unexpandable("filter \(property) \(op) \(value) on \(system)") }
                    roots = op == "is-a" ? [node] : node.children
                }
                var out: [[String]] = []
                Self.flatten(roots) { c in out.append([system, c.code] + (c.display.map { [$0] } ?? [])) }
                fromSystem = out
            }
        }
        var result = fromSystem
        for ref in inc["valueSet"]?.value.arrayValue ?? [] {
            guard let refURL = ref.value.stringValue else { continue }
            switch expand(refURL, valueSets: valueSets, systems: systems, cache: &cache, visiting: &visiting) {
            case .unexpandable(let r): return .unexpandable(r)
            case .codes(let codes):
                if let current = result {
                    let keep = Set(codes.map { $0[0] + "|" + $0[1] })
                    result = current.filter { keep.contains($0[0] + "|" + $0[1]) }
                } else {
                    result = codes
                }
            }
        }
        return .codes(result ?? [])
    }
}
