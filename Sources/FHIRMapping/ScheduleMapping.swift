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
        return r
    }
}
