import FHIRModel
import Foundation

extension ValidationRun {
    /// dom-2 (no nested contained), dom-3 (each contained resource is referenced from the rest of the resource,
    /// or references its container), dom-4/dom-5 (no versionId, lastUpdated or security in contained meta).
    mutating func checkContained(_ r: Element, path: String) {
        let contained = r.children(named: "contained")
        guard !contained.isEmpty else { return }
        var references: Set<String> = []
        collectReferences(r, into: &references)
        for (i, c) in contained.enumerated() {
            let cPath = path + ".contained[\(i)]"
            if c.child("contained") != nil {
                report(
                    .error, .invariant,
                    "If the resource is contained in another resource, it SHALL NOT contain nested Resources (dom-2)",
                    at: cPath, key: "dom-2")
            }
            if let meta = c.child("meta"), meta.child("versionId") != nil || meta.child("lastUpdated") != nil {
                report(
                    .error, .invariant,
                    "If a resource is contained in another resource, it SHALL NOT have a meta.versionId or a meta.lastUpdated (dom-4)",
                    at: cPath, key: "dom-4")
            }
            if c.descendant("meta", "security") != nil {
                report(
                    .error, .invariant,
                    "If a resource is contained in another resource, it SHALL NOT have a security label (dom-5)",
                    at: cPath, key: "dom-5")
            }
            guard let id = c.resourceID else { continue }
            var own: Set<String> = []
            collectReferences(c, into: &own)
            if !references.contains("#" + id) && !own.contains("#") {
                report(
                    .error, .invariant,
                    "The contained resource '\(id)' is not referenced from elsewhere in the resource (dom-3)",
                    at: cPath, key: "dom-3")
            }
        }
    }

    /// Every `reference` value (and narrative `href="#id"` links) below `e`.
    func collectReferences(_ e: Element, into set: inout Set<String>) {
        for c in e.children {
            if c.name == "reference", let v = c.value, c.type == "string" { set.insert(v) }
            if c.type == "xhtml", let html = c.value {
                var rest = Substring(html)
                while let r = rest.range(of: "\"#") {
                    let tail = rest[r.upperBound...]
                    let id = tail.prefix { $0 != "\"" }
                    set.insert("#" + id)
                    rest = tail
                }
            }
            if c.type == "uri" || c.type == "canonical", let v = c.value, v.hasPrefix("#") { set.insert(v) }
            collectReferences(c, into: &set)
        }
    }
}
