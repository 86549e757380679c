import Booking
import FHIRModel

/// The e-prescription of an appointment on FHIR: the prescription number (NRE) as a logical reference
/// `basedOn: {type: ServiceRequest, identifier: {system: …/nre, value: NRE}}` (the prescription is a
/// ServiceRequest this gateway does not hold), and the priority class in the `priority-class` extension.
public enum ReferralMapping {
    public static func elements(_ referral: Referral?) -> [Element] {
        guard let referral else { return [] }
        var out: [Element] = []
        if let cls = referral.priorityClass {
            out.append(
                Element(
                    name: "extension", type: "Extension",
                    children: [
                        Element(name: "url", type: "uri", value: ProjectExtension.priorityClass),
                        Element(name: "value", type: "code", value: cls.rawValue),
                    ]))
        }
        if let nre = referral.prescriptionNumber {
            out.append(
                Element(
                    name: "basedOn", type: "Reference",
                    children: [
                        Element(name: "type", type: "uri", value: "ServiceRequest"),
                        Element(
                            name: "identifier", type: "Identifier",
                            children: [
                                Element(name: "system", type: "uri", value: ProjectExtension.prescriptionSystem),
                                Element(name: "value", type: "string", value: nre),
                            ]),
                    ]))
        }
        return out
    }

    /// The referral an incoming Appointment carries; nil when it has none.
    /// - Throws: ``Problem`` for a priority class outside U, B, D, P.
    public static func referral(_ appointment: Element) throws(AppointmentMapping.Problem) -> Referral? {
        var referral = Referral()
        if let ext = appointment.extensions(url: ProjectExtension.priorityClass).first {
            guard let code = ext.child("value")?.value, let cls = PriorityClass(rawValue: code) else {
                throw AppointmentMapping.Problem(
                    expression: "Appointment.extension('\(ProjectExtension.priorityClass)')",
                    message: "the priority class is a code: U, B, D or P")
            }
            referral.priorityClass = cls
        }
        referral.prescriptionNumber =
            appointment.children(named: "basedOn").lazy.compactMap { b in
                b.descendant("identifier", "system")?.value == ProjectExtension.prescriptionSystem
                    ? b.descendant("identifier", "value")?.value : nil
            }.first
        return referral.isEmpty ? nil : referral
    }
}
