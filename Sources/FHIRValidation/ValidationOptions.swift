/// Choices that change what the ``Validator`` reports.
public struct ValidationOptions: Sendable, Hashable {
    /// Severity of an extension whose URL is not known (no definition loaded), outside the core
    /// `http://hl7.org/fhir/StructureDefinition/` namespace (unknown ones there are always a warning: they belong to
    /// later FHIR versions; the R4 core extensions are bundled and checked). Default `.warning` (the official examples use example-domain extensions); `.error` is what the
    /// HL7 Java validator's outcomes in the validator test cases show ("could not be found so is not allowed
    /// here"), and what the test-case runner uses.
    public var unknownExtensionSeverity: ValidationIssue.Severity

    /// Severity of markdown that contains what looks like an HTML tag (it will, or should, be escaped when shown).
    /// Default `.warning`, as decided in FHIR-38714; `.error` where HTML in markdown is forbidden (the Java
    /// validator's `noHtmlInMarkdown` setting).
    public var htmlInMarkdownSeverity: ValidationIssue.Severity

    /// Whether the resource type named by an unresolved reference URL (`Group/1`, not contained, not in the Bundle)
    /// is checked against the element's target profiles. Default `true`; `false` is the Java validator's default,
    /// which checks that type only with its `assumeValidRestReferences` setting.
    public var checkReferenceURLTargetTypes: Bool

    /// Whether uri, url and canonical values may point at the example domains (`example.org`, `acme.com`).
    /// Default `true`; `false` reports them as errors, as the Java validator does outside specification
    /// (examples) mode ("Example URLs are not allowed in this context").
    public var allowsExampleURLs: Bool

    /// Whether contained resources are validated. Default `true`; `false` is the Java validator's
    /// `validateContains: IGNORE`: contained resources are skipped, with what the reader found inside them and the
    /// contained-resource rules (dom-2 to dom-5).
    public var validatesContainedResources = true

    /// Whether a relative (`Patient/1`) or `urn:` reference inside a Bundle or a Parameters must resolve to one of
    /// its resources. Default `false` (a reference may name a resource held elsewhere); `true` suits payloads that
    /// must be self-contained, and is the Java validator's `validateReference: CHECK_EXISTS_AND_TYPE` for such
    /// references ("Unable to resolve resource with reference"). Absolute URLs are not fetched.
    public var requiresLocalReferencesToResolve = false

    /// Profiles for entries of a Bundle being validated (the Java validator's `-bundle` parameter): `rule` is a
    /// resource type (every entry of that type) or `Type:n` (the n-th entry of that type, from 0).
    public var bundleRules: [BundleRule] = []

    public struct BundleRule: Sendable, Hashable {
        public var rule: String
        public var profile: String

        public init(rule: String, profile: String) {
            self.rule = rule
            self.profile = profile
        }
    }

    public init(
        unknownExtensionSeverity: ValidationIssue.Severity = .warning,
        htmlInMarkdownSeverity: ValidationIssue.Severity = .warning,
        checkReferenceURLTargetTypes: Bool = true,
        allowsExampleURLs: Bool = true
    ) {
        self.allowsExampleURLs = allowsExampleURLs
        self.unknownExtensionSeverity = unknownExtensionSeverity
        self.htmlInMarkdownSeverity = htmlInMarkdownSeverity
        self.checkReferenceURLTargetTypes = checkReferenceURLTargetTypes
    }
}
