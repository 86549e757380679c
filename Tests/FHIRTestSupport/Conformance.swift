import FHIRModel
import Foundation

/// Locations of the repository and of the shared HL7 conformance material (`../shared/conformance` beside
/// the clone, or `$FHIR_CONFORMANCE_DIR`). The product never reads these; only tests do.
public enum Conformance {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static let directory: URL = {
        if let env = ProcessInfo.processInfo.environment["FHIR_CONFORMANCE_DIR"] {
            return URL(fileURLWithPath: env)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")
    }()

    public static var examplesJSON: URL { directory.appendingPathComponent("r4/examples/json") }
    public static var examplesXML: URL { directory.appendingPathComponent("r4/examples/xml") }
    public static var definitions: URL { directory.appendingPathComponent("r4/definitions") }
    public static var schema: URL { directory.appendingPathComponent("r4/schema/fhir-single.xsd") }

    /// The committed structure data.
    public static var structures: URL { repositoryRoot.appendingPathComponent("profiles/r4") }

    /// The registry loaded once for all tests.
    public static let registry: StructureRegistry = {
        do {
            return try StructureRegistry.load(from: structures)
        } catch {
            fatalError("cannot load \(structures.path): \(error)")
        }
    }()

    /// File names (sorted) in `dir` with the given extension.
    public static func files(in dir: URL, extension ext: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix("." + ext) }
            .sorted()
    }

    public static func bytes(_ url: URL) -> [UInt8] {
        (try? Array(Data(contentsOf: url))) ?? []
    }
}
