/// The two wire formats of FHIR R4.
public enum FHIRFormat: String, Sendable, CaseIterable {
    case json
    case xml

    /// The FHIR MIME type.
    public var mimeType: String {
        switch self {
        case .json: "application/fhir+json"
        case .xml: "application/fhir+xml"
        }
    }

    /// The format for a file name's extension (`.json`, `.xml`), if recognised.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "json": self = .json
        case "xml": self = .xml
        default: return nil
        }
    }
}

/// Reads and writes resources in either format with one set of structure definitions and limits.
public struct FHIRCodec: Sendable {
    public let registry: StructureRegistry
    public var limits: ReaderLimits

    public init(registry: StructureRegistry, limits: ReaderLimits = .default) {
        self.registry = registry
        self.limits = limits
    }

    /// Reads one resource in `format`.
    /// - Throws: ``FHIRFormatError`` listing every problem found.
    public func read(_ bytes: [UInt8], format: FHIRFormat) throws(FHIRFormatError) -> Element {
        switch format {
        case .json: try FHIRJSONReader(registry: registry, limits: limits).readResource(bytes)
        case .xml: try FHIRXMLReader(registry: registry, limits: limits).readResource(bytes)
        }
    }

    /// Writes one resource in `format`.
    public func write(_ resource: Element, format: FHIRFormat, pretty: Bool = false) -> [UInt8] {
        switch format {
        case .json: FHIRJSONWriter(registry: registry, pretty: pretty).write(resource)
        case .xml: FHIRXMLWriter(registry: registry, pretty: pretty).write(resource)
        }
    }
}
