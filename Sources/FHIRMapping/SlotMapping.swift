import Booking
import FHIRModel
import Foundation

/// Virtual slots as FHIR Slot resources.
public enum SlotMapping {
    public static func resource(_ slot: Slot, zone: ZoneResolver) -> SlotResource {
        var r = SlotResource()
        r.id = slot.id.description
        var e = r.element
        e.children.append(contentsOf: [
            Element(
                name: "extension", type: "Extension",
                children: [
                    Element(name: "url", type: "uri", value: ProjectExtension.slotCapacity),
                    Element(name: "value", type: "unsignedInt", value: String(slot.capacity)),
                ]),
            Element(
                name: "extension", type: "Extension",
                children: [
                    Element(name: "url", type: "uri", value: ProjectExtension.slotBooked),
                    Element(name: "value", type: "unsignedInt", value: String(slot.booked)),
                ]),
        ])
        if let reason = slot.unavailableReason {
            e.children.append(
                Element(
                    name: "extension", type: "Extension",
                    children: [
                        Element(name: "url", type: "uri", value: ProjectExtension.slotUnavailableReason),
                        Element(name: "value", type: "code", value: reason.rawValue),
                    ]))
        }
        e.children += slot.serviceTypes.map { $0.coding.codeableConcept(named: "serviceType") }
        e.children += slot.specialties.map { $0.coding.codeableConcept(named: "specialty") }
        if let t = slot.appointmentTypes.first { e.children.append(t.coding.codeableConcept(named: "appointmentType")) }
        r.element = e
        r.schedule = Reference("Schedule/\(slot.scheduleID)")
        r.status =
            switch slot.status {
            case .free: .free
            case .busy: .busy
            case .busyUnavailable: .busyUnavailable
            }
        // The text is made here; parsing it back into a FHIRDateTime would only cost time.
        r.element.setPrimitive("start", type: "instant", zone.iso8601(slot.start))
        r.element.setPrimitive("end", type: "instant", zone.iso8601(slot.end))
        if let closedBy = slot.closedBy { r.comment = "closed: \(closedBy)" }
        return r
    }
}
