import ArgumentParser
import FHIRModel
import FHIRPath
import Foundation

/// `booking-gateway fhirpath EXPRESSION [FILE]`: evaluates FHIRPath on a resource and prints the result
/// collection as a JSON array of `{"type", "value"}` objects.
struct FHIRPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhirpath",
        abstract: "Evaluate a FHIRPath expression on a FHIR resource (JSON or XML) and print the result as JSON."
    )

    @Argument(help: "The FHIRPath expression.") var expression: String
    @Argument(help: "Resource file, JSON or XML (default: standard input; - also means standard input).")
    var file: String = "-"
    @Option(help: "Input format: json or xml (default: from the extension, else from the content).")
    var format: FHIRFormat?
    @OptionGroup var profiles: ProfilesOption

    func run() throws {
        let registry = try loadRegistry(profiles)
        let bytes: [UInt8]
        do {
            bytes =
                file == "-"
                ? Array(FileHandle.standardInput.readDataToEndOfFile())
                : Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw CLIError("cannot read \(file): \(error.localizedDescription)")
        }
        let inputFormat = format ?? FHIRFormat(fileExtension: (file as NSString).pathExtension) ?? Self.sniff(bytes)
        let resource: Element
        do {
            resource = try FHIRCodec(registry: registry).read(bytes, format: inputFormat)
        } catch {
            for issue in error.issues { printError("\(file == "-" ? "stdin" : file): \(issue)") }
            throw ExitCode(1)
        }
        let engine = FHIRPathEngine(structures: registry)
        let result: [FHIRPathValue]
        do {
            result = try engine.evaluate(expression, focus: resource)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        let array = JSONValue.array(result.map { JSONNode($0.json(structures: registry)) })
        var out = array.serialized(pretty: true)
        if out.last != 0x0A { out.append(0x0A) }
        FileHandle.standardOutput.write(Data(out))
    }

    /// JSON when the first non-blank byte is `{`, XML otherwise.
    static func sniff(_ bytes: [UInt8]) -> FHIRFormat {
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return first == UInt8(ascii: "{") ? .json : .xml
    }
}
