import Foundation

/// The Italian prescription priority class (classe di priorità of the e-prescription), which bounds how long
/// the patient may wait for the first available appointment (Piano Nazionale di Governo delle Liste d'Attesa
/// 2019–2021).
public enum PriorityClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// Urgente: within 72 hours.
    case urgent = "U"
    /// Breve: within 10 days.
    case brief = "B"
    /// Differibile: within 30 days for visits, 60 days for instrumental (diagnostic) exams.
    case deferrable = "D"
    /// Programmabile: within 120 days.
    case programmable = "P"

    /// The latest acceptable start for a request made at `from`.
    /// - Parameter instrumental: a diagnostic exam rather than a visit (only class D distinguishes them).
    public func deadline(from: Date, instrumental: Bool = false) -> Date {
        let days: Double =
            switch self {
            case .urgent: 3
            case .brief: 10
            case .deferrable: instrumental ? 60 : 30
            case .programmable: 120
            }
        return from.addingTimeInterval(days * 86400)
    }
}

/// What an appointment was prescribed by: the e-prescription number (NRE, numero di ricetta elettronica) and
/// its priority class. Kept on the appointment so that a CUP can find a booking by its prescription.
public struct Referral: Sendable, Hashable, Codable {
    public var prescriptionNumber: String?
    public var priorityClass: PriorityClass?

    public init(prescriptionNumber: String? = nil, priorityClass: PriorityClass? = nil) {
        self.prescriptionNumber = prescriptionNumber
        self.priorityClass = priorityClass
    }

    public var isEmpty: Bool { prescriptionNumber == nil && priorityClass == nil }
}
