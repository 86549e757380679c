import Booking
import FHIRModel

/// The ports and settings the interactions use; built once by ``buildApplication(_:)``.
public struct GatewayServices: Sendable {
    public let booking: BookingService
    public let responses: FHIRResponses
    /// Largest request body accepted.
    public let maxBodyBytes: Int
    /// Zone used to write slot times when a schedule's own cannot be resolved.
    public let defaultTimeZone: String

    public init(
        booking: BookingService, codec: FHIRCodec, maxBodyBytes: Int = 16 << 20, defaultTimeZone: String = "UTC"
    ) {
        self.booking = booking
        responses = FHIRResponses(codec: codec)
        self.maxBodyBytes = maxBodyBytes
        self.defaultTimeZone = defaultTimeZone
    }

    public var store: any BookingStore { booking.store }
}
