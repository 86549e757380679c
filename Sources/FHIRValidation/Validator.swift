import FHIRModel
import Foundation

/// Validates resources (element trees) against their base definition and against profiles.
///
/// Built once (loading the definitions is the expensive part) and shared: it is immutable and `Sendable`.
/// ```swift
/// // Invariants through the FHIRPath engine, memberOf()/conformsTo() answered by the loaded terminology/profiles:
/// let validator = try Validator.withFHIRPath(registry: registry, structures: dir, extraFolders: [igDir])
/// let issues = validator.validate(resource, profiles: ["http://example.org/StructureDefinition/my-patient"])
/// let outcome = OperationOutcomeResource(validationIssues: issues)
/// ```
public final class Validator: Sendable {
    public let store: ProfileStore
    public let evaluator: (any ConstraintEvaluator)?
    public let options: ValidationOptions

    /// A validator over an already loaded ``ProfileStore``.
    public init(
        store: ProfileStore, evaluator: (any ConstraintEvaluator)? = nil, options: ValidationOptions = .init()
    ) {
        self.store = store
        self.evaluator = evaluator
        self.options = options
    }

    /// Loads the definitions and builds the validator.
    /// - Parameters:
    ///   - registry: the structure registry (used to read XML definitions).
    ///   - structures: the structure folder, `profiles/r4` (with `core/` and `terminology/`); default: the
    ///     registry's default folder.
    ///   - extraFolders: folders or files of StructureDefinitions, ValueSets and CodeSystems (JSON or XML).
    ///   - evaluator: the invariant evaluator; nil skips invariants (one information issue per validation).
    ///   - options: see ``ValidationOptions`` (defaults follow the HL7 Java validator).
    /// - Throws: ``ProfileStore/LoadError``, or `StructureRegistry.LoadError.directoryNotFound` without a folder.
    public convenience init(
        registry: StructureRegistry, structures: URL? = nil, extraFolders: [URL] = [],
        evaluator: (any ConstraintEvaluator)? = nil, options: ValidationOptions = .init()
    ) throws {
        guard let dir = structures ?? StructureRegistry.defaultDirectory() else {
            throw StructureRegistry.LoadError.directoryNotFound("profiles/r4")
        }
        self.init(
            store: try ProfileStore.load(directory: dir, extraFolders: extraFolders, registry: registry),
            evaluator: evaluator, options: options)
    }

    /// Validates `resource` against its type's base definition, the profiles named in its `meta.profile`, and
    /// `profiles` (canonical URLs). Unknown profile URLs are reported (error for `profiles`, warning for
    /// `meta.profile`). Issues come in document order of discovery, duplicates removed.
    public func validate(_ resource: Element, profiles: [String] = []) -> [ValidationIssue] {
        validate(resource, profiles: profiles, invalidValuePaths: [])
    }

    /// `invalidValuePaths`: the reader's paths (`Observation.valueDateTime`) of primitive values it reported as
    /// lexically invalid and kept; they are not reported again.
    func validate(_ resource: Element, profiles: [String], invalidValuePaths: Set<String>) -> [ValidationIssue] {
        var run = ValidationRun(store: store, evaluator: evaluator, options: options, root: resource)
        run.invalidValuePaths = invalidValuePaths
        var chosen: [Profile] = []
        for url in profiles {
            if let p = store.profile(url) {
                chosen.append(p)
            } else {
                run.report(.error, .notFound, "Profile \(url) is not known, so it cannot be checked", at: resource.type)
            }
        }
        run.validateResource(resource, path: resource.type, extraProfiles: chosen)
        if evaluator == nil && run.skippedInvariants > 0 {
            run.report(
                .information, .notSupported,
                "\(run.skippedInvariants) invariant checks were skipped: no FHIRPath evaluator is configured",
                at: resource.type)
        }
        return run.finishedIssues()
    }
}
