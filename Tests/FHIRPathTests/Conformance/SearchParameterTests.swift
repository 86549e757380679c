import FHIRModel
import FHIRPath
import FHIRTestSupport
import Foundation
import Testing

/// The expressions of the 1,400 official R4 SearchParameters compile, and evaluate without error on every
/// official example of their base types (the HTTP server indexes resources with them).
@Suite struct SearchParameterTests {
    /// Definitions that are wrong themselves: `example-extension` has base Patient but an expression on
    /// DocumentReference (a semantic error on every Patient), and the QuestionnaireResponse item-subject
    /// parameter calls `hasExtension()`, which is not a FHIRPath function.
    static let brokenDefinitions: Set<String> = [
        "SearchParameter-example-extension.json",
        "SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json",
    ]

    @Test func officialSearchExpressionsEvaluateOnTheExamples() throws {
        let registry = Conformance.registry
        let engine = FHIRPathEngine(structures: registry)
        let reader = FHIRJSONReader(registry: registry)
        var examples: [String: [Element]] = [:]
        for name in Conformance.files(in: Conformance.examplesJSON, extension: "json") {
            let bytes = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent(name))
            if let r = try? reader.readResource(bytes) { examples[r.type, default: []].append(r) }
        }
        var compiled = 0
        var evaluated = 0
        var failures: [String] = []
        for file in Conformance.files(in: Conformance.definitions, extension: "json")
        where file.hasPrefix("SearchParameter-") {
            let data = try Data(contentsOf: Conformance.definitions.appendingPathComponent(file))
            guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let expression = json["expression"] as? String
            else { continue }
            do {
                _ = try engine.compile(expression)
                compiled += 1
            } catch {
                failures.append("\(file): \(error)")
                continue
            }
            for base in (json["base"] as? [String]) ?? [] {
                for resource in examples[base] ?? [] {
                    evaluated += 1
                    do {
                        _ = try engine.evaluate(expression, focus: resource)
                    } catch {
                        failures.append("\(file) on \(base)/\(resource.resourceID ?? "?"): \(error)")
                    }
                }
            }
        }
        print("search expressions: \(compiled) compiled, \(evaluated) evaluations, \(failures.count) failures")
        for f in failures.prefix(40) { print("  \(f)") }
        #expect(compiled > 1000)
        #expect(evaluated > 10000)
        let unexpected = failures.filter { f in !Self.brokenDefinitions.contains { f.hasPrefix($0) } }
        #expect(unexpected.isEmpty, "\(unexpected.prefix(20))")
        // Both broken definitions are still caught (the check is not vacuous).
        #expect(Self.brokenDefinitions.allSatisfy { b in failures.contains { $0.hasPrefix(b) } })
    }
}
