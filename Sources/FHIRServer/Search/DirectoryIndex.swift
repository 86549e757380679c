import DocumentStore
import FHIRModel
import Foundation
import HTTPTypes

/// Search index values of the directory resources: `_id`, `identifier` (`system|value` and `value`), `name`
/// (lower-cased, each word and the whole; matched as a prefix, as FHIR string search does).
public enum DirectoryIndex {
    public static let types = [
        "Patient", "Practitioner", "PractitionerRole", "Location", "HealthcareService", "Device",
    ]

    static let searchParameters: [RouteCatalog.SearchParameter] = [
        .init(name: "_id", type: "token", documentation: "logical id; :not"),
        .init(name: "identifier", type: "token", documentation: "[system|]value; :not, :missing"),
        .init(
            name: "name", type: "string",
            documentation: "starts with, case-insensitive (any word or the whole name); :exact, :contains, :missing"),
        .init(name: "_lastUpdated", type: "date", documentation: "prefixes ge gt le lt eq"),
    ]

    public static func entries(_ resource: Element) -> [IndexEntry] {
        var out: [IndexEntry] = []
        if let id = resource.resourceID { out.append(IndexEntry("_id", id)) }
        for i in resource.children(named: "identifier") {
            guard let value = i.string("value") else { continue }
            out.append(IndexEntry("identifier", value))
            out.append(IndexEntry("identifier", (i.string("system") ?? "") + "|" + value))
        }
        var names: [String] = []
        for n in resource.children(named: "name") {
            if let v = n.value { names.append(v) }  // Location, HealthcareService: a string
            names += n.children.compactMap { c in
                ["family", "given", "text", "prefix"].contains(c.name) ? c.value : nil
            }
        }
        for d in resource.children(named: "deviceName") { if let v = d.string("name") { names.append(v) } }
        for name in names {
            let lower = name.lowercased()
            out.append(IndexEntry("name", lower))
            for word in lower.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "'" })
            where word.count < lower.count {
                out.append(IndexEntry("name", String(word)))
            }
        }
        return Array(Set(out)).sorted { ($0.name, $0.value) < ($1.name, $1.value) }
    }

    /// The store criteria of a search (unsupported parameters are the caller's to report).
    static func criteria(_ search: SearchRequest) throws(FHIRError) -> [SearchCriterion] {
        var out: [SearchCriterion] = []
        for p in search.parameters {
            switch (p.name, p.modifier) {
            case ("_id", nil), ("identifier", nil):
                out.append(SearchCriterion(name: p.name, values: p.values))
            case ("_id", "not"), ("identifier", "not"):
                out.append(SearchCriterion(name: p.name, values: p.values, negated: true))
            case ("name", "contains"):
                out.append(SearchCriterion(name: "name", values: p.values.map { $0.lowercased() }, contains: true))
            case ("name", nil):
                out.append(SearchCriterion(name: "name", values: p.values.map { $0.lowercased() }, prefix: true))
            case ("name", "exact"):
                out.append(SearchCriterion(name: "name", values: p.values.map { $0.lowercased() }))
            case ("identifier", "missing"), ("name", "missing"):
                out.append(SearchCriterion(name: p.name, values: [""], prefix: true, negated: p.values.first == "true"))
            case ("_id", let m?), ("identifier", let m?), ("name", let m?):
                throw FHIRError(.badRequest, code: "not-supported", "modifier :\(m) is not supported on \(p.name)")
            default:
                continue
            }
        }
        return out
    }
}
