import FHIRModel
import Foundation

/// Every definition the validator knows: the core types (profiles/r4/core), the core extension definitions
/// (profiles/r4/extensions), the project's own extensions
/// (profiles/booking-gateway), the terminology data (profiles/r4/terminology), and StructureDefinitions,
/// ValueSets and CodeSystems from extra folders (a regional IG, a test case's own profiles), JSON or XML.
///
/// Built once at start-up and shared read-only.
public final class ProfileStore: Sendable {
    /// Profiles by canonical URL (without version).
    public let profilesByURL: [String: Profile]
    /// The core definition of each type, by type name.
    public let coreByType: [String: Profile]
    public let terminology: Terminology
    /// Files of extra folders that could not be used, with the reason (reported, not fatal).
    public let skipped: [String]
    /// Profiles every resource of a type must conform to (`ImplementationGuide.global` of loaded guides), by
    /// resource type.
    public let globalProfiles: [String: [String]]
    /// SearchParameters by canonical URL (without version): the core ones (profiles/r4/search) and those of the
    /// extra folders.
    public let searchParameters: [String: SearchParameterDefinition]

    init(
        profilesByURL: [String: Profile], coreByType: [String: Profile], terminology: Terminology, skipped: [String],
        globalProfiles: [String: [String]] = [:], searchParameters: [String: SearchParameterDefinition] = [:]
    ) {
        self.globalProfiles = globalProfiles
        self.searchParameters = searchParameters
        self.profilesByURL = profilesByURL
        self.coreByType = coreByType
        self.terminology = terminology
        self.skipped = skipped
    }

    /// The profile with canonical `url` (a `|version` suffix is ignored).
    public func profile(_ url: String) -> Profile? {
        profilesByURL[Terminology.unversioned(url)]
    }

    /// Errors that stop loading.
    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(file: String, reason: String)
        public var description: String {
            switch self {
            case .unreadable(let f, let r): "cannot read \(f): \(r)"
            }
        }
    }

    /// Loads the definitions.
    /// - Parameters:
    ///   - directory: the structure folder (`profiles/r4`, holding `core/` and `terminology/`); the project's
    ///     extensions are read from `../booking-gateway` beside it when present.
    ///   - extraFolders: folders (searched recursively) or single files of StructureDefinitions, ValueSets and
    ///     CodeSystems, JSON or XML; other resources are ignored.
    ///   - registry: the structure registry, used to read XML definitions.
    /// - Throws: ``LoadError`` when a core file cannot be read. Unusable extra files are listed in ``skipped``.
    public static func load(directory: URL, extraFolders: [URL] = [], registry: StructureRegistry) throws
        -> ProfileStore
    {
        var loader = DefinitionLoader(registry: registry)
        try loader.loadCore(directory.appendingPathComponent("core"))
        try loader.loadCompactConstraints(
            directory.appendingPathComponent("extensions").appendingPathComponent("extensions.ndjson"))
        try loader.loadCompactConstraints(
            directory.appendingPathComponent("profiles").appendingPathComponent("profiles.ndjson"))
        try loader.loadSearchParameters(
            directory.appendingPathComponent("search").appendingPathComponent("search-parameters.ndjson"))
        let project = directory.deletingLastPathComponent().appendingPathComponent("booking-gateway")
        loader.loadResources(in: [project])
        loader.loadResources(in: extraFolders)
        let terminology = try Terminology.load(
            file: directory.appendingPathComponent("terminology").appendingPathComponent(TerminologyImporter.fileName)
        ).adding(valueSets: loader.valueSets, codeSystems: loader.codeSystems)
        let profiles = loader.compileProfiles()
        return ProfileStore(
            profilesByURL: profiles, coreByType: loader.core, terminology: terminology, skipped: loader.skipped,
            globalProfiles: loader.globalProfiles, searchParameters: loader.searchParameters)
    }

    /// A store with these definitions plus those of `locations` (folders or files); the core is shared, not
    /// reloaded. Profiles already known are kept; new ones may build on them.
    public func adding(_ locations: [URL], registry: StructureRegistry) -> ProfileStore {
        var loader = DefinitionLoader(registry: registry)
        loader.core = coreByType
        loader.known = profilesByURL
        loader.searchParameters = searchParameters
        loader.globalProfiles = globalProfiles
        loader.loadResources(in: locations)
        let terminology = terminology.adding(valueSets: loader.valueSets, codeSystems: loader.codeSystems)
        let profiles = loader.compileProfiles()
        return ProfileStore(
            profilesByURL: profiles, coreByType: coreByType, terminology: terminology,
            skipped: skipped + loader.skipped,
            globalProfiles: loader.globalProfiles, searchParameters: loader.searchParameters)
    }
}

/// What the validator knows of a SearchParameter: enough to check a CapabilityStatement's search parameters and a
/// SearchParameter derived from another.
public struct SearchParameterDefinition: Sendable, Hashable {
    public var url: String
    public var code: String
    public var type: String
    public var base: [String]

    /// From a SearchParameter resource or a line of profiles/r4/search (JSON form).
    init?(json: JSONValue) {
        guard let url = json["url"]?.value.stringValue, let code = json["code"]?.value.stringValue,
            let type = json["type"]?.value.stringValue
        else { return nil }
        self.url = Terminology.unversioned(url)
        self.code = code
        self.type = type
        self.base = json["base"]?.value.arrayValue?.compactMap { $0.value.stringValue } ?? []
    }
}
