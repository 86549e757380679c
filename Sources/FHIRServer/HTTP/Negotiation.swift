import FHIRModel
import Foundation
import Hummingbird

/// Content negotiation: `_format` wins over `Accept`; JSON is the default; `_pretty` asks for pretty output.
public struct Negotiation: Sendable {
    public var format: FHIRFormat
    public var pretty: Bool

    /// The response format a request asks for.
    /// - Throws: ``FHIRError`` 406 when only unsupported formats are acceptable.
    public static func response(for request: Request) throws(FHIRError) -> Negotiation {
        let query = request.uri.queryParameters
        let pretty = query["_pretty"].map { String($0) == "true" } ?? false
        if let f = query["_format"].map(String.init) {
            guard let format = format(of: f) else {
                throw FHIRError(.notAcceptable, code: "not-supported", "unsupported _format '\(f)'")
            }
            return Negotiation(format: format, pretty: pretty)
        }
        guard let accept = request.headers[.accept], !accept.isEmpty else {
            return Negotiation(format: .json, pretty: pretty)
        }
        for part in accept.split(separator: ",") {
            let mime = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if mime == "*/*" || mime == "application/*" { return Negotiation(format: .json, pretty: pretty) }
            if let format = format(of: mime) { return Negotiation(format: format, pretty: pretty) }
        }
        throw FHIRError(.notAcceptable, code: "not-supported", "none of the accepted types is supported: \(accept)")
    }

    /// The format of a request body, from Content-Type.
    /// - Throws: ``FHIRError`` 415 for other types.
    public static func body(of request: Request) throws(FHIRError) -> FHIRFormat {
        guard let type = request.headers[.contentType] else {
            throw FHIRError(.unsupportedMediaType, code: "not-supported", "Content-Type is required")
        }
        let mime = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let format = format(of: mime) else {
            throw FHIRError(.unsupportedMediaType, code: "not-supported", "unsupported Content-Type '\(type)'")
        }
        for param in type.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0] == "fhirVersion", !kv[1].hasPrefix("4.0") {
                throw FHIRError(.unsupportedMediaType, code: "not-supported", "this server speaks FHIR 4.0 only")
            }
        }
        return format
    }

    static func format(of text: String) -> FHIRFormat? {
        switch text.lowercased() {
        case "json", "application/fhir+json", "application/json", "application/json+fhir": .json
        case "xml", "application/fhir+xml", "application/xml", "text/xml", "application/xml+fhir": .xml
        default: nil
        }
    }
}
