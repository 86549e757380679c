import FHIRModel

extension Validator {
    /// Reads `bytes` (JSON or XML) and validates the resource. Reader issues (syntax, unknown elements, bad
    /// primitives) come back as error issues with their line and column, and stop the validation there. For JSON,
    /// every issue gets the line and column of its element (or of its nearest existing ancestor); XML issues
    /// found on the tree have none.
    public func validate(
        bytes: [UInt8], format: FHIRFormat, registry: StructureRegistry, profiles: [String] = [],
        limits: ReaderLimits = .default
    ) -> [ValidationIssue] {
        do {
            let resource = try FHIRCodec(registry: registry, limits: limits).read(bytes, format: format)
            let issues = validate(resource, profiles: profiles)
            return format == .json ? JSONSourcePositions.locate(issues, json: bytes) : issues
        } catch {
            return error.issues.map(ValidationIssue.init(parseIssue:))
        }
    }
}
