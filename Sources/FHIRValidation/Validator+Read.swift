import FHIRModel

extension Validator {
    /// Reads `bytes` (JSON or XML) and validates the resource. The read is lenient (``LenientRead``): reader
    /// issues (unknown elements, bad primitives, XML out of order) come back as error issues with their line and
    /// column, and the resource is validated anyway, as far as it could be read; only a document that cannot be
    /// read at all (syntax, encoding, size, an unknown resource type) gives the reader issues alone. For JSON, every
    /// issue gets the line and column of its element (or of its nearest existing ancestor); XML issues found on the
    /// tree have none.
    public func validate(
        bytes: [UInt8], format: FHIRFormat, registry: StructureRegistry, profiles: [String] = [],
        limits: ReaderLimits = .default
    ) -> [ValidationIssue] {
        let read = FHIRCodec(registry: registry, limits: limits).readLeniently(bytes, format: format)
        let readerIssues = read.issues.map(ValidationIssue.init(parseIssue:))
        guard let resource = read.element else { return readerIssues }
        // A kept value the reader found invalid is reported once, by the reader (with its position).
        let invalid = Set(
            read.issues.filter { $0.code == .invalidPrimitive || $0.code == .invalidXHTML }.map(\.path))
        let issues = readerIssues + validate(resource, profiles: profiles, invalidValuePaths: invalid)
        return format == .json ? JSONSourcePositions.locate(issues, json: bytes) : issues
    }
}
