import FHIRModel
import Foundation

/// Evaluates an ``ExpressionNode`` tree directly over the element tree.
struct Evaluator {
    let context: EvaluationContext

    var structures: StructureRegistry { context.structures }

    func evaluate(_ node: ExpressionNode, scope: Scope) throws(FHIRPathError) -> [FHIRPathValue] {
        switch node {
        case .literal(let values):
            return values
        case .this:
            return scope.this
        case .index:
            return scope.index.map { [.integer($0)] } ?? []
        case .total:
            return scope.total
        case .variable(let name):
            return try variable(name)
        case .member(let base, let name):
            if let base {
                return try navigate(try evaluate(base, scope: scope), name)
            }
            return try head(scope.this, name, lenient: scope.inUnion)
        case .call(.call(let inner, .children, let a1)?, .count, let a2) where a1.isEmpty && a2.isEmpty:
            // children().count() without building the children (ele-1 runs it on every element).
            let input = try inner.map { node throws(FHIRPathError) in try evaluate(node, scope: scope) } ?? scope.this
            var n = 0
            for item in input { if case .node(let e) = item { n += e.children.count } }
            return FHIRPathValue.integerCollection(n)
        case .call(let base, let function, let arguments):
            let input = try base.map { node throws(FHIRPathError) in try evaluate(node, scope: scope) } ?? scope.this
            return try call(function, input: input, arguments: arguments, scope: scope, hasBase: base != nil)
        case .typeCall(let base, let function, let type):
            let input = try base.map { node throws(FHIRPathError) in try evaluate(node, scope: scope) } ?? scope.this
            try checkType(type)
            switch function {
            case .ofType:
                return input.filter { isType($0, type) }
            case .is:
                guard let item = try single(input, "is()") else { return [] }
                return FHIRPathValue.booleanCollection(isType(item, type, primitiveInheritance: true))
            default:
                // The function form filters a collection, as the core invariants use it
                // (dom-3: `%resource.descendants().as(canonical)`).
                return input.filter { isType($0, type) }
            }
        case .indexer(let base, let indexNode):
            let input = try evaluate(base, scope: scope)
            let index = try evaluate(indexNode, scope: scope)
            guard let i = try single(index, "indexer") else { return [] }
            guard case .integer(let n) = i.systemValue else {
                throw .execution(message: "index must be an integer")
            }
            return n >= 0 && n < input.count ? [input[n]] : []
        case .negate(let operand):
            return try negate(try evaluate(operand, scope: scope))
        case .binary(let op, let l, let r):
            return try binary(op, l, r, scope: scope)
        case .failure(let message):
            throw .execution(message: message)
        case .typeOperator(let isTest, let operand, let type):
            let input = try evaluate(operand, scope: scope)
            try checkType(type)
            // `as` filters a collection, as R4 search parameters use it (`(useContext.value as Quantity)`).
            if !isTest { return input.filter { isType($0, type) } }
            guard let item = try single(input, "is") else { return [] }
            return FHIRPathValue.booleanCollection(isType(item, type, primitiveInheritance: true))
        }
    }

    /// A `%name` environment or user variable.
    func variable(_ name: String) throws(FHIRPathError) -> [FHIRPathValue] {
        if let v = context.variables[name] { return v }
        switch name {
        case "resource": return context.resource.map { [.node($0)] } ?? []
        case "rootResource": return (context.rootResource ?? context.resource).map { [.node($0)] } ?? []
        case "context": return context.context
        case "ucum": return [.string("http://unitsofmeasure.org")]
        case "sct": return [.string("http://snomed.info/sct")]
        case "loinc": return [.string("http://loinc.org")]
        default:
            if name.hasPrefix("vs-") { return [.string("http://hl7.org/fhir/ValueSet/" + name.dropFirst(3))] }
            if name.hasPrefix("ext-") {
                return [.string("http://hl7.org/fhir/StructureDefinition/" + name.dropFirst(4))]
            }
            throw .execution(message: "unknown variable %\(name)")
        }
    }

    /// The only item of `c` (nil when empty); an execution error when there are several.
    func single(_ c: [FHIRPathValue], _ what: String) throws(FHIRPathError) -> FHIRPathValue? {
        if c.count > 1 { throw .execution(message: "\(what) expects a single item, got \(c.count)") }
        return c.first
    }

    /// The System value of the only item (nil when empty or when it has no System value).
    func singleValue(_ c: [FHIRPathValue], _ what: String) throws(FHIRPathError) -> FHIRPathValue? {
        try single(c, what)?.systemValue
    }

    /// Singleton evaluation as a Boolean: empty → nil; one Boolean → it; any other single item → true.
    func boolean(_ c: [FHIRPathValue], _ what: String) throws(FHIRPathError) -> Bool? {
        guard let v = try single(c, what) else { return nil }
        if case .boolean(let b) = v.systemValue { return b }
        return true
    }
}
