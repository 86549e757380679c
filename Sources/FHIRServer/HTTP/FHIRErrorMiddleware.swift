import FHIRModel
import Hummingbird

/// The outermost middleware: every failure, the router's own 404 included, becomes an OperationOutcome in
/// the negotiated format (JSON when negotiation itself failed).
public struct FHIRErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let responses: FHIRResponses

    public init(responses: FHIRResponses) {
        self.responses = responses
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let negotiation = (try? Negotiation.response(for: request)) ?? Negotiation(format: .json, pretty: false)
            let fhirError: FHIRError
            if let http = error as? HTTPError {
                switch http.status {
                case .notFound:
                    fhirError = FHIRError(
                        .notFound, code: "not-found", "no such resource or route: \(request.uri.path)")
                case .methodNotAllowed:
                    fhirError = FHIRError(
                        .methodNotAllowed, code: "not-supported", "\(request.method) is not supported here")
                case .contentTooLarge:
                    fhirError = FHIRError(.contentTooLarge, code: "too-long", "the body is too large")
                default:
                    fhirError = FHIRError(http.status, code: "processing", http.body ?? http.status.reasonPhrase)
                }
            } else {
                fhirError = FHIRError.from(error)
            }
            return responses.error(fhirError, negotiation: negotiation)
        }
    }
}
