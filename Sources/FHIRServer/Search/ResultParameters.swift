import FHIRModel
import Foundation
import HTTPTypes

/// The search result parameters: `_sort`, `_summary`, `_elements`, `_total`.
struct ResultParameters {
    enum Summary: String {
        case `true`, text, data, count, `false`
    }

    var sort: [(key: String, descending: Bool)] = []
    var summary: Summary = .false
    var elements: Set<String>?
    var total: Bool = true

    static let names: Set<String> = ["_sort", "_summary", "_elements", "_total", "_include", "_revinclude"]

    init(_ search: SearchRequest, sortable: Set<String>) throws(FHIRError) {
        for p in search.values("_sort") {
            for raw in p.values where !raw.isEmpty {
                let descending = raw.hasPrefix("-")
                let key = descending ? String(raw.dropFirst()) : raw
                guard sortable.contains(key) else {
                    throw FHIRError(
                        .badRequest, code: "not-supported",
                        "cannot sort by '\(key)' (sortable: \(sortable.sorted().joined(separator: ", ")))")
                }
                sort.append((key, descending))
            }
        }
        if let s = search.values("_summary").first?.values.first {
            guard let v = Summary(rawValue: s) else {
                throw FHIRError(.badRequest, code: "invalid", "_summary is true, text, data, count or false")
            }
            summary = v
        }
        if let e = search.values("_elements").first {
            elements = Set(e.values.filter { !$0.isEmpty })
        }
        if let t = search.values("_total").first?.values.first {
            guard ["none", "estimate", "accurate"].contains(t) else {
                throw FHIRError(.badRequest, code: "invalid", "_total is none, estimate or accurate")
            }
            total = t != "none"
        }
    }

    /// An instant as text that sorts like the instant: milliseconds since 1970 shifted positive, zero-padded.
    static func sortableInstant(_ epochSeconds: Double) -> String {
        let ms = Int(((epochSeconds + 1e10) * 1000).rounded())
        let whole = String(ms / 1000)
        let frac = String(ms % 1000)
        return String(repeating: "0", count: max(0, 16 - whole.count)) + whole + "."
            + String(repeating: "0", count: 3 - frac.count) + frac
    }

    /// Sort keys of a resource for `key`: text compared lexically (instants are UTC text, so they sort in time).
    static func sortValue(_ r: Element, _ key: String) -> String {
        switch key {
        case "_id": return r.resourceID ?? ""
        case "_lastUpdated":
            return r.descendant("meta", "lastUpdated")?.value.flatMap(FHIRDateTime.init).map {
                sortableInstant($0.epochSeconds)
            } ?? ""
        case "date", "start":
            return r.string("start").flatMap(FHIRDateTime.init).map { sortableInstant($0.epochSeconds) } ?? ""
        case "end":
            return r.string("end").flatMap(FHIRDateTime.init).map { sortableInstant($0.epochSeconds) } ?? ""
        case "status": return r.string("status") ?? ""
        case "name":
            let n = r.children(named: "name").first
            return (n?.value ?? n?.string("family") ?? n?.string("text") ?? "").lowercased()
        default: return ""
        }
    }

    func sorted(_ resources: [Element]) -> [Element] {
        guard !sort.isEmpty else { return resources }
        return resources.enumerated().sorted { a, b in
            for (key, descending) in sort {
                let x = Self.sortValue(a.element, key)
                let y = Self.sortValue(b.element, key)
                if x != y { return descending ? x > y : x < y }
            }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Applies `_summary` / `_elements` to one resource; subsetted resources get the SUBSETTED tag.
    func shaped(_ r: Element, registry: StructureRegistry) -> Element {
        let root = registry.type(named: r.type)?.root
        var keep: ((Element) -> Bool)?
        switch summary {
        case .true:
            keep = { c in c.name == "id" || c.name == "meta" || (root?.childrenByName[c.name]?.isSummary ?? false) }
        case .text:
            keep = { c in ["id", "meta", "text"].contains(c.name) || (root?.childrenByName[c.name]?.min ?? 0) > 0 }
        case .data: keep = { c in c.name != "text" }
        case .count, .false: break
        }
        if let elements {
            keep = { c in
                ["id", "meta"].contains(c.name) || elements.contains(c.name)
                    || (root?.childrenByName[c.name]?.min ?? 0) > 0
            }
        }
        guard let keep else { return r }
        var out = r
        out.children = r.children.filter(keep)
        out.updateChild("meta", type: "Meta") { meta in
            meta.children.append(
                Element(
                    name: "tag", type: "Coding",
                    children: [
                        Element(
                            name: "system", type: "uri",
                            value: "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"),
                        Element(name: "code", type: "code", value: "SUBSETTED"),
                    ]))
        }
        return out
    }
}
