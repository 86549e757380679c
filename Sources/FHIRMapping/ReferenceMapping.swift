import Booking
import FHIRModel
import Foundation

/// FHIR references to and from the domain's actors and resources.
public enum ReferenceMapping {
    /// `Practitioner/rossi` for a practitioner resource, etc.
    public static func reference(for resource: BookableResource) -> String {
        "\(fhirType(resource.kind))/\(resource.id)"
    }

    public static func fhirType(_ kind: BookableResource.Kind) -> String {
        switch kind {
        case .practitioner: "Practitioner"
        case .location: "Location"
        case .device: "Device"
        case .healthcareService: "HealthcareService"
        }
    }

    public static func reference(for actor: ParticipantActor) -> String {
        let type: String =
            switch actor.kind {
            case .patient: "Patient"
            case .practitioner: "Practitioner"
            case .practitionerRole: "PractitionerRole"
            case .relatedPerson: "RelatedPerson"
            case .location: "Location"
            case .device: "Device"
            case .healthcareService: "HealthcareService"
            }
        return "\(type)/\(actor.id)"
    }

    /// The actor of a `Type/id` reference (relative, or absolute ending in `Type/id`); nil for other types.
    public static func actor(from reference: String) -> ParticipantActor? {
        let parts = reference.split(separator: "/")
        guard parts.count >= 2 else { return nil }
        let type = String(parts[parts.count - 2])
        let id = String(parts[parts.count - 1])
        let kind: ParticipantActor.Kind? =
            switch type {
            case "Patient": .patient
            case "Practitioner": .practitioner
            case "PractitionerRole": .practitionerRole
            case "RelatedPerson": .relatedPerson
            case "Location": .location
            case "Device": .device
            case "HealthcareService": .healthcareService
            default: nil
            }
        return kind.map { ParticipantActor($0, id) }
    }

    /// `Type/id` of a relative or absolute reference (a `_history` suffix dropped); nil for fragments and URNs.
    public static func typeAndID(_ reference: String) -> (type: String, id: String)? {
        guard !reference.hasPrefix("#"), !reference.hasPrefix("urn:") else { return nil }
        var parts = reference.split(separator: "/").map(String.init)
        if parts.count >= 4, parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        guard parts.count >= 2 else { return nil }
        return (parts[parts.count - 2], parts[parts.count - 1])
    }

    /// The slot id of a `Slot/{id}` reference.
    public static func slotID(from reference: String) -> SlotID? {
        guard let r = reference.range(of: "Slot/", options: .backwards) else { return nil }
        return SlotID(String(reference[r.upperBound...]))
    }
}

extension Code {
    init(_ coding: Coding) {
        self.init(system: coding.system, code: coding.code ?? "", display: coding.display)
    }

    var coding: Coding { Coding(system: system, code: code, display: display) }
}
