import FHIRModel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds FHIR responses in the negotiated format.
public struct FHIRResponses: Sendable {
    public let codec: FHIRCodec

    public init(codec: FHIRCodec) {
        self.codec = codec
    }

    /// A resource response with `ETag`/`Last-Modified` from its meta, and optional `Location`.
    public func resource(
        _ resource: Element, status: HTTPResponse.Status = .ok, negotiation: Negotiation, location: String? = nil
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = negotiation.format.mimeType + "; charset=utf-8; fhirVersion=4.0"
        if let version = resource.descendant("meta", "versionId")?.value { headers[.eTag] = "W/\"\(version)\"" }
        if let updated = resource.descendant("meta", "lastUpdated")?.value, let dt = FHIRDateTime(updated) {
            headers[.lastModified] = Self.httpDate(Date(timeIntervalSince1970: dt.epochSeconds))
        }
        if let location {
            headers[.location] = location
            headers[.contentLocation] = location
        }
        let bytes = codec.write(resource, format: negotiation.format, pretty: negotiation.pretty)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A read's answer: 304 when `If-None-Match` names the resource's version or `If-Modified-Since` is not
    /// before its `meta.lastUpdated`, else the resource.
    public func read(_ resource: Element, request: Request, negotiation: Negotiation) -> Response {
        if let v = resource.descendant("meta", "versionId")?.value,
            let inm = request.headers[.ifNoneMatch], Preconditions.etag(inm, names: v)
        {
            return Response(status: .notModified)
        }
        if let since = request.headers[.ifModifiedSince], let date = Self.parseHTTPDate(since),
            let updated = resource.descendant("meta", "lastUpdated")?.value.flatMap(FHIRDateTime.init),
            updated.epochSeconds.rounded(.down) <= date.timeIntervalSince1970
        {
            return Response(status: .notModified)
        }
        return self.resource(resource, negotiation: negotiation)
    }

    /// The answer to a create or update, shaped by `Prefer: return=minimal | representation | OperationOutcome`
    /// (representation by default). `issues` (validation findings under the warn policy) are added to the
    /// OperationOutcome form.
    public func written(
        _ resource: Element, status: HTTPResponse.Status, negotiation: Negotiation, location: String?, request: Request,
        issues: [OperationOutcomeResource.Issue] = []
    ) -> Response {
        let prefer = request.headers[HTTPField.Name("Prefer")!] ?? ""
        let full = self.resource(resource, status: status, negotiation: negotiation, location: location)
        if prefer.contains("return=minimal") {
            var headers = full.headers
            headers[.contentType] = nil
            headers[.contentLength] = nil
            return Response(status: status, headers: headers)
        }
        if prefer.contains("return=OperationOutcome") {
            let what = status == .created ? "created" : "updated"
            let outcome = OperationOutcomeResource(
                issues: [
                    .init(
                        severity: "information", code: "informational",
                        diagnostics: "\(resource.type)/\(resource.resourceID ?? "") \(what)")
                ] + issues)
            var response = self.resource(outcome.element, status: status, negotiation: negotiation, location: location)
            for (name, value) in [
                (HTTPField.Name.eTag, full.headers[.eTag]), (.lastModified, full.headers[.lastModified]),
            ] {
                response.headers[name] = value
            }
            return response
        }
        return full
    }

    /// An OperationOutcome response for an error.
    public func error(_ error: FHIRError, negotiation: Negotiation) -> Response {
        resource(error.outcome.element, status: error.status, negotiation: negotiation)
    }

    /// Reads the request body as one resource.
    /// - Throws: ``FHIRError`` (415) or the reader's ``FHIRFormatError`` (400).
    public func readBody(_ request: Request, maxBytes: Int) async throws -> Element {
        let format = try Negotiation.body(of: request)
        let buffer = try await request.body.collect(upTo: maxBytes + 1)
        if buffer.readableBytes > maxBytes {
            throw FHIRError(.contentTooLarge, code: "too-long", "the body exceeds \(maxBytes) bytes")
        }
        return try codec.read(Array(buffer.readableBytesView), format: format)
    }

    /// Parses an RFC 7231 date.
    static func parseHTTPDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.date(from: text)
    }

    /// RFC 7231 date, e.g. `Sun, 30 Mar 2025 07:00:00 GMT`.
    static func httpDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }
}
