import FHIRModel

/// The entries of a document or message Bundle for the R4 reference-resolution rules (bundle.html, "Resolving
/// references in Bundles"): an absolute reference matches a `fullUrl` (a versioned one `fullUrl/_history/v` with
/// `meta.versionId`); a relative `Type/id` reference resolves against the base of its entry's RESTful `fullUrl`
/// (one that ends with the entry resource's own type and id) and nowhere else.
struct BundleEntries {
    var fullURLs: [String?] = []
    var resources: [Element?] = []
    /// Entry indexes by fullUrl, and by `fullUrl/_history/versionId`.
    var byURL: [String: [Int]] = [:]
    /// Entry indexes by `Type/id` of their resource.
    var byTypeAndID: [String: [Int]] = [:]

    init(bundle: Element) {
        for (i, entry) in bundle.children(named: "entry").enumerated() {
            let full = entry.string("fullUrl")
            let r = entry.child("resource")
            fullURLs.append(full)
            resources.append(r)
            if let full {
                byURL[full, default: []].append(i)
                if let v = r?.descendant("meta", "versionId")?.value {
                    byURL[full + "/_history/" + v, default: []].append(i)
                }
            }
            if let r, let id = r.resourceID { byTypeAndID[r.type + "/" + id, default: []].append(i) }
        }
    }

    enum Resolution: Equatable {
        case found(Int)
        case notFound
        /// Not found by the rules, though `count` entries have the reference's type and id.
        case apparent(count: Int)
        case multiple(count: Int)
    }

    /// Resolves `reference` (without its `#fragment`) as made from entry `from`.
    func resolve(_ reference: String, from: Int) -> Resolution {
        let ref =
            reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            ?? reference
        if ValidationRun.hasScheme(ref) { return Self.outcome(byURL[ref] ?? []) }
        // A RESTful fullUrl: `[base/]Type/id` of the entry's own resource (a relative one, though not allowed,
        // is its own base, so its relative references still resolve).
        if let full = fullURLs[from], let r = resources[from], let id = r.resourceID {
            let tail = r.type + "/" + id
            if full == tail || ((full.hasPrefix("http://") || full.hasPrefix("https://")) && full.hasSuffix("/" + tail))
            {
                if let list = byURL[full.dropLast(tail.count) + ref], !list.isEmpty { return Self.outcome(list) }
            }
        }
        let parts = ref.split(separator: "/")
        if parts.count >= 2, let list = byTypeAndID[parts[0] + "/" + parts[1]] { return .apparent(count: list.count) }
        return .notFound
    }

    static func outcome(_ list: [Int]) -> Resolution {
        list.count == 1 ? .found(list[0]) : list.isEmpty ? .notFound : .multiple(count: list.count)
    }

    /// The reference strings (not `#` ones) anywhere in `e`.
    static func references(in e: Element, into out: inout [String]) {
        for c in e.children {
            if c.type == "Reference", let ref = c.string("reference"), !ref.hasPrefix("#") { out.append(ref) }
            references(in: c, into: &out)
        }
    }
}

extension ValidationRun {
    /// A document's Composition (a message's MessageHeader) is its first entry: the references it makes for the
    /// document (subject, authors, attesters, custodian, event details, section authors, focus and entries; the
    /// message's focus) must resolve in the Bundle by the R4 rules, and every entry must be reachable from it by
    /// following references forward or backward (documents.html: the document is the Composition and what it
    /// references; an entry outside that graph is an error in a document, a warning in a message).
    mutating func checkDocumentOrMessage(_ b: Element, type: String, path: String) {
        let entries = BundleEntries(bundle: b)
        guard let first = entries.resources.first ?? nil else { return }
        let firstPath = path + ".entry[0].resource"
        if type == "document" && first.type == "Composition" {
            for (name, label) in [
                ("subject", "Composition.subject"), ("encounter", "Composition.encounter"),
                ("custodian", "Composition.custodian"), ("author", "Composition.author"),
            ] {
                for (i, r) in first.children(named: name).enumerated() {
                    let p = firstPath + "." + name + (name == "author" ? "[\(i)]" : "")
                    checkBundleReference(r, name: label, entries: entries, path: p)
                }
            }
            for (i, a) in first.children(named: "attester").enumerated() {
                if let party = a.child("party") {
                    checkBundleReference(
                        party, name: "Composition.attester.party", entries: entries,
                        path: firstPath + ".attester[\(i)].party")
                }
            }
            for (i, ev) in first.children(named: "event").enumerated() {
                for (j, d) in ev.children(named: "detail").enumerated() {
                    checkBundleReference(
                        d, name: "Composition.event.detail", entries: entries,
                        path: firstPath + ".event[\(i)].detail[\(j)]")
                }
            }
            checkSectionReferences(first, entries: entries, path: firstPath)
        } else if type == "message" && first.type == "MessageHeader" {
            for (i, f) in first.children(named: "focus").enumerated() {
                checkBundleReference(f, name: "MessageHeader Data", entries: entries, path: firstPath + ".focus[\(i)]")
            }
        } else {
            return
        }
        checkReachability(entries, isDocument: type == "document", root: first.type, path: path)
    }

    mutating func checkSectionReferences(_ holder: Element, entries: BundleEntries, path: String) {
        for (i, s) in holder.children(named: "section").enumerated() {
            let sPath = path + ".section[\(i)]"
            for (j, a) in s.children(named: "author").enumerated() {
                checkBundleReference(a, name: "Section Author", entries: entries, path: sPath + ".author[\(j)]")
            }
            if let f = s.child("focus") {
                checkBundleReference(f, name: "Section Focus", entries: entries, path: sPath + ".focus")
            }
            for (j, e) in s.children(named: "entry").enumerated() {
                checkBundleReference(e, name: "Section Entry", entries: entries, path: sPath + ".entry[\(j)]")
            }
            checkSectionReferences(s, entries: entries, path: sPath)
        }
    }

    /// A reference the first entry makes must resolve to exactly one entry.
    mutating func checkBundleReference(_ r: Element, name: String, entries: BundleEntries, path: String) {
        guard let ref = r.string("reference"), !ref.hasPrefix("#") else { return }
        switch entries.resolve(ref, from: 0) {
        case .found:
            return
        case .notFound:
            report(.error, .notFound, "Can't find '\(ref)' in the bundle (\(name))", at: path)
        case .apparent(let n):
            let note =
                n == 1
                ? "there is a resource in the bundle with the same type and id, but it does not match"
                : "there are \(n) resources in the bundle with the same type and id, but they do not match"
            report(
                .error, .notFound,
                "Can't find '\(ref)' in the bundle (\(name)). Note that \(note) because of the fullUrl based rules around matching relative references",
                at: path)
        case .multiple(let n):
            report(.error, .invalid, "Found \(n) matches for '\(ref)' in the bundle (\(name))", at: path)
        }
    }

    /// Every entry must be linked to the first one, following references forward (what a reached entry
    /// references) and backward (an entry that references a reached one).
    mutating func checkReachability(_ entries: BundleEntries, isDocument: Bool, root: String, path: String) {
        let n = entries.resources.count
        var targets: [[Int]] = Array(repeating: [], count: n)
        for i in 0..<n {
            guard let r = entries.resources[i] else { continue }
            var refs: [String] = []
            BundleEntries.references(in: r, into: &refs)
            for ref in refs {
                if case .found(let t) = entries.resolve(ref, from: i), t != i { targets[i].append(t) }
            }
        }
        var reached = Array(repeating: false, count: n)
        var stack = [0]
        reached[0] = true
        var changed = true
        while changed {
            while let i = stack.popLast() {
                for t in targets[i] where !reached[t] {
                    reached[t] = true
                    stack.append(t)
                }
            }
            changed = false
            for i in 0..<n
            where !reached[i] && entries.resources[i] != nil && targets[i].contains(where: { reached[$0] }) {
                reached[i] = true
                stack.append(i)
                changed = true
            }
        }
        for i in 0..<n where !reached[i] && entries.resources[i] != nil {
            let name = entries.fullURLs[i].map { "'\($0)'" } ?? ""
            report(
                isDocument ? .error : .warning, .informational,
                "Entry \(name) isn't reachable by traversing links (forward or backward) from the \(root)",
                at: path + ".entry[\(i)]")
        }
    }
}
