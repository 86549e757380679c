import Foundation

/// A time-limited reservation of capacity; it expires by itself.
public struct Hold: Sendable, Hashable, Codable, Identifiable {
    public enum Status: String, Sendable, Codable {
        case active, consumed, released, expired
    }

    /// The hold token.
    public var id: String
    public var claims: [CapacityClaim]
    public var patientID: String?
    /// The client's idempotency key: a repeated hold request returns the same hold.
    public var requestKey: String?
    public var waitlistEntryID: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var status: Status

    public init(
        id: String, claims: [CapacityClaim], patientID: String?, requestKey: String?, waitlistEntryID: String? = nil,
        createdAt: Date, expiresAt: Date, status: Status = .active
    ) {
        self.id = id
        self.claims = claims
        self.patientID = patientID
        self.requestKey = requestKey
        self.waitlistEntryID = waitlistEntryID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.status = status
    }

    public func isLive(at now: Date) -> Bool { status == .active && expiresAt > now }
}
