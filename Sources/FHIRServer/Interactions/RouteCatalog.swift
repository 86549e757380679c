import Synchronization

/// What the server routes, recorded by the interactions as they register, so that the CapabilityStatement
/// is generated from the routes themselves and cannot drift.
public final class RouteCatalog: Sendable {
    public struct SearchParameter: Sendable, Hashable {
        public var name: String
        public var type: String
        public var documentation: String
    }

    public struct ResourceEntry: Sendable {
        public var interactions: [String] = []
        public var searchParameters: [SearchParameter] = []
        public var operations: [OperationSpec] = []
        /// CapabilityStatement.rest.resource flags set by the interactions that implement them: `readHistory`,
        /// `updateCreate`, `conditionalCreate`, `conditionalUpdate`, `conditionalDelete`.
        public var flags: [String: String] = [:]
    }

    private let entries = Mutex<[String: ResourceEntry]>([:])
    private let systemInteractions = Mutex<[String]>([])
    private let systemOperations = Mutex<[OperationSpec]>([])

    /// Operations invoked on the base (`/fhir/$bulk-publish`).
    public func addSystem(operation: OperationSpec) {
        systemOperations.withLock { $0.append(operation) }
    }

    public var systemOperationSpecs: [OperationSpec] { systemOperations.withLock { $0 } }

    public init() {}

    public func add(_ type: String, interaction: String) {
        entries.withLock { e in
            if !(e[type]?.interactions.contains(interaction) ?? false) {
                e[type, default: ResourceEntry()].interactions.append(interaction)
            }
        }
    }

    public func set(_ type: String, _ flag: String, _ value: String) {
        entries.withLock { e in e[type, default: ResourceEntry()].flags[flag] = value }
    }

    public func add(_ type: String, searchParameters: [SearchParameter]) {
        entries.withLock { e in e[type, default: ResourceEntry()].searchParameters += searchParameters }
    }

    public func add(_ type: String, operation: OperationSpec) {
        entries.withLock { e in e[type, default: ResourceEntry()].operations.append(operation) }
    }

    /// Every routed operation, once (an operation on several types is listed once).
    public var operations: [OperationSpec] {
        var seen = Set<String>()
        return (resources.flatMap(\.entry.operations) + systemOperationSpecs).filter { seen.insert($0.id).inserted }
    }

    public func addSystem(_ interaction: String) {
        systemInteractions.withLock { $0.append(interaction) }
    }

    public var systemInteractionCodes: [String] { systemInteractions.withLock { $0 } }

    public var resources: [(type: String, entry: ResourceEntry)] {
        entries.withLock { e in e.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }
}
