import Booking
import FHIRMapping
import FHIRModel
import HTTPTypes

/// The server's one error type: an HTTP status and the OperationOutcome issues that explain it.
public struct FHIRError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var issues: [OperationOutcomeResource.Issue]

    public init(_ status: HTTPResponse.Status, code: String, _ diagnostics: String, expression: [String] = []) {
        self.status = status
        issues = [.init(severity: "error", code: code, diagnostics: diagnostics, expression: expression)]
    }

    public init(status: HTTPResponse.Status, issues: [OperationOutcomeResource.Issue]) {
        self.status = status
        self.issues = issues
    }

    public var outcome: OperationOutcomeResource { OperationOutcomeResource(issues: issues) }

    /// Maps any error to its FHIR answer; unknown errors are 500 without internal details.
    public static func from(_ error: any Error) -> FHIRError {
        switch error {
        case let e as FHIRError:
            return e
        case let e as FHIRFormatError:
            let issues = OperationOutcomeResource(parseIssues: e.issues).issues
            return FHIRError(status: .badRequest, issues: issues)
        case let e as BookingError:
            return from(booking: e)
        case let e as AppointmentMapping.Problem:
            return FHIRError(.unprocessableContent, code: "invalid", e.message, expression: [e.expression])
        default:
            return FHIRError(.internalServerError, code: "exception", "internal error")
        }
    }

    static func from(booking e: BookingError) -> FHIRError {
        switch e {
        case .notFound(let kind, let id):
            return FHIRError(.notFound, code: "not-found", "\(kind) '\(id)' not found")
        case .slotNotFound:
            return FHIRError(.unprocessableContent, code: "not-found", e.description, expression: ["Appointment.slot"])
        case .slotFull, .slotUnavailable, .dailyLimitReached, .overlap, .holdExpired, .availabilityChanged:
            return FHIRError(.conflict, code: "conflict", e.description)
        case .versionConflict:
            return FHIRError(.preconditionFailed, code: "conflict", e.description)
        case .invalidTransition:
            return FHIRError(
                .unprocessableContent, code: "business-rule", e.description, expression: ["Appointment.status"])
        case .invalid, .invalidTimeZone, .holdMismatch, .notOffered, .wrongMode, .holdNotFound:
            return FHIRError(.unprocessableContent, code: "business-rule", e.description)
        case .storage:
            return FHIRError(.internalServerError, code: "exception", "storage error")
        }
    }
}
