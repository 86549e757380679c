import DocumentStore
import FHIRMapping
import FHIRModel
import HTTPTypes

/// Search index values of AppointmentResponse (R4 search parameters `actor`, `appointment`, `identifier`,
/// `part-status`, `patient`, `practitioner`, `location`, plus `_id`). A reference is indexed as `Type/id` and as
/// the bare `id`, so that `actor=rossi`, `actor=Practitioner/rossi` and an absolute URL all match.
public enum AppointmentResponseIndex {
    static let searchParameters: [RouteCatalog.SearchParameter] = [
        .init(name: "_id", type: "token", documentation: "logical id"),
        .init(name: "identifier", type: "token", documentation: "[system|]value"),
        .init(name: "appointment", type: "reference", documentation: "Appointment/{id}, {id} or an absolute URL"),
        .init(name: "actor", type: "reference", documentation: "Type/{id}, {id} or an absolute URL"),
        .init(name: "patient", type: "reference", documentation: "the actor, when a Patient"),
        .init(name: "practitioner", type: "reference", documentation: "the actor, when a Practitioner"),
        .init(name: "location", type: "reference", documentation: "the actor, when a Location"),
        .init(name: "part-status", type: "token", documentation: "accepted | declined | tentative | needs-action"),
        .init(name: "_lastUpdated", type: "date", documentation: "prefixes ge gt le lt eq"),
    ]

    static let referenceTargets: [String: String?] = [
        "appointment": "Appointment", "actor": nil, "patient": "Patient", "practitioner": "Practitioner",
        "location": "Location",
    ]

    public static func entries(_ resource: Element) -> [IndexEntry] {
        var out: [IndexEntry] = []
        if let id = resource.resourceID { out.append(IndexEntry("_id", id)) }
        for i in resource.children(named: "identifier") {
            guard let value = i.string("value") else { continue }
            out.append(IndexEntry("identifier", value))
            out.append(IndexEntry("identifier", (i.string("system") ?? "") + "|" + value))
        }
        if let status = resource.string("participantStatus") { out.append(IndexEntry("part-status", status)) }
        func reference(_ parameter: String, _ value: String?) {
            guard let value, let (type, id) = ReferenceMapping.typeAndID(value) else { return }
            out.append(IndexEntry(parameter, "\(type)/\(id)"))
            out.append(IndexEntry(parameter, id))
        }
        reference("appointment", resource.descendant("appointment", "reference")?.value)
        let actor = resource.descendant("actor", "reference")?.value
        reference("actor", actor)
        if let actor, let (type, _) = ReferenceMapping.typeAndID(actor) {
            switch type {
            case "Patient": reference("patient", actor)
            case "Practitioner": reference("practitioner", actor)
            case "Location": reference("location", actor)
            default: break
            }
        }
        return Array(Set(out)).sorted { ($0.name, $0.value) < ($1.name, $1.value) }
    }

    static func isResourceType(_ name: String) -> Bool {
        DirectoryIndex.types.contains(name) || name == "RelatedPerson" || name == "Appointment"
    }

    /// The store criteria of a search (unsupported parameters are the caller's to report).
    static func criteria(_ search: SearchRequest) throws(FHIRError) -> [SearchCriterion] {
        var out: [SearchCriterion] = []
        for p in search.parameters {
            switch (p.name, p.modifier) {
            case ("_id", nil), ("identifier", nil), ("part-status", nil):
                out.append(SearchCriterion(name: p.name, values: p.values))
            case ("part-status", "not"):
                out.append(SearchCriterion(name: p.name, values: p.values, negated: true))
            case (let name, let modifier) where referenceTargets.keys.contains(name):
                let target: String? = referenceTargets[name] ?? nil
                if let modifier, modifier != "missing", target.map({ $0 != modifier }) ?? !isResourceType(modifier) {
                    throw FHIRError(
                        .badRequest, code: "not-supported", "modifier :\(modifier) is not supported on \(name)")
                }
                if modifier == "missing" {
                    out.append(
                        SearchCriterion(name: name, values: [""], prefix: true, negated: p.values.first == "true"))
                    continue
                }
                out.append(
                    SearchCriterion(
                        name: name,
                        values: p.values.map { v in
                            guard let (type, id) = ReferenceMapping.typeAndID(v) else {
                                return modifier.map { "\($0)/\(v)" } ?? v
                            }
                            return "\(type)/\(id)"
                        }))
            case ("identifier", "missing"):
                out.append(SearchCriterion(name: p.name, values: [""], prefix: true, negated: p.values.first == "true"))
            case (_, let m?) where p.name != "_lastUpdated":
                throw FHIRError(.badRequest, code: "not-supported", "modifier :\(m) is not supported on \(p.name)")
            default:
                continue
            }
        }
        return out
    }
}
