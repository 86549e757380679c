import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import HTTPTypes

/// The written forms of booking resources (``WrittenForm``): documents of type `written:<Type>` in the document
/// store, one version per FHIR write, indexed for the search parameters whose data the domain does not hold.
struct WrittenForms: Sendable {
    let services: GatewayServices

    /// The parameters searched on the written form, per resource type: parameter → top-level element.
    static let indexed: [String: [String: String]] = [
        "Appointment": [
            "reason-code": "reasonCode", "reason-reference": "reasonReference", "service-category": "serviceCategory",
            "supporting-info": "supportingInformation",
        ],
        "Schedule": ["identifier": "identifier", "service-category": "serviceCategory"],
        "Slot": ["identifier": "identifier", "service-category": "serviceCategory"],
    ]

    /// Modifiers of the written-form parameters: tokens take `:text`, `:not` and `:missing`; references and
    /// identifiers `:not` and `:missing`.
    static let tokenModifiers: Set<String> = ["text", "not", "missing"]
    static let referenceModifiers: Set<String> = ["not", "missing"]

    /// Whether a written-form parameter keeps the resources outside ``ids(_:parameter:)``'s set (`:not`, and
    /// `:missing=true`, whose set is the resources that have the element).
    static func excludes(_ p: SearchRequest.Value) -> Bool {
        p.modifier == "not" || (p.modifier == "missing" && p.values.first == "true")
    }

    /// The written-form parameters of type reference.
    static let referenceParameters: Set<String> = ["reason-reference", "supporting-info"]

    /// The prefix of the store's own document types (never served as resources).
    static let internalPrefix = "written:"

    static func documentType(_ type: String) -> String { "\(internalPrefix)\(type)" }

    /// The write recording `form` (to be applied alone or in a batch with others).
    func write(_ type: String, id: String, form: WrittenForm, expectedVersion: Int? = nil) -> DocumentWrite {
        let index = WrittenIndex.entries(form.written, elements: Self.indexed[type] ?? [:]).map {
            IndexEntry($0.0, $0.1)
        }
        return DocumentWrite(
            type: Self.documentType(type), id: id,
            kind: .put(
                body: encode(form), index: Array(Set(index)), expectedVersion: expectedVersion, mustNotExist: false),
            at: services.booking.clock.now())
    }

    @discardableResult
    func save(_ type: String, id: String, form: WrittenForm) async throws -> StoredDocument {
        try await services.documents.write([write(type, id: id, form: form)])[0]
    }

    func delete(_ type: String, id: String) async throws {
        _ = try await services.documents.write([
            DocumentWrite(
                type: Self.documentType(type), id: id, kind: .delete(expectedVersion: nil),
                at: services.booking.clock.now())
        ])
    }

    /// The stored document of the current written form (nil when never written or deleted).
    func current(_ type: String, id: String) async throws -> (document: StoredDocument, form: WrittenForm)? {
        guard let d = try await services.documents.current(type: Self.documentType(type), id: id), !d.deleted else {
            return nil
        }
        return (d, try decode(d.body))
    }

    /// Every written version, newest first.
    func history(_ type: String, id: String) async throws -> [(document: StoredDocument, form: WrittenForm?)] {
        try await services.documents.history(type: Self.documentType(type), id: id, since: nil, limit: Int.max).map {
            ($0, $0.deleted ? nil : try decode($0.body))
        }
    }

    /// A stored version of a type versioned by its written forms, as it was served when written.
    func asWritten(_ d: StoredDocument) throws -> Element {
        var mapped = try decode(d.body).mapped
        mapped.setPrimitive("id", type: "id", d.id)
        return try completed(mapped, document: d)
    }

    /// `Type/id/_history/vid` of a type versioned by its written forms: 404 when there is no such version, 410
    /// for the version that deleted it.
    func version(_ type: String, id: String, vid: String) async throws -> Element {
        guard let version = Int(vid),
            let d = try await services.documents.version(type: Self.documentType(type), id: id, version: version)
        else { throw FHIRError(.notFound, code: "not-found", "\(type)/\(id)/_history/\(vid) not found") }
        if d.deleted { throw FHIRError(.gone, code: "deleted", "\(type)/\(id)/_history/\(vid) is its deletion") }
        return try asWritten(d)
    }

    /// The instance history of a type versioned by its written forms, newest first (empty when never written).
    func historyBundle(_ type: String, id: String, baseURL: String) async throws -> BundleResource {
        let docs = try await services.documents.history(
            type: Self.documentType(type), id: id, since: nil, limit: Int.max)
        var bundle = BundleResource()
        bundle.type = "history"
        bundle.total = docs.count
        bundle.entries = try docs.map { d in
            HistoryInteractions.entry(
                .init(
                    type: type, id: id, version: d.version, at: d.lastUpdated,
                    resource: d.deleted ? nil : try asWritten(d), deleted: d.deleted), baseURL: baseURL)
        }
        return bundle
    }

    /// The form that was current when the domain reached `domainVersion` (appointments' vread and history).
    static func form(at domainVersion: Int, in history: [(document: StoredDocument, form: WrittenForm?)])
        -> WrittenForm?
    {
        for h in history {
            guard let f = h.form else { continue }
            if f.domainVersion <= domainVersion { return f }
        }
        return nil
    }

    /// Types whose FHIR versions are their written forms' versions (the domain keeps no versions of them).
    static let versionedByForm: Set<String> = ["Schedule", "Slot"]

    /// The current documents (deleted markers included) of `ids`, by id.
    func documents(_ type: String, ids: [String]) async throws -> [String: StoredDocument] {
        var out: [String: StoredDocument] = [:]
        for d in try await services.documents.current(type: Self.documentType(type), ids: ids) { out[d.id] = d }
        return out
    }

    /// `resource` completed with the written form in `document`; for types versioned by their written forms,
    /// `meta.versionId` and `meta.lastUpdated` are the document's.
    func completed(_ resource: Element, document: StoredDocument?) throws -> Element {
        guard let document, !document.deleted else { return resource }
        var r = try decode(document.body).merged(with: resource)
        if Self.versionedByForm.contains(resource.type) {
            var meta = r.child("meta") ?? Element(name: "meta", type: "Meta")
            meta.setPrimitive("versionId", type: "id", String(document.version))
            meta.setPrimitive("lastUpdated", type: "instant", instantText(document.lastUpdated))
            r.setChildren("meta", [meta])
        }
        return r
    }

    /// `resources` completed with their current written forms (booking types only; others pass through).
    func render(_ resources: [Element]) async throws -> [Element] {
        var ids: [String: [String]] = [:]
        for r in resources where Self.indexed[r.type] != nil {
            if let id = r.resourceID { ids[r.type, default: []].append(id) }
        }
        guard !ids.isEmpty else { return resources }
        var docs: [String: [String: StoredDocument]] = [:]
        for (type, list) in ids { docs[type] = try await documents(type, ids: list) }
        return try resources.map { r in
            guard let id = r.resourceID else { return r }
            return try completed(r, document: docs[r.type]?[id])
        }
    }

    func render(_ resource: Element) async throws -> Element {
        try await render([resource])[0]
    }

    /// Ids whose current written form matches a token or reference search on a written-form parameter:
    /// `[system]|code`, `code`, `Type/id`; `:text` matches the start of a text or display (lower-cased).
    func ids(_ type: String, parameter: SearchRequest.Value) async throws -> Set<String> {
        var criterion: SearchCriterion
        switch parameter.modifier {
        case "text":
            criterion = SearchCriterion(
                name: "\(parameter.name):text", values: parameter.values.map { $0.lowercased() }, contains: true)
        case "missing":
            guard parameter.values == ["true"] || parameter.values == ["false"] else {
                throw FHIRError(.badRequest, code: "invalid", "\(parameter.name):missing takes true or false")
            }
            // The resources that have the element (any entry).
            criterion = SearchCriterion(name: parameter.name, values: [""], prefix: true)
        case nil, "not":
            // `system|` (any code of a system) is a prefix search; it cannot be mixed with exact values.
            let prefix = parameter.values.allSatisfy { $0.hasSuffix("|") && $0.count > 1 }
            // An absolute reference is looked up by its `Type/id` tail (also indexed that way).
            let values = parameter.values.map { v in
                guard Self.referenceParameters.contains(parameter.name), v.contains("://"),
                    let (type, id) = ReferenceMapping.typeAndID(v)
                else { return v }
                return "\(type)/\(id)"
            }
            criterion = SearchCriterion(name: parameter.name, values: values, prefix: prefix)
        case let m?:
            throw FHIRError(.badRequest, code: "not-supported", "modifier :\(m) is not supported on \(parameter.name)")
        }
        let docs = try await services.documents.search(
            type: Self.documentType(type), criteria: [criterion], lastUpdated: nil)
        return Set(docs.map(\.id))
    }

    func encode(_ form: WrittenForm) -> [UInt8] {
        func parameter(_ name: String, _ value: Element) -> Element {
            Element(
                name: "parameter", type: "BackboneElement",
                children: [Element(name: "name", type: "string", value: name), value])
        }
        let p = Element.resource(
            "Parameters",
            children: [
                parameter(
                    "written", Element(name: "resource", type: form.written.type, children: form.written.children)),
                parameter("mapped", Element(name: "resource", type: form.mapped.type, children: form.mapped.children)),
                parameter("domainVersion", Element(name: "value", type: "integer", value: String(form.domainVersion))),
            ])
        return services.responses.codec.write(p, format: .json)
    }

    func decode(_ body: [UInt8]) throws -> WrittenForm {
        let p = try services.responses.codec.read(body, format: .json)
        func value(_ name: String) -> Element? {
            p.children(named: "parameter").first { $0.string("name") == name }.flatMap {
                $0.child("resource") ?? $0.child("value")
            }
        }
        guard let w = value("written"), let m = value("mapped") else {
            throw FHIRError(.internalServerError, code: "exception", "a stored written form is damaged")
        }
        return WrittenForm(
            written: Element.resource(w.type, children: w.children),
            mapped: Element.resource(m.type, children: m.children),
            domainVersion: Int(value("domainVersion")?.value ?? "0") ?? 0)
    }
}

/// Document writes committed inside a booking store transaction (a Schedule's written form with its availability);
/// returns the stored documents.
struct DocumentsInTransaction: AttachedWork {
    let documents: any DocumentStore
    let writes: [DocumentWrite]

    func apply(in transaction: any StoreTransaction, results: [(appointment: Appointment, created: Bool)]) throws
        -> any Sendable
    {
        try documents.write(writes, inTransaction: transaction.underlying)
    }
}

/// The document writes that go with appointment steps, in the booking store's transaction: other resources (a
/// transaction Bundle's) and the written forms of the appointments created or changed (removed for the ones
/// deleted), so that an appointment and its written form never disagree.
struct AppointmentDocuments: AttachedWork {
    let documents: any DocumentStore
    let writes: [DocumentWrite]
    let written: [Element?]
    /// Per step: an update of an existing appointment (its written form is replaced).
    let updates: [Bool]
    let forms: WrittenForms
    /// Per step, when given: the id the step must create (a transaction's entries may reference it by its
    /// fullUrl, so an idempotent repeat that finds another appointment rolls the whole transaction back).
    var mustCreate: [String?] = []

    func apply(in transaction: any StoreTransaction, results: [(appointment: Appointment, created: Bool)]) throws
        -> any Sendable
    {
        for (i, r) in results.enumerated() {
            if let id = mustCreate[safe: i] ?? nil, r.appointment.id != id || !r.created {
                throw FHIRError(
                    .conflict, code: "duplicate",
                    "an entry repeats Appointment/\(r.appointment.id) (same identifier or request id): nothing was written"
                )
            }
        }
        var all = writes
        for (i, (r, w)) in zip(results, written).enumerated() {
            let a = r.appointment
            if a.deletedAt != nil {
                all.append(
                    DocumentWrite(
                        type: WrittenForms.documentType("Appointment"), id: a.id,
                        kind: .delete(expectedVersion: nil),
                        at: a.lastUpdated))
            } else if let w, r.created || updates[i] {
                // A repeated booking (an existing appointment, not created) keeps its own written form.
                let form = WrittenForm(
                    written: w, mapped: AppointmentMapping.resource(a).element, domainVersion: a.version)
                all.append(forms.write("Appointment", id: a.id, form: form))
            }
        }
        return Array(try documents.write(all, inTransaction: transaction.underlying).prefix(writes.count))
    }
}
