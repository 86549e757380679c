import FHIRModel
import FHIRPath
import Foundation

/// `memberOf()` for the FHIRPath engine, answered from the validator's offline terminology
/// (``ProfileStore/terminology``).
///
/// A `code` (or a System string) is looked up by code, a `Coding` by system and code, a `CodeableConcept`
/// holds when one of its codings does. The answer is nil (empty in FHIRPath) when the value set is not known,
/// cannot be expanded offline, or the value has no code.
public struct TerminologyMembership: FHIRPathTerminology {
    public let terminology: Terminology

    public init(terminology: Terminology) {
        self.terminology = terminology
    }

    public func memberOf(_ value: FHIRPathValue, valueSetURL: String) -> Bool? {
        guard let content = terminology.valueSet(valueSetURL) else { return nil }
        let candidates: [Terminology.Candidate]
        switch value {
        case .string(let s): candidates = [(nil, s)]
        case .node(let e): candidates = Terminology.candidates(of: e)
        default: return nil
        }
        return candidates.isEmpty ? nil : content.contains(candidates)
    }
}

/// `conformsTo()` for the FHIRPath engine, answered by validating the element against the profile.
///
/// The element conforms when validating it against the profile (and its base definition) gives no error.
/// The nested validation evaluates invariants with `nestedEvaluator` (an engine without this checker, so a
/// `conformsTo()` inside a profile's invariant cannot recurse without end). Nil when the profile is not known,
/// or is a datatype profile other than a core type (only resources are validated on their own).
public struct ValidatorProfileChecker: FHIRPathProfileChecker {
    public let store: ProfileStore
    public let nestedEvaluator: (any ConstraintEvaluator)?
    public let options: ValidationOptions

    public init(store: ProfileStore, nestedEvaluator: (any ConstraintEvaluator)?, options: ValidationOptions = .init())
    {
        self.store = store
        self.nestedEvaluator = nestedEvaluator
        self.options = options
    }

    public func conformsTo(_ element: Element, profileURL: String) -> Bool? {
        guard let profile = store.profile(profileURL) else { return nil }
        if profile.kind != "resource" {
            // A datatype: core type definitions are answered by type (an Age is a Quantity), as the engine does;
            // constraint profiles are not checked.
            guard profile.derivation == "specialization" else { return nil }
            return element.type == profile.type || isSubtype(element.type, of: profile.type)
        }
        let url: [String]
        if profile.derivation == "specialization" {
            if element.type != profile.type { return isSubtype(element.type, of: profile.type) }
            url = []
        } else {
            if element.type != profile.type { return false }
            url = [profile.url]
        }
        let validator = Validator(store: store, evaluator: nestedEvaluator, options: options)
        return !validator.validate(element, profiles: url).contains(where: \.isError)
    }

    private func isSubtype(_ type: String, of ancestor: String) -> Bool {
        var current = store.coreByType[type]?.baseDefinition
        while let base = current, let p = store.profile(base) {
            if p.type == ancestor { return true }
            current = p.baseDefinition
        }
        return false
    }
}

extension FHIRPathConstraintEvaluator {
    /// An evaluator whose engine answers `memberOf()` from the store's terminology and `conformsTo()` by
    /// validating against the store's profiles (see ``ValidatorProfileChecker``).
    public init(structures: StructureRegistry, store: ProfileStore, options: ValidationOptions = .init()) {
        let terminology = TerminologyMembership(terminology: store.terminology)
        let nested = FHIRPathConstraintEvaluator(
            engine: FHIRPathEngine(structures: structures, terminology: terminology))
        let profiles = ValidatorProfileChecker(store: store, nestedEvaluator: nested, options: options)
        self.init(engine: FHIRPathEngine(structures: structures, terminology: terminology, profiles: profiles))
    }
}

extension Validator {
    /// A validator over `store` whose invariants are evaluated by the FHIRPath engine, with `memberOf()` and
    /// `conformsTo()` answered by the store's terminology and profiles.
    /// - Parameters:
    ///   - store: the loaded definitions.
    ///   - registry: the structure registry the FHIRPath engine uses for types.
    ///   - options: see ``ValidationOptions``.
    public static func withFHIRPath(
        store: ProfileStore, registry: StructureRegistry, options: ValidationOptions = .init()
    ) -> Validator {
        Validator(
            store: store,
            evaluator: FHIRPathConstraintEvaluator(structures: registry, store: store, options: options),
            options: options)
    }

    /// Loads the definitions and builds a validator with FHIRPath invariants and terminology in one call.
    /// - Parameters: as ``init(registry:structures:extraFolders:evaluator:options:)``.
    /// - Throws: ``ProfileStore/LoadError``, or `StructureRegistry.LoadError.directoryNotFound` without a folder.
    public static func withFHIRPath(
        registry: StructureRegistry, structures: URL? = nil, extraFolders: [URL] = [],
        options: ValidationOptions = .init()
    ) throws -> Validator {
        let base = try Validator(registry: registry, structures: structures, extraFolders: extraFolders)
        return withFHIRPath(store: base.store, registry: registry, options: options)
    }
}
