import FHIRModel

/// The entries of a Bundle by fullUrl and by `Type/id`, so references resolve in constant time.
struct BundleIndex {
    var byFullURL: [String: Element] = [:]
    var byTypeAndID: [String: Element] = [:]
    /// The last two segments of RESTful fullUrls (`Practitioner/1`), whatever the resource is.
    var byFullURLTail: [String: Element] = [:]
    /// fullUrls that more than one entry has (versions of a resource, or a mistake).
    var repeatedFullURLs: Set<String> = []
    /// The ids of the entry resources (narrative `#id` links may point at them).
    var resourceIDs: Set<String> = []

    init(bundle: Element) {
        for entry in bundle.children(named: "entry") {
            guard let r = entry.child("resource") else { continue }
            if let full = entry.string("fullUrl") {
                if byFullURL[full] == nil { byFullURL[full] = r } else { repeatedFullURLs.insert(full) }
                let parts = full.split(separator: "/")
                if !full.hasPrefix("urn:"), parts.count >= 2 {
                    let tail = String(parts[parts.count - 2] + "/" + parts[parts.count - 1])
                    if byFullURLTail[tail] == nil { byFullURLTail[tail] = r }
                }
            }
            index(byTypeAndID: r)
        }
    }

    /// Records `r` under `Type/id` (the first one wins) and its id.
    private mutating func index(byTypeAndID r: Element) {
        guard let id = r.resourceID else { return }
        if byTypeAndID[r.type + "/" + id] == nil { byTypeAndID[r.type + "/" + id] = r }
        resourceIDs.insert(id)
    }

    /// The resources of a Parameters (`parameter.resource`, at any depth of `part`), by `Type/id`: references
    /// between them resolve as in a Bundle.
    init(parameters: Element) {
        var pending = parameters.children(named: "parameter")
        while let p = pending.popLast() {
            if let r = p.child("resource") { index(byTypeAndID: r) }
            pending += p.children(named: "part")
        }
    }

    /// The fullUrl a reference made from the entry whose fullUrl is `entryFullURL` names: the reference itself
    /// when absolute, else resolved against the base of a RESTful entry fullUrl (nil otherwise, and for a versioned
    /// reference).
    static func targetURL(_ ref: String, entryFullURL: String?) -> String? {
        if ValidationRun.hasScheme(ref) { return ref }
        guard let full = entryFullURL, full.hasPrefix("http://") || full.hasPrefix("https://"),
            !ref.contains("/_history/")
        else { return nil }
        let parts = full.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        return parts.dropLast(2).joined(separator: "/") + "/" + ref
    }

    /// The entry resource a reference points at, if any.
    func resolve(_ reference: String) -> Element? {
        if let r = byFullURL[reference] { return r }
        let parts = reference.split(separator: "/")
        if parts.count >= 2 {
            var t = parts.count - 2
            if parts.count >= 4 && parts[parts.count - 2] == "_history" { t = parts.count - 4 }
            let key = String(parts[t] + "/" + parts[t + 1])
            return byTypeAndID[key] ?? byFullURLTail[key]
        }
        return nil
    }
}
