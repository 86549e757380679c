import FHIRModel

extension Validator {
    /// Reads `bytes` (JSON or XML) and validates the resource. Reader issues (syntax, unknown elements, bad
    /// primitives) come back as error issues with their line and column, and stop the validation there.
    public func validate(
        bytes: [UInt8], format: FHIRFormat, registry: StructureRegistry, profiles: [String] = [],
        limits: ReaderLimits = .default
    ) -> [ValidationIssue] {
        do {
            let resource = try FHIRCodec(registry: registry, limits: limits).read(bytes, format: format)
            return validate(resource, profiles: profiles)
        } catch {
            return error.issues.map(ValidationIssue.init(parseIssue:))
        }
    }
}
