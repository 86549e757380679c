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
        // Contained resources left out (`validatesContainedResources` off): so is what the reader found in them.
        let readerIssues = read.issues.filter {
            options.validatesContainedResources || !$0.path.contains(".contained")
        }
        .map(ValidationIssue.init(parseIssue:))
        guard let resource = read.element else { return readerIssues }
        // A kept value the reader found invalid is reported once, by the reader (with its position).
        let invalid = Set(
            read.issues.filter { $0.code == .invalidPrimitive || $0.code == .invalidXHTML }.map(\.path))
        let issues = readerIssues + validate(resource, profiles: profiles, invalidValuePaths: invalid)
        return format == .json ? JSONSourcePositions.locate(issues, json: bytes) : issues
    }

    /// Validates NDJSON (one JSON resource per line, as in Bulk Data files): each line is read and validated as
    /// ``validate(bytes:format:registry:profiles:limits:)`` does, and its issues carry the file's line numbers (an
    /// issue without a position gets its resource's line). An empty line between resources is a warning (some
    /// processors refuse it); a final line break is not.
    public func validate(
        ndjson bytes: [UInt8], registry: StructureRegistry, profiles: [String] = [], limits: ReaderLimits = .default
    ) -> [ValidationIssue] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var issues: [ValidationIssue] = []
        for (i, raw) in lines.enumerated() {
            let line = raw.last == 0x0D ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                issues.append(
                    ValidationIssue(
                        severity: .warning, code: .informational,
                        message:
                            "The NDJSON source contains an empty line. This may not be accepted by some processors",
                        expression: "", line: i + 1))
                continue
            }
            for var issue in validate(
                bytes: Array(line), format: .json, registry: registry, profiles: profiles, limits: limits)
            {
                issue.line = issue.line.map { $0 + i } ?? i + 1
                issues.append(issue)
            }
        }
        return issues
    }
}
