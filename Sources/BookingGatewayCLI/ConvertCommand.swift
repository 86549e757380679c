import ArgumentParser
import FHIRModel
import Foundation

/// `booking-gateway convert IN OUT`: JSON <-> XML, exits non-zero with the issue list on bad input.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a FHIR resource between JSON and XML (use - for stdin/stdout)."
    )

    @Argument(help: "Input file (- for standard input).") var input: String
    @Argument(help: "Output file (- for standard output).") var output: String
    @Option(help: "Input format: json or xml (default: from the input file's extension).") var from: FHIRFormat?
    @Option(help: "Output format: json or xml (default: from the output file's extension).") var to: FHIRFormat?
    @Flag(help: "Compact output (default: pretty).") var compact = false
    @Option(help: "Largest input accepted, in bytes.") var maxBytes: Int = ReaderLimits.default.maxBytes
    @Option(help: "Deepest nesting accepted.") var maxDepth: Int = ReaderLimits.default.maxDepth
    @OptionGroup var profiles: ProfilesOption

    func run() throws {
        guard let inFormat = from ?? FHIRFormat(fileExtension: (input as NSString).pathExtension) else {
            throw ValidationError("cannot tell the input format of '\(input)': use --from json|xml")
        }
        guard let outFormat = to ?? FHIRFormat(fileExtension: (output as NSString).pathExtension) else {
            throw ValidationError("cannot tell the output format of '\(output)': use --to json|xml")
        }
        let registry = try loadRegistry(profiles)
        let bytes: [UInt8]
        do {
            bytes =
                input == "-"
                ? Array(FileHandle.standardInput.readDataToEndOfFile())
                : Array(try Data(contentsOf: URL(fileURLWithPath: input)))
        } catch {
            throw CLIError("cannot read \(input): \(error.localizedDescription)")
        }
        let codec = FHIRCodec(registry: registry, limits: ReaderLimits(maxBytes: maxBytes, maxDepth: maxDepth))
        let resource: Element
        do {
            resource = try codec.read(bytes, format: inFormat)
        } catch {
            for issue in error.issues { printError("\(input): \(issue)") }
            throw ExitCode(1)
        }
        let out = codec.write(resource, format: outFormat, pretty: !compact)
        if output == "-" {
            FileHandle.standardOutput.write(Data(out))
        } else {
            do {
                try Data(out).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CLIError("cannot write \(output): \(error.localizedDescription)")
            }
        }
    }
}

extension FHIRFormat: ExpressibleByArgument {}

/// A failure the CLI reports as one line on stderr with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func loadRegistry(_ options: ProfilesOption) throws -> StructureRegistry {
    do {
        if let dir = options.structures { return try StructureRegistry.load(from: URL(fileURLWithPath: dir)) }
        return try StructureRegistry.loadDefault()
    } catch {
        throw CLIError("\(error) (set --structures or BOOKING_GATEWAY_PROFILES)")
    }
}
