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

    /// Reads one resource in `format` without refusing it: see ``LenientRead``.
    public func readLeniently(_ bytes: [UInt8], format: FHIRFormat) -> LenientRead {
        switch format {
        case .json: FHIRJSONReader(registry: registry, limits: limits).readResourceLeniently(bytes)
        case .xml: FHIRXMLReader(registry: registry, limits: limits).readResourceLeniently(bytes)
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

/// A resource read without refusing it, for validators that report problems rather than stop at them: every
/// issue the strict read reports, and the tree built anyway (nil only when the document cannot be read at all:
/// syntax, size, depth, encoding, an unknown resource type). Unknown elements and values of the wrong JSON type
/// are left out; a primitive whose text breaks its type's lexical rules is kept with that text (an empty one
/// without a value, as is an XML primitive with neither a value nor extensions), so is JSON narrative XHTML that is
/// not well-formed, and XML elements out of order are put in definition order.
public struct LenientRead: Sendable {
    public var element: Element?
    public var issues: [ParseIssue]

    public init(element: Element?, issues: [ParseIssue]) {
        self.element = element
        self.issues = issues
    }
}

/// A wire format's reader: one pass that keeps invalid values (lenient) or not (strict).
public protocol ResourceReader: Sendable {
    func read(_ bytes: [UInt8], keepsInvalidValues: Bool) throws(FHIRFormatError) -> LenientRead
}

extension ResourceReader {
    /// Reads one resource.
    /// - Throws: ``FHIRFormatError`` with every problem found.
    public func readResource(_ bytes: [UInt8]) throws(FHIRFormatError) -> Element {
        let read = try read(bytes, keepsInvalidValues: false)
        guard let element = read.element, !read.issues.contains(where: { $0.severity != .warning }) else {
            throw FHIRFormatError(issues: read.issues)
        }
        return element
    }

    /// Reads one resource and returns it with every issue instead of refusing it (see ``LenientRead``).
    public func readResourceLeniently(_ bytes: [UInt8]) -> LenientRead {
        do {
            return try read(bytes, keepsInvalidValues: true)
        } catch {
            return LenientRead(element: nil, issues: error.issues)
        }
    }
}
