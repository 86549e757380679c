import Booking
import FHIRModel
import Foundation

/// Schedules as FHIR Schedule resources.
public enum ScheduleMapping {
    public static func resource(_ schedule: Schedule, resources: [String: BookableResource]) -> ScheduleResource {
        var r = ScheduleResource()
        r.id = schedule.id
        r.active = schedule.active
        r.element.children += schedule.serviceTypes.map { $0.coding.codeableConcept(named: "serviceType") }
        r.element.children += schedule.specialties.map { $0.coding.codeableConcept(named: "specialty") }
        r.actors = schedule.resourceIDs.map { id in
            Reference(
                resources[id].map(ReferenceMapping.reference(for:)) ?? "Practitioner/\(id)",
                display: resources[id]?.name)
        }
        r.comment = schedule.comment
        r.element.children.append(
            AvailabilityMapping.part(ProjectExtension.scheduleTimeZone, "code", schedule.timeZone))
        if let mode = schedule.mode {
            r.element.children.append(AvailabilityMapping.part(ProjectExtension.bookingMode, "code", mode.rawValue))
        }
        if let sharing = schedule.sharing { r.element.children.append(sharingExtension(sharing)) }
        return r
    }

    /// The time zone and booking mode a Schedule resource asks for (nil where it does not say).
    public static func zoneAndMode(_ element: Element) throws(AppointmentMapping.Problem) -> (
        zone: String?, mode: BookingMode?
    ) {
        let zone = element.extensions(url: ProjectExtension.scheduleTimeZone).first?.child("value")?.value
        var mode: BookingMode?
        if let e = element.extensions(url: ProjectExtension.bookingMode).first {
            guard let m = e.child("value")?.value.flatMap(BookingMode.init(rawValue:)) else {
                throw AppointmentMapping.Problem(
                    expression: "Schedule.extension('\(ProjectExtension.bookingMode)')",
                    message: "booking-mode is appointments or full")
            }
            mode = m
        }
        return (zone, mode)
    }

    /// The `agenda-sharing` extension of a shared schedule.
    public static func sharingExtension(_ s: AgendaSharing) -> Element {
        func part(_ url: String, _ type: String, _ value: String) -> Element {
            Element(
                name: "extension", type: "Extension",
                children: [
                    Element(name: "url", type: "uri", value: url), Element(name: "value", type: type, value: value),
                ])
        }
        return Element(
            name: "extension", type: "Extension",
            children: [
                part("mode", "code", s.mode.rawValue), part("cupSystem", "uri", s.cupSystem),
                part("releaseHours", "unsignedInt", String(s.releaseHours)),
                Element(name: "url", type: "uri", value: ProjectExtension.agendaSharing),
            ])
    }

    /// The sharing an incoming Schedule asks for (nil: not shared).
    /// - Throws: ``AppointmentMapping/Problem`` naming the part that is wrong.
    public static func sharing(_ schedule: Element) throws(AppointmentMapping.Problem) -> AgendaSharing? {
        let all = schedule.extensions(url: ProjectExtension.agendaSharing)
        guard let e = all.first else { return nil }
        let path = "Schedule.extension('\(ProjectExtension.agendaSharing)')"
        guard all.count == 1 else { throw .init(expression: path, message: "one agenda-sharing extension at most") }
        func value(_ url: String) -> String? { e.extensions(url: url).first?.child("value")?.value }
        guard let mode = value("mode").flatMap(AgendaSharing.Mode.init(rawValue:)) else {
            throw .init(expression: path + ".extension('mode')", message: "mode is competitive or exclusive")
        }
        guard let system = value("cupSystem"), !system.isEmpty else {
            throw .init(
                expression: path + ".extension('cupSystem')", message: "the CUP's identifier system is required")
        }
        var sharing = AgendaSharing(mode: mode, cupSystem: system)
        if let h = value("releaseHours") {
            guard let hours = Int(h), hours >= 0 else {
                throw .init(expression: path + ".extension('releaseHours')", message: "hours, 0 or more")
            }
            sharing.releaseHours = hours
        }
        return sharing
    }
}
