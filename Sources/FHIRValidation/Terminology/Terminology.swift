import FHIRModel
import Foundation

/// The value sets and code systems the validator checks codes against: the compact data of
/// profiles/r4/terminology plus any ValueSet/CodeSystem loaded from extra profile folders.
public final class Terminology: Sendable {
    /// What is known of one value set.
    public enum ValueSetContent: Sendable {
        /// The expansion: `system|code` keys, and the bare codes (for `code`-typed elements).
        case codes(keys: Set<String>, codes: Set<String>)
        /// The compose needs data not available offline (SNOMED CT, UCUM, BCP-47…).
        case unexpandable(reason: String)

        /// Whether one of `candidates` is in the expansion (by `system|code`, or by code alone without a system);
        /// nil when the value set cannot be expanded offline.
        public func contains(_ candidates: [Terminology.Candidate]) -> Bool? {
            guard case .codes(let keys, let codes) = self else { return nil }
            return candidates.contains { c in
                if let s = c.system { return keys.contains(s + "|" + c.code) }
                return codes.contains(c.code)
            }
        }
    }

    /// A code a value stands for, with its system when it has one.
    public typealias Candidate = (system: String?, code: String)

    /// The codes a coded element stands for: a Coding's or a Quantity's system and code, a CodeableConcept's
    /// codings, a primitive's value (no system). Empty when it has none.
    public static func candidates(of e: Element) -> [Candidate] {
        switch e.type {
        case "Coding", "Quantity", "Age", "Duration", "Distance", "Count", "MoneyQuantity", "SimpleQuantity":
            return e.string("code").map { [(e.string("system"), $0)] } ?? []
        case "CodeableConcept":
            return e.children(named: "coding").compactMap { c in c.string("code").map { (c.string("system"), $0) } }
        default:
            return e.value.map { [(nil, $0)] } ?? []
        }
    }

    let valueSets: [String: ValueSetContent]
    /// Complete code systems: their codes.
    let codeSystems: [String: Set<String>]

    init(valueSets: [String: ValueSetContent], codeSystems: [String: Set<String>]) {
        self.valueSets = valueSets
        self.codeSystems = codeSystems
    }

    /// The value set with canonical `url` (a `|version` suffix is ignored), or nil when unknown.
    public func valueSet(_ url: String) -> ValueSetContent? {
        valueSets[Self.unversioned(url)]
    }

    /// The codes of a complete code system, or nil when the system is not known offline.
    public func codeSystem(_ url: String) -> Set<String>? {
        codeSystems[Self.unversioned(url)]
    }

    static func unversioned(_ url: String) -> String {
        guard let bar = url.firstIndex(of: "|") else { return url }
        return String(url[..<bar])
    }

    /// Reads `terminology.ndjson` (see ``TerminologyImporter``); an absent file gives an empty terminology.
    static func load(file: URL?) throws -> Terminology {
        var valueSets: [String: ValueSetContent] = [:]
        var systems: [String: Set<String>] = [:]
        if let file, FileManager.default.fileExists(atPath: file.path) {
            let parser = JSONParser(limits: ReaderLimits(maxBytes: 64 * 1024 * 1024, maxDepth: 16))
            let data = Array(try Data(contentsOf: file))
            var start = 0
            for i in data.indices where data[i] == 0x0A {
                defer { start = i + 1 }
                guard i > start else { continue }
                let v = try parser.parse(Array(data[start..<i])).value
                if let cs = v["cs"]?.value.stringValue {
                    systems[cs] = Set((v["codes"]?.value.arrayValue ?? []).compactMap { $0.value.stringValue })
                } else if let vs = v["vs"]?.value.stringValue {
                    if let reason = v["unexpandable"]?.value.stringValue {
                        valueSets[vs] = .unexpandable(reason: reason)
                    } else {
                        var keys: Set<String> = []
                        var codes: Set<String> = []
                        for sys in v["include"]?.value.objectValue ?? [] {
                            for pair in sys.node.value.arrayValue ?? [] {
                                guard let code = pair.value.arrayValue?.first?.value.stringValue else { continue }
                                keys.insert(sys.key + "|" + code)
                                codes.insert(code)
                            }
                        }
                        valueSets[vs] = .codes(keys: keys, codes: codes)
                    }
                }
            }
        }
        return Terminology(valueSets: valueSets, codeSystems: systems)
    }

    /// This terminology plus extra ValueSets and CodeSystems (JSON), the value sets expanded over everything known.
    func adding(valueSets extraValueSets: [JSONValue], codeSystems extraCodeSystems: [JSONValue]) -> Terminology {
        if extraValueSets.isEmpty && extraCodeSystems.isEmpty { return self }
        var valueSets = self.valueSets
        var systems = self.codeSystems
        var known: [String: TerminologyImporter.CodeSystemData] = [:]
        for (url, codes) in systems {
            known[url] = .init(
                url: url, complete: true, concepts: codes.sorted().map { .init(code: $0, children: []) },
                caseSensitive: true)
        }
        for cs in extraCodeSystems {
            guard let url = cs["url"]?.value.stringValue else { continue }
            let data = TerminologyImporter.CodeSystemData(
                url: url, complete: (cs["content"]?.value.stringValue ?? "complete") == "complete",
                concepts: TerminologyImporter.concepts(cs["concept"]?.value), caseSensitive: true)
            known[url] = data
            if data.complete {
                var codes: Set<String> = []
                TerminologyImporter.flatten(data.concepts) { codes.insert($0.code) }
                systems[url] = codes
            }
        }
        var extra: [String: JSONValue] = [:]
        for vs in extraValueSets {
            if let url = vs["url"]?.value.stringValue { extra[url] = vs }
        }
        // Known expansions seed the cache, so extra value sets can import core ones.
        var cache: [String: TerminologyImporter.Expansion] = [:]
        for (url, content) in valueSets where extra[url] == nil {
            switch content {
            case .unexpandable(let r): cache[url] = .unexpandable(r)
            case .codes(let keys, _):
                cache[url] = .codes(
                    keys.sorted().map { k in
                        let bar = k.lastIndex(of: "|")!
                        return [String(k[..<bar]), String(k[k.index(after: bar)...])]
                    })
            }
        }
        for url in extra.keys.sorted() {
            var visiting: Set<String> = []
            let e = TerminologyImporter().expand(
                url, valueSets: extra, systems: known, cache: &cache, visiting: &visiting)
            switch e {
            case .unexpandable(let r): valueSets[url] = .unexpandable(reason: r)
            case .codes(let list):
                valueSets[url] = .codes(keys: Set(list.map { $0[0] + "|" + $0[1] }), codes: Set(list.map { $0[1] }))
            }
        }
        return Terminology(valueSets: valueSets, codeSystems: systems)
    }
}
