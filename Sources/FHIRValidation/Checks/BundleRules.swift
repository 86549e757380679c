import FHIRModel

extension ValidationRun {
    /// bdl-7 (fullUrl unique unless versions differ; not for history), bdl-8 (no version-specific fullUrl), and
    /// the HL7 Java validator's fullUrl rules: present outside transactions and batches, absolute, and a RESTful
    /// fullUrl ends with the entry resource's type and id (which must then exist).
    mutating func checkBundle(_ b: Element, path: String) {
        let type = b.string("type")
        var seen: [String: Set<String>] = [:]
        for (i, entry) in b.children(named: "entry").enumerated() {
            let ePath = path + ".entry[\(i)]"
            guard let full = entry.string("fullUrl") else {
                if entry.child("resource") != nil && type != "transaction" && type != "batch" {
                    report(
                        .error, .invalid,
                        "Except for transactions and batches, each entry in a Bundle must have a fullUrl which is the identity of the resource in the entry",
                        at: ePath)
                }
                continue
            }
            if !full.contains(":") {
                report(.error, .invalid, "The fullUrl must be an absolute URL (not '\(full)')", at: ePath)
            }
            if full.contains("/_history/") {
                report(
                    .error, .invariant, "fullUrl cannot be a version specific reference (bdl-8)", at: ePath,
                    key: "bdl-8")
            }
            let r = entry.child("resource")
            let version = r?.descendant("meta", "versionId")?.value ?? ""
            if type != "history" {
                if seen[full]?.contains(version) == true {
                    report(
                        .error, .invariant,
                        "FullUrl must be unique in a bundle, or else entries with the same fullUrl must have different meta.versionId (bdl-7)",
                        at: ePath, key: "bdl-7")
                }
                seen[full, default: []].insert(version)
            }
            if let r, r.resourceID == nil, full.contains(":"), !full.hasPrefix("urn:") {
                let parts = full.split(separator: "/")
                if parts.count >= 2, isResourceType(String(parts[parts.count - 2])) {
                    report(
                        .error, .invalid,
                        "The fullUrl '\(full)' looks like a RESTful server URL, but the resource has no id", at: ePath)
                }
            }
            if let r, let id = r.resourceID, !full.hasPrefix("urn:"), full.contains(":") {
                let parts = full.split(separator: "/")
                if parts.count >= 2, isResourceType(String(parts[parts.count - 2])),
                    String(parts[parts.count - 2]) != r.type || String(parts[parts.count - 1]) != id
                {
                    report(
                        .error, .invalid,
                        "The fullUrl '\(full)' does not match the resource's type and id (\(r.type)/\(id))",
                        at: ePath)
                }
            }
        }
        if type == "document" || type == "message" { checkDocumentOrMessage(b, type: type!, path: path) }
    }
}
