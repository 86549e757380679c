import Booking
import DocumentStore
import FHIRModel

/// The ports and settings the interactions use; built once by the composition root.
public struct GatewayServices: Sendable {
    public let booking: BookingService
    /// The directory resources (Patient, Practitioner, …) as versioned FHIR documents.
    public let documents: any DocumentStore
    public let responses: FHIRResponses
    /// Largest request body accepted.
    public let maxBodyBytes: Int
    /// Zone used to write slot times when a schedule's own cannot be resolved.
    public let defaultTimeZone: String
    /// The validator behind `$validate` and the policy for written resources; nil: neither.
    public let validation: WriteValidation?

    public init(
        booking: BookingService, documents: any DocumentStore, codec: FHIRCodec, maxBodyBytes: Int = 16 << 20,
        defaultTimeZone: String = "UTC", validation: WriteValidation? = nil
    ) {
        self.validation = validation
        self.booking = booking
        self.documents = documents
        responses = FHIRResponses(codec: codec)
        self.maxBodyBytes = maxBodyBytes
        self.defaultTimeZone = defaultTimeZone
    }

    public var store: any BookingStore { booking.store }
}
