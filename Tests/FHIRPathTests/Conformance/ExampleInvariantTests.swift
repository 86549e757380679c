import FHIRModel
import FHIRPath
import FHIRTestSupport
import Foundation
import Testing

/// Every resource-level invariant of the core definitions holds on the official R4 JSON examples (the
/// validator relies on this): no evaluation error except cid-0, whose expression names an element
/// ChargeItemDefinition does not have in R4 (an error in the definition), and no `false` for an invariant
/// of severity error (warnings such as dom-6 and the name rules pdf-0/tst-0 are broken by a few examples).
@Suite struct ExampleInvariantTests {
    /// Every official JSON example the reader takes, with its type's definition.
    static func examples() -> [(name: String, resource: Element, type: TypeDefinition)] {
        let registry = Conformance.registry
        let reader = FHIRJSONReader(registry: registry)
        return Conformance.files(in: Conformance.examplesJSON, extension: "json").compactMap { name in
            let bytes = Conformance.bytes(Conformance.examplesJSON.appendingPathComponent(name))
            guard let resource = try? reader.readResource(bytes), let type = registry.type(named: resource.type)
            else { return nil }
            return (name, resource, type)
        }
    }

    @Test func resourceInvariantsHoldOnTheOfficialExamples() throws {
        let engine = FHIRPathEngine(structures: Conformance.registry)
        var evaluated = 0
        var errors: [String] = []
        var falses: [String] = []
        for (name, resource, type) in Self.examples() {
            for key in type.root.invariantKeys.sorted() {
                guard let expression = type.invariants[key]?.expression else { continue }
                evaluated += 1
                do {
                    if try engine.evaluateBoolean(expression, focus: resource) == false {
                        falses.append("\(name) \(key) (\(type.invariants[key]?.severity ?? ""))")
                    }
                } catch {
                    errors.append("\(name) \(key): \(error)")
                }
            }
        }
        print("resource invariants: \(evaluated) evaluated, \(errors.count) errors, \(falses.count) false")
        for f in falses { print("  false: \(f)") }
        #expect(evaluated > 2000)
        let unexpected = errors.filter { !$0.contains(" cid-0: ") }
        #expect(unexpected.isEmpty, "\(unexpected.prefix(20))")
        #expect(errors.count == 2, "cid-0 on the two ChargeItemDefinition examples: \(errors)")
        let errorSeverity = falses.filter { $0.hasSuffix("(error)") }
        #expect(errorSeverity.isEmpty, "\(errorSeverity)")
    }

    /// Element-level invariants (app-1 on `Appointment.participant`, ext-1 on extensions, …) evaluated on each
    /// element they apply to, with the resource as `%resource`: no evaluation error, no `false` of severity error
    /// beyond the ones the examples carry.
    @Test func elementInvariantsHoldOnTheOfficialExamples() throws {
        let engine = FHIRPathEngine(structures: Conformance.registry)
        var evaluated = 0
        var errors: [String] = []
        var falses: [String] = []
        for (name, resource, type) in Self.examples() {
            for (path, def) in type.elementsByPath.sorted(by: { $0.key < $1.key }) where path.contains(".") {
                let keys = def.invariantKeys.filter { $0 != "ele-1" }
                guard !keys.isEmpty else { continue }
                var nodes = [resource]
                for component in path.split(separator: ".").dropFirst() {
                    let n = component.hasSuffix("[x]") ? String(component.dropLast(3)) : String(component)
                    nodes = nodes.flatMap { $0.children(named: n) }
                }
                for node in nodes {
                    for key in keys {
                        guard let invariant = type.invariants[key], let expression = invariant.expression else {
                            continue
                        }
                        evaluated += 1
                        do {
                            if try engine.evaluateBoolean(expression, focus: node, resource: resource) == false,
                                invariant.severity == "error"
                            {
                                falses.append("\(name) \(path) \(key)")
                            }
                        } catch {
                            errors.append("\(name) \(path) \(key): \(error)")
                        }
                    }
                }
            }
        }
        print(
            "element invariants: \(evaluated) evaluated, \(errors.count) errors, \(falses.count) false (error severity)"
        )
        for e in errors.prefix(30) { print("  error: \(e)") }
        for f in falses.prefix(30) { print("  false: \(f)") }
        #expect(evaluated > 5000)
        #expect(errors.isEmpty)
        #expect(falses.isEmpty)
    }
}
