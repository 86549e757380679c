/// How a schedule is booked.
public enum BookingMode: String, Sendable, Codable, CaseIterable {
    /// Appointments are created with start, end and participants; no availability set-up; overlaps for the same
    /// resource are refused unless the schedule allows overbooking.
    case appointments
    /// Availability rules, exceptions and slot-based booking.
    case full
}

/// One diary: the availability of one resource or of a set of resources booked together.
public struct Schedule: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var resourceIDs: [String]
    /// Nil: the deployment's default mode.
    public var mode: BookingMode?
    /// IANA zone in which the rules are expanded.
    public var timeZone: String
    public var active: Bool
    /// Appointments mode only: allow overlapping appointments for the same resource.
    public var allowsOverbooking: Bool
    public var serviceTypes: [Code]
    public var specialties: [Code]
    public var comment: String?
    /// Shared with a regional booking centre (CUP); nil: booked locally only.
    public var sharing: AgendaSharing?

    public init(
        id: String, resourceIDs: [String], mode: BookingMode? = nil, timeZone: String, active: Bool = true,
        allowsOverbooking: Bool = false, serviceTypes: [Code] = [], specialties: [Code] = [], comment: String? = nil
    ) {
        self.id = id
        self.resourceIDs = resourceIDs
        self.mode = mode
        self.timeZone = timeZone
        self.active = active
        self.allowsOverbooking = allowsOverbooking
        self.serviceTypes = serviceTypes
        self.specialties = specialties
        self.comment = comment
    }

    /// The effective mode under a deployment default.
    public func effectiveMode(default deploymentMode: BookingMode) -> BookingMode {
        mode ?? deploymentMode
    }
}
