import FHIRModel
import FHIRTestSupport
import Foundation

@testable import FHIRPath

/// Runs one case of the official suite: nil when it passes, else the reason.
enum SuiteRunner {
    static func input(_ file: String, _ inputs: inout [String: Element]) throws -> Element {
        if let e = inputs[file] { return e }
        let bytes = Conformance.bytes(OfficialSuiteTests.folder.appendingPathComponent(file))
        let element: Element
        do {
            element = try read(file, bytes)
        } catch {
            // Two inputs break rules our strict readers enforce (see docs/conformance.md): read them again
            // once repaired (XML children put in definition order, `_field` arrays padded with nulls).
            guard let repaired = InputRepair.repair(file, bytes) else { throw error }
            element = try read(file, repaired)
        }
        inputs[file] = element
        return element
    }

    private static func read(_ file: String, _ bytes: [UInt8]) throws -> Element {
        if file.hasSuffix(".json") {
            return try FHIRJSONReader(registry: Conformance.registry).readResource(bytes)
        }
        return try FHIRXMLReader(registry: Conformance.registry).readResource(bytes)
    }

    static func run(_ c: FHIRPathSuite.Case, engine: FHIRPathEngine, inputs: inout [String: Element]) -> String? {
        let focus: Element
        do {
            focus = try c.inputFile.map { try input($0, &inputs) } ?? Element(name: "empty", type: "Element")
        } catch {
            return "input \(c.inputFile ?? "") unreadable: \(error)"
        }
        let result: [FHIRPathValue]
        do {
            result = try engine.evaluate(c.expression, focus: focus)
        } catch {
            guard let invalid = c.invalid else { return "unexpected error: \(error)" }
            switch (invalid, error) {
            case ("true", _), ("syntax", .syntax), ("semantic", .semantic), ("execution", .execution):
                return nil
            default:
                return "expected a \(invalid) error, got: \(error)"
            }
        }
        if let invalid = c.invalid { return "expected a \(invalid) error, got \(render(result))" }
        let actual: [FHIRPathValue] = c.predicate == nil ? result : [.boolean(!result.isEmpty)]
        guard actual.count == c.outputs.count else {
            return "expected \(c.outputs.count) item(s), got \(render(actual))"
        }
        for (value, expected) in zip(actual, c.outputs) where !matches(value, expected) {
            return "expected \(expected.type) \(expected.text), got \(render(actual))"
        }
        return nil
    }

    static func render(_ values: [FHIRPathValue]) -> String {
        "[" + values.map { "\(typeName($0)) \(text($0) ?? "(complex)")" }.joined(separator: ", ") + "]"
    }

    /// The suite's type name: the FHIR type of a node, the lower-case System type otherwise.
    static func typeName(_ v: FHIRPathValue) -> String {
        if case .node(let e) = v { return e.type }
        let s = v.typeName.dropFirst("System.".count)
        return s == "Quantity" ? "Quantity" : s.prefix(1).lowercased() + s.dropFirst()
    }

    static func text(_ v: FHIRPathValue) -> String? {
        if case .node(let e) = v {
            if let value = e.value { return value }
            if case .quantity(let q)? = v.systemValue { return "\(q.value) '\(q.unit)'" }
            return nil
        }
        return Evaluator.toString(v)
    }

    static func matches(_ v: FHIRPathValue, _ expected: FHIRPathSuite.Output) -> Bool {
        guard expected.type.isEmpty || typeName(v) == expected.type else { return false }
        guard let t = text(v) else { return false }
        var want = expected.text
        if want.hasPrefix("@") { want.removeFirst() }
        var type = expected.type
        if type.isEmpty {
            // Some newer cases give no type: take the one of the result.
            type = typeName(v)
        }
        switch type {
        case "decimal":
            return Decimal(string: t, locale: nil) == Decimal(string: want, locale: nil)
        case "date", "dateTime", "time", "instant":
            let kind: FHIRPathTemporal.Kind? = type == "time" ? .time : nil
            guard let a = FHIRPathTemporal.parse(t, kind: kind), let b = FHIRPathTemporal.parse(want, kind: kind)
            else { return t == want }
            return a.description == b.description
        case "Quantity":
            guard let a = Evaluator.parseQuantity(t), let b = Evaluator.parseQuantity(want) else { return false }
            return a == b
        default:
            return t == want
        }
    }
}
