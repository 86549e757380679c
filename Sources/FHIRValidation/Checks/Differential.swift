import FHIRModel

extension ValidationRun {
    /// A constraint StructureDefinition given by its differential only: every differential element's path must
    /// name an element of the base ("a '.'-separated list of ancestor elements, beginning with the name of the
    /// resource or extension"), or no snapshot can be generated from it. The paths are resolved the way the
    /// profiles themselves are compiled (``SnapshotGenerator``), types and slices included.
    mutating func checkDifferentialPaths(_ sd: Element, path: String) {
        guard sd.child("snapshot") == nil, sd.string("derivation") == "constraint",
            let baseURL = sd.string("baseDefinition").map(Terminology.unversioned),
            let base = store.profile(baseURL),
            let elements = sd.child("differential")?.children(named: "element"), !elements.isEmpty
        else { return }
        let nodes = elements.map { e -> JSONNode in
            var members: [JSONMember] = []
            // The path names the element; the id only adds slice names, and is ignored when it names others.
            let names = { (s: String) in s.split(separator: ".").map { $0.split(separator: ":").first ?? "" } }
            for key in ["id", "path", "sliceName"] {
                guard let v = e.string(key) else { continue }
                if key == "id", let p = e.string("path"), names(v) != names(p) { continue }
                members.append(JSONMember(key: key, node: JSONNode(.string(v))))
            }
            let types = e.children(named: "type").compactMap { t in
                t.string("code").map { JSONNode(.object([JSONMember(key: "code", node: JSONNode(.string($0)))])) }
            }
            if !types.isEmpty { members.append(JSONMember(key: "type", node: JSONNode(.array(types)))) }
            return JSONNode(.object(members))
        }
        var bad: Set<Int> = []
        for (i, e) in elements.enumerated() {
            guard let p = e.string("path") else { continue }
            let segments = p.split(separator: ".", omittingEmptySubsequences: false)
            if segments.contains(where: \.isEmpty) || segments.first.map(String.init) != base.root.path {
                bad.insert(i)
            }
        }
        let store = self.store
        _ = SnapshotGenerator.generate(
            differential: nodes, base: base.root, type: { store.coreByType[$0] },
            unresolved: { bad.insert($0) })
        for i in bad.sorted() {
            report(
                .error, .structure,
                "Error generating Snapshot: the differential path '\(elements[i].string("path") ?? "")' does not name an element of the base \(baseURL)",
                at: "\(path).differential.element[\(i)]")
        }
    }

    /// A type profile applies to the data type it is listed under (ElementDefinition.type.profile: "a profile
    /// ... that applies to the datatype this element refers to"): its StructureDefinition must be for that type.
    mutating func checkTypeProfiles(_ sd: Element, path: String) {
        let generic: Set<String> = ["Resource", "DomainResource", "Element", "BackboneElement"]
        let elements = sd.child("differential")?.children(named: "element") ?? []
        for (i, e) in elements.enumerated() {
            for (j, t) in e.children(named: "type").enumerated() {
                guard let code = t.string("code"), !generic.contains(code), !code.contains(":") else { continue }
                for (k, profile) in t.children(named: "profile").enumerated() {
                    guard let url = profile.value.map(Terminology.unversioned), let p = store.profile(url),
                        !p.type.isEmpty, p.type != code
                    else { continue }
                    report(
                        .error, .structure,
                        "Profile \(url) is for type \(p.type), but the \(e.string("path") ?? "") element has type \(code)",
                        at: "\(path).differential.element[\(i)].type[\(j)].profile[\(k)]")
                }
            }
        }
    }

    /// A constraint can only restrict its base: a value the base fixes cannot be fixed to another value (an
    /// extension derived from another cannot redefine its fixed `url`).
    mutating func checkFixedAgainstBase(_ sd: Element, path: String) {
        guard sd.string("derivation") == "constraint",
            let baseURL = sd.string("baseDefinition").map(Terminology.unversioned),
            let base = store.profile(baseURL)
        else { return }
        let elements = sd.child("differential")?.children(named: "element") ?? []
        for (i, e) in elements.enumerated() {
            guard let p = e.string("path"), e.string("sliceName") == nil, e.string("id").map({ $0 == p }) ?? true,
                let value = e.child("fixed")?.value, let b = SnapshotGenerator.find(p, in: base.root),
                let baseFixed = b.fixed?.1
            else { continue }
            let expected: String
            switch baseFixed {
            case .string(let s), .number(let s): expected = s
            default: continue
            }
            if expected != value {
                report(
                    .error, .value,
                    "Value is '\(value)' but is fixed to '\(expected)' in the base profile \(baseURL): a constraint cannot change a fixed value",
                    at: "\(path).differential.element[\(i)].fixed")
            }
        }
    }
}
