import FHIRModel

/// The state of one validation: the issues found so far and where the walk is (resource, Bundle).
struct ValidationRun {
    let store: ProfileStore
    let evaluator: (any ConstraintEvaluator)?
    let options: ValidationOptions
    /// The outermost resource (`%rootResource`).
    let root: Element
    var issues: [ValidationIssue] = []
    var skippedInvariants = 0
    /// The resource whose elements are being walked (`%resource`).
    var resource: Element
    /// The Bundle being walked, indexed by fullUrl, when inside one.
    var bundle: BundleIndex?
    /// The fullUrl of the Bundle entry whose resource is being walked.
    var entryFullURL: String?
    /// Ids of the contained resources of the current resource, with their types.
    var containedTypes: [String: String] = [:]
    /// Where the current resource sits (`Bundle.entry[0].resource`), to give paths relative to it.
    var resourcePath = ""
    /// The resource holding the contained resources `#id` references resolve in.
    var containerHost: Element
    /// URLs of the extensions whose values are being walked (for `extension` contexts).
    var extensionURLs: [String] = []
    /// The canonical URL of the definition the current resource is being checked against (core or profile): a
    /// cardinality finding names it, since a resource checked against its core definition and a profile can
    /// break both.
    var definitionURL = ""
    /// Nesting depth guard against pathological recursion (content references, profiles naming themselves).
    var depth = 0
    /// Reader paths of primitive values already reported as lexically invalid (lenient reads).
    var invalidValuePaths: Set<String> = []
    /// Profiles the options' bundle rules give the entries of the validated Bundle, by their resource's path.
    var bundleRuleProfiles: [String: [Profile]] = [:]

    init(
        store: ProfileStore, evaluator: (any ConstraintEvaluator)?, options: ValidationOptions = .init(), root: Element
    ) {
        self.store = store
        self.evaluator = evaluator
        self.options = options
        self.root = root
        self.resource = root
        self.containerHost = root
    }

    mutating func report(
        _ severity: ValidationIssue.Severity, _ code: ValidationIssue.Code, _ message: String, at path: String,
        key: String? = nil
    ) {
        issues.append(
            ValidationIssue(severity: severity, code: code, message: message, expression: path, constraintKey: key))
    }

    /// The issues without duplicates (a resource checked against its base and a profile reports shared problems
    /// once), in discovery order.
    func finishedIssues() -> [ValidationIssue] {
        var seen: Set<ValidationIssue> = []
        return issues.filter { seen.insert($0).inserted }
    }

    /// Whether `type` is a resource type.
    func isResourceType(_ type: String) -> Bool {
        store.coreByType[type]?.kind == "resource"
    }

    func isPrimitiveType(_ type: String) -> Bool {
        store.coreByType[type]?.kind == "primitive-type"
    }
}
