import Foundation

/// A patient waiting for a service; offered the first matching capacity a cancellation frees.
public struct WaitlistEntry: Sendable, Hashable, Codable, Identifiable {
    public enum Status: String, Sendable, Codable {
        case waiting, offered, fulfilled, withdrawn
    }

    public var id: String
    public var patientID: String
    /// Any of these services (empty: any service).
    public var serviceTypes: [Code]
    /// Restricted to these schedules (empty: any).
    public var scheduleIDs: [String]
    public var earliest: Date
    public var latest: Date
    public var createdAt: Date
    public var status: Status
    public var offeredHoldID: String?

    public init(
        id: String, patientID: String, serviceTypes: [Code] = [], scheduleIDs: [String] = [], earliest: Date,
        latest: Date, createdAt: Date, status: Status = .waiting, offeredHoldID: String? = nil
    ) {
        self.id = id
        self.patientID = patientID
        self.serviceTypes = serviceTypes
        self.scheduleIDs = scheduleIDs
        self.earliest = earliest
        self.latest = latest
        self.createdAt = createdAt
        self.status = status
        self.offeredHoldID = offeredHoldID
    }

    /// Whether a freed slot suits this request.
    public func accepts(_ slot: Slot) -> Bool {
        guard status == .waiting, slot.start >= earliest, slot.start < latest else { return false }
        if !scheduleIDs.isEmpty && !scheduleIDs.contains(slot.scheduleID) { return false }
        if !serviceTypes.isEmpty && !serviceTypes.contains(where: { s in slot.serviceTypes.contains { $0.matches(s) } })
        {
            return false
        }
        return true
    }
}
