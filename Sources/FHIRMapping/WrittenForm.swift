import FHIRModel

/// A booking resource as a client wrote it, kept beside the domain so that a read gives back everything the
/// domain does not model (narrative, reasons, notes, displays, extra codings, other extensions, meta.profile…).
///
/// The domain stays the truth for what it holds. For each top-level element (extensions by URL), a read takes
/// the client's text while the domain still says what it said when the client wrote it (the domain's rendering
/// now equals its rendering then), and the domain's rendering once the domain has moved on (a cancellation by
/// `$book`, an AppointmentResponse, a reschedule). Elements the domain never renders are the client's alone.
public struct WrittenForm: Sendable, Hashable {
    /// The resource as written (without id and server meta).
    public var written: Element
    /// The domain's rendering right after the write.
    public var mapped: Element
    /// The domain version the write produced (appointments; 0 where the domain keeps no versions).
    public var domainVersion: Int

    public init(written: Element, mapped: Element, domainVersion: Int) {
        var w = written
        w.children.removeAll { $0.name == "id" }
        if var meta = w.child("meta") {
            meta.children.removeAll { $0.name == "versionId" || $0.name == "lastUpdated" }
            w.setChildren("meta", meta.isEmpty ? [] : [meta])
        }
        self.written = w
        self.mapped = mapped
        self.domainVersion = domainVersion
    }

    /// Defaults and counters the domain shows on resources it made itself (`created`: the booking time; a
    /// schedule's `active`, time zone and mode; a slot's capacity, places taken and why it is unavailable) but adds
    /// to a resource a client wrote without them only once they differ from what they were at the write.
    public static let filledOnlyWithoutWrittenForm: Set<String> = [
        "created", "active", "extension|\(ProjectExtension.scheduleTimeZone)",
        "extension|\(ProjectExtension.bookingMode)", "extension|\(ProjectExtension.slotCapacity)",
        "extension|\(ProjectExtension.slotBooked)", "extension|\(ProjectExtension.slotUnavailableReason)",
    ]

    /// Elements of an Appointment whose meaning is the booking itself: served from the domain whenever it renders
    /// them. (A published Slot's status and times stay as its publisher wrote them while the domain agrees.)
    public static let domainOwned: [String: Set<String>] = ["Appointment": ["status", "start", "end", "slot"]]

    /// The resource to serve: `current` (the domain's rendering now) completed with what the client wrote.
    public func merged(with current: Element) -> Element {
        let now = Self.groups(current)
        let then = Self.groups(mapped)
        let client = Self.groups(written)
        var keys = now.order
        for k in client.order where now.items[k] == nil { keys.append(k) }
        var out: [Element] = []
        for k in keys {
            let n = now.items[k] ?? []
            switch k {
            case "id":
                out += n
            case "meta":
                // Server meta from the domain; profiles, tags, security labels and source from the client.
                var meta = n.first ?? Element(name: "meta", type: "Meta")
                for c in client.items[k]?.first?.children ?? []
                where !["versionId", "lastUpdated"].contains(c.name)
                    && !(c.name == "source" && meta.child("source") != nil)
                {
                    meta.children.append(c)
                }
                if !meta.isEmpty { out.append(meta) }
            case _ where Self.filledOnlyWithoutWrittenForm.contains(k) && client.items[k] == nil:
                if n != (then.items[k] ?? []) { out += n }
            case _ where Self.domainOwned[current.type]?.contains(k) == true:
                // What booking means (status, time, slots) is always the domain's; the written text only where the
                // domain has none (a proposal's foreign slot references, its missing time).
                out += n.isEmpty ? client.items[k] ?? [] : n
            case "participant":
                out += Self.participants(now: n, then: then.items[k] ?? [], written: client.items[k] ?? [])
            default:
                let w = client.items[k] ?? []
                out += n == (then.items[k] ?? []) && !w.isEmpty ? w : n
            }
        }
        var result = current
        result.children = out
        return result
    }

    /// Participants are the domain's (it books them), matched by actor reference with the written ones: each
    /// field follows the same rule as a top-level element. They keep the written order; written participants
    /// without a reference (a type or a display only) stay where they were; ones the domain added follow.
    static func participants(now: [Element], then: [Element], written: [Element]) -> [Element] {
        func reference(_ p: Element) -> String? { p.descendant("actor", "reference")?.value }
        var out: [Element] = []
        var used = Set<Int>()
        for w in written {
            guard let r = reference(w) else {
                out.append(w)
                continue
            }
            // A participant the domain no longer has is gone.
            guard let i = now.indices.first(where: { !used.contains($0) && reference(now[$0]) == r }) else { continue }
            used.insert(i)
            let p = now[i]
            let t = then.first { reference($0) == r } ?? Element(name: p.name, type: p.type)
            var merged = WrittenForm(written: w, mapped: t, domainVersion: 0).merged(with: p)
            // A participant's answer is the domain's (it decides the booking).
            if let status = p.child("status") { merged.setChildren("status", [status]) }
            // The actor's display and identifier are the client's while the reference stays.
            if let wa = w.child("actor"), let pa = p.child("actor"), wa.string("reference") == pa.string("reference") {
                merged.setChildren("actor", [wa])
            }
            out.append(merged)
        }
        out += now.indices.filter { !used.contains($0) }.map { now[$0] }
        return out
    }

    /// Top-level children by key (extensions keyed by URL), in first-seen order.
    static func groups(_ e: Element) -> (order: [String], items: [String: [Element]]) {
        var order: [String] = []
        var items: [String: [Element]] = [:]
        for c in e.children {
            let k =
                c.name == "extension" || c.name == "modifierExtension" ? "\(c.name)|\(c.string("url") ?? "")" : c.name
            if items[k] == nil { order.append(k) }
            items[k, default: []].append(c)
        }
        return (order, items)
    }
}

/// Search index values of elements the domain does not hold: tokens of CodeableConcept, Coding and Identifier
/// elements (`code`, `system|code`, `|code` without a system; `name:text` for text and displays, lower-cased) and
/// references (`Type/id` as written).
public enum WrittenIndex {
    /// Index entries `(parameter, value)` of the named top-level elements of `resource`.
    /// - Parameter elements: parameter name → element name, e.g. `reason-code` → `reasonCode`.
    public static func entries(_ resource: Element, elements: [String: String]) -> [(String, String)] {
        var out: [(String, String)] = []
        for (parameter, name) in elements.sorted(by: { $0.key < $1.key }) {
            for e in resource.children(named: name) {
                switch e.type {
                case "Reference":
                    // As written, as `Type/id` (the tail of an absolute URL) and as the bare id, so that a search
                    // by id, by type/id or by URL finds it.
                    guard let r = e.string("reference") else { continue }
                    out.append((parameter, r))
                    if let (type, id) = ReferenceMapping.typeAndID(r) {
                        out.append((parameter, "\(type)/\(id)"))
                        out.append((parameter, id))
                    }
                case "Identifier":
                    if let v = e.string("value") {
                        out.append((parameter, v))
                        out.append((parameter, "\(e.string("system") ?? "")|\(v)"))
                    }
                default:
                    let codings = e.type == "Coding" ? [e] : e.children(named: "coding")
                    for c in codings {
                        guard let code = c.string("code") else { continue }
                        out.append((parameter, code))
                        out.append((parameter, "\(c.string("system") ?? "")|\(code)"))
                        if let d = c.string("display") { out.append(("\(parameter):text", d.lowercased())) }
                    }
                    if let t = e.string("text") { out.append(("\(parameter):text", t.lowercased())) }
                }
            }
        }
        return out
    }
}
