import FHIRModel
import FHIRValidation
import HTTPTypes

/// What the gateway does with resources written to it (create, update, patch, transaction and batch entries).
public enum ValidationPolicy: String, Sendable, CaseIterable {
    /// Not validated (the readers' structural checks still apply).
    case off
    /// Validated; problems are reported (`Prefer: return=OperationOutcome`) but the write goes ahead.
    case warn
    /// Validated; a resource with an error is refused with 422 and the OperationOutcome of its issues.
    case reject
}

/// The validator and the policy the write interactions apply.
public struct WriteValidation: Sendable {
    public let validator: Validator
    public let policy: ValidationPolicy

    public init(validator: Validator, policy: ValidationPolicy) {
        self.validator = validator
        self.policy = policy
    }

    /// The issues worth returning after a write went through (warnings and errors under warn; no information).
    static func reported(_ issues: [ValidationIssue]) -> [OperationOutcomeResource.Issue] {
        let kept = issues.filter { $0.severity != .information }
        return kept.isEmpty ? [] : OperationOutcomeResource(validationIssues: kept).issues
    }

    /// Validates `resource` under the policy: throws 422 (reject, with errors), else returns the issues found.
    func check(_ resource: Element) throws(FHIRError) -> [ValidationIssue] {
        guard policy != .off else { return [] }
        let issues = validator.validate(resource)
        if policy == .reject, issues.contains(where: \.isError) {
            var error = FHIRError(
                .unprocessableContent, code: "processing", "the \(resource.type) does not conform to its profile")
            error.issues =
                OperationOutcomeResource(validationIssues: issues.filter { $0.severity != .information })
                .issues
            throw error
        }
        return issues
    }
}
