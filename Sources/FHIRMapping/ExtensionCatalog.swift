import FHIRModel

/// The project's extensions, as data: the source of the StructureDefinitions in profiles/booking-gateway
/// (`booking-gateway profiles extensions`) and of the mapping's URLs.
public enum ExtensionCatalog {
    /// One extension: its context and either a value type or sub-extensions.
    public struct Definition: Sendable {
        public var id: String
        public var title: String
        public var contexts: [String]
        /// nil for a complex extension.
        public var valueType: String?
        /// Sub-extensions: (url, value type, max cardinality "1" or "*", min).
        public var parts: [(url: String, type: String, max: String, min: Int)]

        public var url: String { ProjectExtension.base + id }
    }

    public static let all: [Definition] = [
        Definition(
            id: "slot-capacity", title: "Places in a slot", contexts: ["Slot"], valueType: "unsignedInt", parts: []),
        Definition(
            id: "slot-booked", title: "Places taken in a slot (bookings and live holds)", contexts: ["Slot"],
            valueType: "unsignedInt", parts: []),
        Definition(
            id: "slot-unavailable-reason", title: "Why a busy-unavailable slot cannot be booked", contexts: ["Slot"],
            valueType: "code",
            parts: []),
        Definition(
            id: "teleconsultation", title: "Held as a teleconsultation", contexts: ["Appointment"],
            valueType: "boolean", parts: []),
        Definition(
            id: "hold-expiry", title: "When a hold expires", contexts: ["Appointment"], valueType: "instant", parts: []),
        Definition(
            id: "priority-class",
            title: "Priority class of the e-prescription: U (72 h), B (10 days), D (30/60 days), P (120 days)",
            contexts: ["Appointment"], valueType: "code", parts: []),
        Definition(
            id: "needs-reschedule", title: "Left outside the availability by a closure or a rule change",
            contexts: ["Appointment"],
            valueType: nil,
            parts: [("reason", "string", "1", 1), ("cause", "string", "1", 0), ("flaggedAt", "dateTime", "1", 1)]),
        Definition(
            id: "schedule-time-zone", title: "IANA time zone the schedule's availability is expanded in",
            contexts: ["Schedule"], valueType: "code", parts: []),
        Definition(
            id: "booking-mode", title: "How the schedule is booked: appointments (no availability set-up) or full",
            contexts: ["Schedule"], valueType: "code", parts: []),
        Definition(
            id: "availability-rule", title: "An availability rule of the schedule", contexts: ["Schedule"],
            valueType: nil,
            parts: [
                ("id", "string", "1", 1), ("frequency", "code", "1", 1), ("interval", "positiveInt", "1", 0),
                ("dayOfWeek", "code", "*", 0), ("dayOfMonth", "positiveInt", "*", 0),
                ("weekdayOrdinal", "integer", "1", 0),
                ("opening", "string", "*", 1), ("validFrom", "date", "1", 1), ("validUntil", "date", "1", 0),
                ("slotMinutes", "positiveInt", "1", 0), ("flexibleMinMinutes", "positiveInt", "1", 0),
                ("flexibleMaxMinutes", "positiveInt", "1", 0), ("bufferBeforeMinutes", "unsignedInt", "1", 0),
                ("bufferAfterMinutes", "unsignedInt", "1", 0), ("gridMinutes", "positiveInt", "1", 0),
                ("capacity", "positiveInt", "1", 1), ("maxBookingsPerDay", "positiveInt", "1", 0),
                ("serviceType", "CodeableConcept", "*", 0), ("specialty", "CodeableConcept", "*", 0),
                ("appointmentType", "CodeableConcept", "*", 0), ("minimumNoticeMinutes", "unsignedInt", "1", 0),
                ("horizonDays", "unsignedInt", "1", 0), ("teleconsultation", "code", "1", 0),
            ]),
        Definition(
            id: "agenda-sharing",
            title: "Shared with a regional booking centre (CUP): competitive, or exclusive until a release time",
            contexts: ["Schedule"], valueType: nil,
            parts: [("mode", "code", "1", 1), ("cupSystem", "uri", "1", 1), ("releaseHours", "unsignedInt", "1", 0)]),
        Definition(
            id: "availability-exception", title: "A closure or an extra opening of the schedule",
            contexts: ["Schedule"],
            valueType: nil,
            parts: [
                ("id", "string", "1", 1), ("effect", "code", "1", 1), ("reason", "code", "1", 0),
                ("period", "Period", "1", 1),
                ("fromTime", "time", "1", 0), ("toTime", "time", "1", 0),
                ("yearly", "boolean", "1", 0), ("scope", "Reference", "1", 0), ("comment", "string", "1", 0),
            ]),
    ]

    /// The StructureDefinition (differential form) of `d`.
    public static func structureDefinition(_ d: Definition) -> Element {
        func p(_ name: String, _ type: String, _ value: String) -> Element {
            Element(name: name, type: type, value: value)
        }
        func element(_ path: String, id: String? = nil, min: Int? = nil, max: String? = nil, children: [Element] = [])
            -> Element
        {
            var e = Element(name: "element", type: "ElementDefinition", children: [p("id", "string", id ?? path)])
            e.children.append(p("path", "string", path))
            e.children += children
            if let min { e.children.append(p("min", "unsignedInt", String(min))) }
            if let max { e.children.append(p("max", "string", max)) }
            return e
        }
        func type(_ code: String) -> Element {
            Element(name: "type", type: "ElementDefinition.Type", children: [p("code", "uri", code)])
        }
        func fixedURL(_ url: String) -> Element { Element(name: "fixed", type: "uri", value: url) }
        var elements = [element("Extension", children: [p("short", "string", d.title)])]
        if let valueType = d.valueType {
            elements.append(element("Extension.extension", max: "0"))
            elements.append(element("Extension.url", children: [fixedURL(d.url)]))
            elements.append(element("Extension.value[x]", min: 1, children: [type(valueType)]))
        } else {
            for part in d.parts {
                let sid = "Extension.extension:\(part.url)"
                elements.append(
                    element(
                        "Extension.extension", id: sid, min: part.min, max: part.max,
                        children: [p("sliceName", "string", part.url)]))
                elements.append(element("Extension.extension.extension", id: "\(sid).extension", max: "0"))
                elements.append(element("Extension.extension.url", id: "\(sid).url", children: [fixedURL(part.url)]))
                elements.append(
                    element("Extension.extension.value[x]", id: "\(sid).value[x]", min: 1, children: [type(part.type)]))
            }
            elements.append(element("Extension.url", children: [fixedURL(d.url)]))
            elements.append(element("Extension.value[x]", max: "0"))
        }
        var sd = Element.resource("StructureDefinition")
        sd.children = [
            p("id", "id", d.id), p("url", "uri", d.url), p("version", "string", "0.1.0"),
            p("name", "string", d.id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()),
            p("title", "string", d.title), p("status", "code", "draft"), p("fhirVersion", "code", "4.0.1"),
            p("kind", "code", "complex-type"),
            p("abstract", "boolean", "false"),
        ]
        sd.children += d.contexts.map {
            Element(
                name: "context", type: "BackboneElement",
                children: [p("type", "code", "element"), p("expression", "string", $0)])
        }
        sd.children += [
            p("type", "code", "Extension"),
            p("baseDefinition", "canonical", "http://hl7.org/fhir/StructureDefinition/Extension"),
            p("derivation", "code", "constraint"),
            Element(name: "differential", type: "BackboneElement", children: elements),
        ]
        return sd
    }
}
