import Hummingbird

/// Conditional-write preconditions shared by the interactions.
enum Preconditions {
    /// Whether an entity tag (`W/"3"` or `"3"`) names `version`.
    static func etag(_ tag: String, names version: some CustomStringConvertible) -> Bool {
        tag == "W/\"\(version)\"" || tag == "\"\(version)\""
    }

    /// `If-Match`: when the request has one, it must name the current version (412 otherwise, and when there is
    /// none). `current` is read only when the header is present.
    static func checkIfMatch(_ request: Request, current: () async throws -> Int?) async throws {
        guard let ifMatch = request.headers[.ifMatch] else { return }
        guard let v = try await current(), etag(ifMatch, names: v) else {
            throw FHIRError(.preconditionFailed, code: "conflict", "If-Match \(ifMatch) is not the current version")
        }
    }
}
