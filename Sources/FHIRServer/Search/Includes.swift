import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import HTTPTypes

/// `_include` and `_revinclude` (one level; `:iterate` is answered as one level with a warning).
///
/// Which reference of which type can be followed is declared once in ``IncludeRequest/references``; included
/// resources are added after the page's matches with `search.mode = include`, each once, never repeating a match.
struct IncludeRequest: Sendable {
    struct Spec: Sendable, Hashable {
        var source: String
        var parameter: String
        var target: String?
    }

    var includes: [Spec] = []
    var revincludes: [Spec] = []
    var warnings: [OperationOutcomeResource.Issue] = []

    var isEmpty: Bool { includes.isEmpty && revincludes.isEmpty }

    /// The references a search parameter of a type follows: `(source type, parameter) → Type/id references`.
    static let references: [String: [String: @Sendable (Element) -> [String]]] = [
        "Appointment": [
            "actor": { participants($0, type: nil) }, "patient": { participants($0, type: "Patient") },
            "practitioner": { participants($0, type: "Practitioner") },
            "location": { participants($0, type: "Location") },
            "slot": { $0.children(named: "slot").compactMap { $0.string("reference") } },
        ],
        "AppointmentResponse": [
            "appointment": { [$0.descendant("appointment", "reference")?.value].compactMap { $0 } },
            "actor": { actor($0, type: nil) }, "patient": { actor($0, type: "Patient") },
            "practitioner": { actor($0, type: "Practitioner") }, "location": { actor($0, type: "Location") },
        ],
        "Slot": ["schedule": { [$0.descendant("schedule", "reference")?.value].compactMap { $0 } }],
        "Schedule": ["actor": { $0.children(named: "actor").compactMap { $0.string("reference") } }],
        "PractitionerRole": [
            "practitioner": { [$0.descendant("practitioner", "reference")?.value].compactMap { $0 } },
            "location": { $0.children(named: "location").compactMap { $0.string("reference") } },
        ],
    ]

    /// `_revinclude` sources this server can search backwards.
    static let reverseSources: Set<String> = ["Appointment", "AppointmentResponse"]

    static func participants(_ a: Element, type: String?) -> [String] {
        a.children(named: "participant").compactMap { $0.descendant("actor", "reference")?.value }.filter {
            type == nil || $0.hasPrefix("\(type!)/")
        }
    }

    static func actor(_ r: Element, type: String?) -> [String] {
        [r.descendant("actor", "reference")?.value].compactMap { $0 }.filter {
            type == nil || $0.hasPrefix("\(type!)/")
        }
    }

    init(_ search: SearchRequest, searchedType: String) throws(FHIRError) {
        for (name, reverse) in [("_include", false), ("_revinclude", true)] {
            for p in search.values(name) {
                if p.modifier == "iterate" || p.modifier == "recurse" {
                    warnings.append(
                        .init(
                            severity: "warning", code: "not-supported",
                            diagnostics: "\(name):\(p.modifier!) is answered one level deep"))
                }
                for value in p.values where !value.isEmpty {
                    let parts = value.split(separator: ":").map(String.init)
                    guard parts.count == 2 || parts.count == 3 else {
                        throw FHIRError(.badRequest, code: "invalid", "\(name) is Type:parameter[:target]")
                    }
                    let source = parts[0]
                    let names: [String] =
                        parts[1] == "*" ? (Self.references[source]?.keys.sorted() ?? []) : [parts[1]]
                    let known =
                        (reverse ? Self.reverseSources.contains(source) : source == searchedType)
                        && names.allSatisfy { Self.references[source]?[$0] != nil } && !names.isEmpty
                    guard known else {
                        let message = "\(name)=\(value) is not supported on a \(searchedType) search"
                        if search.strict { throw FHIRError(.badRequest, code: "not-supported", message) }
                        warnings.append(.init(severity: "warning", code: "not-supported", diagnostics: message))
                        continue
                    }
                    for n in names {
                        let spec = Spec(source: source, parameter: n, target: parts.count == 3 ? parts[2] : nil)
                        if reverse { revincludes.append(spec) } else { includes.append(spec) }
                    }
                }
            }
        }
    }
}

/// Loads what an ``IncludeRequest`` asks for, from the stores the resources live in.
struct IncludeResolver {
    let services: GatewayServices
    let base: ServerBase

    /// The resources to add for `page` (already-matched ones excluded).
    func resolve(_ request: IncludeRequest, page: [Element]) async throws -> [Element] {
        guard !request.isEmpty else { return [] }
        var seen = Set(page.map { "\($0.type)/\($0.resourceID ?? "")" })
        var out: [Element] = []
        func add(_ e: Element) {
            if seen.insert("\(e.type)/\(e.resourceID ?? "")").inserted { out.append(e) }
        }
        for spec in request.includes {
            guard let follow = IncludeRequest.references[spec.source]?[spec.parameter] else { continue }
            for resource in page where resource.type == spec.source {
                for reference in follow(resource) {
                    guard let (type, id) = ReferenceMapping.typeAndID(reference),
                        spec.target == nil || spec.target == type, !seen.contains("\(type)/\(id)")
                    else { continue }
                    if let e = try await load(type: type, id: id) { add(e) }
                }
            }
        }
        for spec in request.revincludes {
            guard let follow = IncludeRequest.references[spec.source]?[spec.parameter] else { continue }
            let targets = Set(page.map { "\($0.type)/\($0.resourceID ?? "")" })
            for candidate in try await reverseCandidates(spec, page: page) {
                let refs = follow(candidate).compactMap { ReferenceMapping.typeAndID($0) }.map { "\($0)/\($1)" }
                if refs.contains(where: targets.contains) { add(candidate) }
            }
        }
        return out
    }

    /// Resources of `spec.source` that may point at the page (filtered exactly by the caller).
    func reverseCandidates(_ spec: IncludeRequest.Spec, page: [Element]) async throws -> [Element] {
        let keys = page.map { "\($0.type)/\($0.resourceID ?? "")" }
        switch spec.source {
        case "AppointmentResponse":
            let docs = try await services.documents.search(
                type: "AppointmentResponse", criteria: [SearchCriterion(name: spec.parameter, values: keys)],
                lastUpdated: nil)
            return try docs.map { try services.responses.codec.read($0.body, format: .json) }
        case "Appointment":
            var appointments: [Appointment] = []
            let patients = page.filter { $0.type == "Patient" }.compactMap(\.resourceID)
            for p in patients {
                appointments += try await services.store.appointments(AppointmentQuery(patientID: p))
            }
            let resourceIDs = Set(page.filter { $0.type != "Patient" }.compactMap(\.resourceID))
            let slotIDs = page.filter { $0.type == "Slot" }.compactMap { $0.resourceID.flatMap(SlotID.init) }
            let slotSchedules = Set(slotIDs.map(\.scheduleID))
            let schedules = try await services.store.schedules().filter { schedule in
                !resourceIDs.isDisjoint(with: schedule.resourceIDs) || slotSchedules.contains(schedule.id)
            }
            if !schedules.isEmpty {
                appointments += try await services.store.appointments(
                    AppointmentQuery(scheduleIDs: schedules.map { $0.id }))
            }
            return try await WrittenForms(services: services).render(
                appointments.map { AppointmentMapping.resource($0).element })
        default:
            return []
        }
    }

    /// One resource by type and id, from whichever store holds it; nil when absent (a dangling reference is
    /// not an error for an include).
    func load(type: String, id: String) async throws -> Element? {
        switch type {
        case "Appointment":
            guard let a = try await services.store.appointment(id: id), a.deletedAt == nil else { return nil }
            return try await WrittenForms(services: services).render(AppointmentMapping.resource(a).element)
        case "Slot":
            guard let slotID = SlotID(id), let (slot, zone) = try await services.booking.slotInZone(slotID) else {
                return nil
            }
            return try await WrittenForms(services: services).render(SlotMapping.resource(slot, zone: zone).element)
        case "Schedule":
            do {
                return try await ScheduleInteractions(services: services, base: base).served(id: id)
            } catch let e as FHIRError where e.status == .gone {
                return nil  // A deleted one is not included.
            }
        default:
            guard DirectoryInteractions.documentTypes.contains(type),
                let doc = try await services.documents.current(type: type, id: id), !doc.deleted
            else { return nil }
            return try services.responses.codec.read(doc.body, format: .json)
        }
    }
}
