import FHIRModel
import FHIRPath
import FHIRTestSupport

/// Shared engine and resources for the semantics tests.
enum Fixtures {
    static let engine = FHIRPathEngine(structures: Conformance.registry)

    static func resource(_ json: String) throws -> Element {
        try FHIRJSONReader(registry: Conformance.registry).readResource(json)
    }

    static let patient: Element = {
        do {
            return try resource(
                #"""
                {"resourceType":"Patient","id":"p1","active":true,"birthDate":"1974-12-25",
                 "name":[{"family":"Chalmers","given":["Peter","James"]},{"use":"nickname","given":["Jim"]}],
                 "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Jim</p></div>"}}
                """#)
        } catch {
            fatalError("fixture: \(error)")
        }
    }()

    /// Evaluates on `focus` (default the patient) and returns the System values (nodes converted).
    static func values(_ expression: String, on focus: Element = patient) throws -> [FHIRPathValue] {
        try engine.evaluate(expression, focus: focus).map { $0.systemValue ?? $0 }
    }
}
