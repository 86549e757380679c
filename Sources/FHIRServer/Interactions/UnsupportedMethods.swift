import HTTPTypes
import Hummingbird

/// 405 with an OperationOutcome for the interactions a known path does not support (the router alone would
/// answer 404, which tells a client the resource does not exist).
struct UnsupportedMethods {
    func register(on router: Router<BasicRequestContext>) {
        let refuse: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            throw FHIRError(
                .methodNotAllowed, code: "not-supported", "\(request.method) is not supported on \(request.uri.path)")
        }
        router.on("/fhir/Slot/:id", method: .post, use: refuse)
        router.on("/fhir/Slot/:id", method: .patch, use: refuse)
        for method in [HTTPRequest.Method.delete, .patch, .put] {
            router.on("/fhir/Slot", method: method, use: refuse)
        }
        router.on("/fhir/Schedule/:id", method: .post, use: refuse)
        router.on("/fhir/Schedule/:id", method: .patch, use: refuse)
        for method in [HTTPRequest.Method.put, .delete, .patch] {
            router.on("/fhir/Schedule", method: method, use: refuse)
        }
        for type in DirectoryInteractions.documentTypes {
            router.on(RouterPath("/fhir/\(type)/:id"), method: .post, use: refuse)
        }
        router.on("/fhir/metadata", method: .post, use: refuse)
    }
}
