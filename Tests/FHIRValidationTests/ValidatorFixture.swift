import FHIRModel
import FHIRPath
import FHIRTestSupport
import FHIRValidation
import Foundation

/// One validator (invariants through the FHIRPath engine) loaded once for the suite, the same with the
/// terminology and profile hooks of FHIRPath plugged in, and helpers.
enum ValidatorFixture {
    static let evaluator = FHIRPathConstraintEvaluator(engine: FHIRPathEngine(structures: Conformance.registry))

    static let validator: Validator = {
        do {
            return try Validator(
                registry: Conformance.registry, structures: Conformance.structures, evaluator: evaluator)
        } catch {
            fatalError("cannot load the validator: \(error)")
        }
    }()

    /// The same definitions with invariants evaluated by the FHIRPath engine (memberOf/conformsTo answered by the
    /// validator's terminology and profiles).
    static let fhirPathValidator: Validator = Validator.withFHIRPath(
        store: validator.store, registry: Conformance.registry)

    /// Reads an official JSON example.
    static func example(_ name: String) throws -> Element {
        try FHIRJSONReader(registry: Conformance.registry).readResource(
            Conformance.bytes(Conformance.examplesJSON.appendingPathComponent(name)))
    }

    static func errors(_ issues: [ValidationIssue]) -> [ValidationIssue] {
        issues.filter(\.isError)
    }
}

extension Element {
    /// Applies `change` to the `index`-th child named `name`.
    mutating func modifyChild(_ name: String, at index: Int = 0, _ change: (inout Element) -> Void) {
        var seen = 0
        for i in children.indices where children[i].name == name {
            if seen == index {
                change(&children[i])
                return
            }
            seen += 1
        }
    }
}
