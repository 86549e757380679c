import ArgumentParser
import FHIRMapping
import FHIRModel
import FHIRValidation
import Foundation

/// `booking-gateway profiles import`: derives profiles/r4/core from the official StructureDefinitions.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Manage the compact structure data in profiles/.",
        subcommands: [
            Import.self, Extensions.self, Terminology.self, CoreExtensions.self, CoreProfiles.self,
            SearchParameters.self,
        ]
    )

    struct Extensions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the StructureDefinitions of the project's extensions (profiles/booking-gateway)."
        )

        @Option(help: "Output folder.") var to: String = "profiles/booking-gateway"
        @OptionGroup var profiles: ProfilesOption

        func run() throws {
            let writer = FHIRJSONWriter(registry: try loadRegistry(profiles), pretty: true)
            try writeFiles(
                ExtensionCatalog.all.map {
                    ("StructureDefinition-\($0.id).json", writer.write(ExtensionCatalog.structureDefinition($0)))
                }, to: to)
            print("wrote \(ExtensionCatalog.all.count) extension definitions to \(to)")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Derive compact structure files from official StructureDefinitions (snapshot form)."
        )

        @Option(help: "Folder of the hl7.fhir.r4.core package (StructureDefinition-*.json).")
        var from: String = "../shared/conformance/r4/definitions"
        @Option(help: "Output folder.") var to: String = "profiles/r4/core"

        func run() throws {
            let files = try ProfileImporter().importDirectory(URL(fileURLWithPath: from))
            guard !files.isEmpty else { throw CLIError("no StructureDefinitions found in \(from)") }
            let out = URL(fileURLWithPath: to)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let keep = Set(files.map(\.name))
            for old in try FileManager.default.contentsOfDirectory(atPath: out.path)
            where old.hasSuffix(".json") && !keep.contains(old) {
                try FileManager.default.removeItem(at: out.appendingPathComponent(old))
            }
            try writeFiles(files.map { ($0.name, $0.bytes) }, to: to)
            print("wrote \(files.count) structure files to \(to)")
        }
    }

    struct Terminology: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Expand the official ValueSets and CodeSystems offline into profiles/r4/terminology."
        )

        @Option(help: "Folder of the hl7.fhir.r4.core package (ValueSet-*.json, CodeSystem-*.json).")
        var from: String = "../shared/conformance/r4/definitions"
        @Option(help: "Output folder.") var to: String = "profiles/r4/terminology"

        func run() throws {
            let bytes = try TerminologyImporter().importDirectory(URL(fileURLWithPath: from))
            try writeFiles([(TerminologyImporter.fileName, bytes)], to: to)
            print("wrote \(bytes.count) bytes of terminology to \(to)")
        }
    }

    struct CoreExtensions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "core-extensions",
            abstract: "Derive the compact core extension definitions (profiles/r4/extensions) for the validator."
        )

        @Option(help: "Folder of the hl7.fhir.r4.core package (StructureDefinition-*.json).")
        var from: String = "../shared/conformance/r4/definitions"
        @Option(help: "Output folder.") var to: String = "profiles/r4/extensions"

        func run() throws {
            let bytes = try ProfileImporter().importExtensions(URL(fileURLWithPath: from))
            try writeFiles([("extensions.ndjson", bytes)], to: to)
            print("wrote \(bytes.count) bytes of extension definitions to \(to)")
        }
    }
}

extension ProfilesCommand {
    struct CoreProfiles: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "core-profiles",
            abstract:
                "Derive the compact core constraint profiles (vital signs, SimpleQuantity…) into profiles/r4/profiles."
        )

        @Option(help: "Folder of the hl7.fhir.r4.core package (StructureDefinition-*.json).")
        var from: String = "../shared/conformance/r4/definitions"
        @Option(help: "Output folder.") var to: String = "profiles/r4/profiles"

        func run() throws {
            let bytes = try ProfileImporter().importConstraintProfiles(URL(fileURLWithPath: from))
            try writeFiles([("profiles.ndjson", bytes)], to: to)
            print("wrote \(bytes.count) bytes of constraint profiles to \(to)")
        }
    }
}

extension ProfilesCommand {
    struct SearchParameters: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search-parameters",
            abstract: "Derive the compact core SearchParameters (url, code, type, base) into profiles/r4/search."
        )

        @Option(help: "Folder of the hl7.fhir.r4.core package (SearchParameter-*.json).")
        var from: String = "../shared/conformance/r4/definitions"
        @Option(help: "Output folder.") var to: String = "profiles/r4/search"

        func run() throws {
            let bytes = try ProfileImporter().importSearchParameters(URL(fileURLWithPath: from))
            try writeFiles([("search-parameters.ndjson", bytes)], to: to)
            print("wrote \(bytes.count) bytes of search parameters to \(to)")
        }
    }
}

/// Writes derived files into `folder` (created when missing), each atomically.
func writeFiles(_ files: [(name: String, bytes: [UInt8])], to folder: String) throws {
    let out = URL(fileURLWithPath: folder)
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    for f in files { try Data(f.bytes).write(to: out.appendingPathComponent(f.name), options: .atomic) }
}
