import ArgumentParser
import FHIRModel
import FHIRValidation
import Foundation

/// `booking-gateway validate FILE...`: validates resources against the core definitions and profiles.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate FHIR resources (JSON or XML) against the R4 definitions and profiles.",
        discussion: """
            Text output: one line per issue, `FILE: SEVERITY LOCATION [LINE:COL]: MESSAGE`. JSON output: the
            OperationOutcome of one file, or for several files a `collection` Bundle with one OperationOutcome
            entry per file (fullUrl = the file's URL). Invariants are evaluated with the FHIRPath engine. A
            `.ndjson` file holds one JSON resource per line (Bulk Data); its issues carry the file's line numbers.
            Exit status 1 when any error or fatal issue is found or a file cannot be read.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument {
        case text, json
    }

    @Argument(help: "Files to validate (format from the extension: .json, .xml or .ndjson).") var files: [String]
    @Option(name: .customLong("profile"), help: "Also validate against this profile (canonical URL); repeatable.")
    var profileURLs: [String] = []
    @Option(
        name: .customLong("profiles"),
        help: "Folder (or file) of StructureDefinitions, ValueSets and CodeSystems to load; repeatable.")
    var profileFolders: [String] = []
    @Option(help: "Output: text or json.") var format: OutputFormat = .text
    @Flag(help: "Report extensions with an unknown URL as errors (as the HL7 Java validator does), not warnings.")
    var strictExtensions = false
    @OptionGroup var profiles: ProfilesOption

    func run() throws {
        let registry = try loadRegistry(profiles)
        let validator: Validator
        do {
            validator = try Validator.withFHIRPath(
                registry: registry, structures: profiles.structures.map { URL(fileURLWithPath: $0) },
                extraFolders: profileFolders.map { URL(fileURLWithPath: $0) },
                options: ValidationOptions(unknownExtensionSeverity: strictExtensions ? .error : .warning))
        } catch {
            throw CLIError("cannot load the definitions: \(error)")
        }
        for skipped in validator.store.skipped { printError("warning: not loaded: \(skipped)") }
        var failed = false
        var outcomes: [(file: String, issues: [ValidationIssue])] = []
        for file in files {
            let ndjson = (file as NSString).pathExtension.lowercased() == "ndjson"
            let format = FHIRFormat(fileExtension: (file as NSString).pathExtension)
            guard ndjson || format != nil else {
                printError("\(file): cannot tell the format (use .json, .xml or .ndjson)")
                failed = true
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("\(file): cannot read the file")
                failed = true
                continue
            }
            let issues =
                if let format {
                    validator.validate(bytes: Array(data), format: format, registry: registry, profiles: profileURLs)
                } else {
                    validator.validate(ndjson: Array(data), registry: registry, profiles: profileURLs)
                }
            if issues.contains(where: \.isError) { failed = true }
            outcomes.append((file, issues))
        }
        switch format {
        case .text:
            for o in outcomes {
                if o.issues.isEmpty { print("\(o.file): no issues") }
                for i in o.issues {
                    let position = i.line.map { l in i.column.map { " [\(l):\($0)]" } ?? " [\(l)]" } ?? ""
                    print("\(o.file): \(i.severity.rawValue) \(i.expression)\(position): \(i.message)")
                }
            }
        case .json:
            let writer = FHIRJSONWriter(registry: registry, pretty: true)
            let out: Element
            if outcomes.count == 1 {
                out = OperationOutcomeResource(validationIssues: outcomes[0].issues).element
            } else {
                var bundle = Element.resource("Bundle")
                bundle.setPrimitive("type", type: "code", "collection")
                for o in outcomes {
                    var resource = OperationOutcomeResource(validationIssues: o.issues).element
                    resource.name = "resource"
                    let fullUrl = URL(fileURLWithPath: o.file).absoluteString
                    bundle.children.append(
                        Element(
                            name: "entry", type: "BackboneElement",
                            children: [Element(name: "fullUrl", type: "uri", value: fullUrl), resource]))
                }
                out = bundle
            }
            FileHandle.standardOutput.write(Data(writer.write(out) + [0x0A]))
        }
        if failed { throw ExitCode(1) }
    }
}
