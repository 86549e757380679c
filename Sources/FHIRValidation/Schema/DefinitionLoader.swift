import FHIRModel
import Foundation

/// Reads definition files for ``ProfileStore``: compact core files, and StructureDefinitions / ValueSets /
/// CodeSystems in JSON or XML (XML is read into the element tree and written as JSON).
struct DefinitionLoader {
    let registry: StructureRegistry
    var core: [String: Profile] = [:]
    /// Profiles compiled before (the core, or a previous store's): the starting point of ``compileProfiles()``.
    var known: [String: Profile] = [:]
    var structureDefinitions: [String: JSONValue] = [:]
    var valueSets: [JSONValue] = []
    var codeSystems: [JSONValue] = []
    var skipped: [String] = []
    /// `ImplementationGuide.global`: resource type → profiles all its resources must conform to.
    var globalProfiles: [String: [String]] = [:]
    var searchParameters: [String: SearchParameterDefinition] = [:]
    let parser = JSONParser(limits: ReaderLimits(maxBytes: 64 * 1024 * 1024, maxDepth: 128))

    init(registry: StructureRegistry) {
        self.registry = registry
    }

    mutating func loadCore(_ dir: URL) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter {
            $0.hasSuffix(".json")
        }.sorted()
        for name in names {
            let file = dir.appendingPathComponent(name)
            do {
                let v = try parser.parse(Array(Data(contentsOf: file))).value
                let invariants = Self.invariants(v)
                guard let typeName = v["name"]?.value.stringValue, let url = v["url"]?.value.stringValue,
                    let root = ProfileBuilder.tree(v["elements"]?.value.arrayValue ?? [], invariants: invariants)
                else { continue }
                let p = Profile(
                    url: url, name: typeName, type: typeName, kind: v["kind"]?.value.stringValue ?? "",
                    isAbstract: v["abstract"]?.value == .bool(true), derivation: "specialization",
                    baseDefinition: v["base"]?.value.stringValue.map {
                        "http://hl7.org/fhir/StructureDefinition/" + $0
                    },
                    contexts: [], root: root)
                core[typeName] = p
                known[url] = p
            } catch {
                throw ProfileStore.LoadError.unreadable(file: file.path, reason: "\(error)")
            }
        }
    }

    /// The `invariants` table of a compact structure (key → severity, human, expression).
    static func invariants(_ v: JSONValue) -> [String: Invariant] {
        var out: [String: Invariant] = [:]
        for m in v["invariants"]?.value.objectValue ?? [] {
            let o = m.node.value
            out[m.key] = Invariant(
                key: m.key, severity: o["severity"]?.value.stringValue ?? "error",
                human: o["human"]?.value.stringValue ?? "", expression: o["expression"]?.value.stringValue)
        }
        return out
    }

    /// The JSON lines of a derived NDJSON file (empty when the file does not exist).
    func ndjsonLines(_ file: URL) throws -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        return try Array(data).split(separator: 0x0A).map { line in
            do {
                return try parser.parse(Array(line)).value
            } catch {
                throw ProfileStore.LoadError.unreadable(file: file.path, reason: "\(error)")
            }
        }
    }

    /// Loads compact constraint definitions: the core extensions (`extensions.ndjson`, see
    /// `ProfileImporter.importExtensions`) or the core constraint profiles (`profiles.ndjson`,
    /// `ProfileImporter.importConstraintProfiles`), when the file exists.
    mutating func loadCompactConstraints(_ file: URL) throws {
        for v in try ndjsonLines(file) {
            guard let url = v["url"]?.value.stringValue else { continue }
            let invariants = Self.invariants(v)
            guard let root = ProfileBuilder.tree(v["elements"]?.value.arrayValue ?? [], invariants: invariants)
            else { continue }
            let contexts: [(type: String, expression: String)] = (v["context"]?.value.arrayValue ?? []).map {
                ($0.value["type"]?.value.stringValue ?? "element", $0.value["expression"]?.value.stringValue ?? "")
            }
            // Extension lines carry no type; the constraint profiles file gives type, kind and base.
            known[url] = Profile(
                url: url, name: v["name"]?.value.stringValue ?? url, type: v["type"]?.value.stringValue ?? "Extension",
                kind: v["kind"]?.value.stringValue ?? "complex-type", isAbstract: false, derivation: "constraint",
                baseDefinition: v["baseDefinition"]?.value.stringValue
                    ?? "http://hl7.org/fhir/StructureDefinition/Extension", contexts: contexts, root: root)
        }
    }

    /// Loads the compact core SearchParameters (`search-parameters.ndjson`, see
    /// `ProfileImporter.importSearchParameters`), when the file exists.
    mutating func loadSearchParameters(_ file: URL) throws {
        for v in try ndjsonLines(file) {
            if let sp = SearchParameterDefinition(json: v) { searchParameters[sp.url] = sp }
        }
    }

    /// Loads every JSON/XML file under the given folders (or the files themselves).
    mutating func loadResources(in locations: [URL]) {
        let fm = FileManager.default
        for location in locations {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: location.path, isDirectory: &isDir) else {
                skipped.append("\(location.path): not found")
                continue
            }
            var files: [URL] = []
            if isDir.boolValue {
                if let e = fm.enumerator(at: location, includingPropertiesForKeys: nil) {
                    for case let url as URL in e where ["json", "xml"].contains(url.pathExtension) {
                        files.append(url)
                    }
                }
            } else {
                files = [location]
            }
            for file in files.sorted(by: { $0.path < $1.path }) { loadFile(file) }
        }
    }

    mutating func loadFile(_ file: URL) {
        guard let bytes = try? Array(Data(contentsOf: file)) else {
            skipped.append("\(file.path): unreadable")
            return
        }
        let json: JSONValue
        if file.pathExtension == "xml" {
            // Only definitions: a cheap look before parsing instances as XML.
            let head = String(decoding: bytes.prefix(2048), as: UTF8.self)
            guard
                head.contains("<StructureDefinition") || head.contains("<ValueSet") || head.contains("<CodeSystem")
                    || head.contains("<ImplementationGuide") || head.contains("<SearchParameter")
            else { return }
            // Elements out of definition order are a slip of the serialisation, not of the content: such a
            // definition is read and loaded (put in order); any other reader error skips it.
            let read = FHIRXMLReader(registry: registry).readResourceLeniently(bytes)
            guard let tree = read.element,
                read.issues.allSatisfy({ $0.severity == .warning || $0.code == .xmlOutOfOrder })
            else {
                skipped.append("\(file.path): \(FHIRFormatError(issues: read.issues))")
                return
            }
            do {
                json = try parser.parse(FHIRJSONWriter(registry: registry).write(tree)).value
            } catch {
                skipped.append("\(file.path): \(error)")
                return
            }
        } else {
            guard let v = try? parser.parse(bytes).value else {
                skipped.append("\(file.path): not JSON")
                return
            }
            json = v
        }
        add(json)
    }

    /// Adds one definition resource (JSON form); Bundles are opened.
    mutating func add(_ json: JSONValue) {
        switch json["resourceType"]?.value.stringValue {
        case "StructureDefinition":
            if let url = json["url"]?.value.stringValue { structureDefinitions[url] = json }
        case "ValueSet": valueSets.append(json)
        case "ImplementationGuide":
            for g in json["global"]?.value.arrayValue ?? [] {
                guard let type = g.value["type"]?.value.stringValue,
                    let profile = g.value["profile"]?.value.stringValue
                else { continue }
                if !(globalProfiles[type] ?? []).contains(profile) { globalProfiles[type, default: []].append(profile) }
            }
        case "CodeSystem": codeSystems.append(json)
        case "SearchParameter":
            if let sp = SearchParameterDefinition(json: json) { searchParameters[sp.url] = sp }
        case "Bundle":
            for entry in json["entry"]?.value.arrayValue ?? [] {
                if let r = entry.value["resource"]?.value { add(r) }
            }
        default: break
        }
    }

    /// Compiles the loaded StructureDefinitions (snapshot, or generated from the differential) plus the core.
    mutating func compileProfiles() -> [String: Profile] {
        var done = known
        for url in structureDefinitions.keys { done[url] = nil }
        var inProgress: Set<String> = []
        for url in structureDefinitions.keys.sorted() { _ = compile(url, done: &done, inProgress: &inProgress) }
        return done
    }

    private mutating func compile(_ url: String, done: inout [String: Profile], inProgress: inout Set<String>)
        -> Profile?
    {
        if let p = done[url] { return p }
        guard let sd = structureDefinitions[url], inProgress.insert(url).inserted else { return nil }
        defer { inProgress.remove(url) }
        let type = sd["type"]?.value.stringValue ?? ""
        let base = sd["baseDefinition"]?.value.stringValue.map(Terminology.unversioned)
        var root: ProfileElement?
        if let snapshot = sd["snapshot"]?.value["element"]?.value.arrayValue, !snapshot.isEmpty {
            root = ProfileBuilder.tree(snapshot)
        } else if let diff = sd["differential"]?.value["element"]?.value.arrayValue, let base,
            let baseProfile = compile(base, done: &done, inProgress: &inProgress)
        {
            let coreTypes = core
            root = SnapshotGenerator.generate(differential: diff, base: baseProfile.root) { coreTypes[$0] }
        }
        guard let root else {
            skipped.append("\(url): no snapshot, and the base \(base ?? "-") is unknown")
            return nil
        }
        let contexts: [(type: String, expression: String)] = (sd["context"]?.value.arrayValue ?? []).map {
            ($0.value["type"]?.value.stringValue ?? "element", $0.value["expression"]?.value.stringValue ?? "")
        }
        let p = Profile(
            url: url, name: sd["name"]?.value.stringValue ?? type, type: type,
            kind: sd["kind"]?.value.stringValue ?? "", isAbstract: sd["abstract"]?.value == .bool(true),
            derivation: sd["derivation"]?.value.stringValue ?? "constraint", baseDefinition: base,
            contexts: contexts, root: root)
        done[url] = p
        return p
    }
}
