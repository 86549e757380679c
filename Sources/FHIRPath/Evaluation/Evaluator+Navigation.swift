import FHIRModel

extension Evaluator {
    /// A path head: the resource type name selects the focus itself (`Patient.name` on a Patient),
    /// any other name navigates from the focus.
    /// - Parameter lenient: give empty, not a semantic error, for another resource type's name.
    func head(_ input: [FHIRPathValue], _ name: String, lenient: Bool = false) throws(FHIRPathError)
        -> [FHIRPathValue]
    {
        if let first = name.utf8.first, first >= 0x41, first <= 0x5A {
            let matching = input.filter { item in
                guard case .node(let e) = item else { return false }
                return e.type == name || isSubtype(e.type, of: name)
            }
            if !matching.isEmpty { return matching }
            if !input.isEmpty, structures.concreteResourceType(named: name) != nil {
                if lenient { return [] }
                throw .semantic(message: "'\(name)' does not match the type of the focus")
            }
        }
        return try navigate(input, name)
    }

    /// The children named `name` of every node of `input`, in order.
    /// - Throws: a semantic error when a resource or datatype node has no such element in its definition.
    func navigate(_ input: [FHIRPathValue], _ name: String) throws(FHIRPathError) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        for item in input {
            switch item {
            case .node(let e):
                // Children are in definition order with repeats contiguous (the Element tree's invariant), so
                // the scan stops after the run: `%resource.type` inside `entry.all(…)` stays cheap on a Bundle of
                // 10,000 entries instead of scanning them all for every entry.
                var inRun = false
                for c in e.children {
                    if c.name == name {
                        out.append(.node(c))
                        inRun = true
                    } else if inRun {
                        break
                    }
                }
            case .quantity(let q):
                // System.Quantity exposes its value and unit.
                if name == "value" { out.append(.decimal(q.value)) }
                if name == "unit" { out.append(.string(q.unit)) }
            default:
                continue
            }
        }
        if out.isEmpty {
            // No node has it: an error when no node's type defines it (`name.given1`, `valueQuantity`).
            var undefinedIn: String?
            for item in input {
                guard case .node(let e) = item else { continue }
                if isDefined(name, in: e.type) { return out }
                undefinedIn = e.type
            }
            if let undefinedIn { throw .semantic(message: "'\(name)' is not an element of \(undefinedIn)") }
        }
        return out
    }

    /// Whether a node of `type` may have a child `name`; true when the type's elements are not known here
    /// (backbone elements, primitives, profiles).
    private func isDefined(_ name: String, in type: String) -> Bool {
        guard type != "BackboneElement", type != "Element", let def = structures.type(named: type),
            def.kind == .resource || def.kind == .complex
        else { return true }
        if def.root.childrenByName[name] != nil { return true }
        // A resource reached through `contained` or an entry may not be a DomainResource (Parameters, Bundle);
        // DomainResource's elements stay navigable on any resource (dom-2: `contained.contained`).
        return def.kind == .resource && structures.type(named: "DomainResource")?.root.childrenByName[name] != nil
    }

    /// The direct children of every node of `input`.
    func children(_ input: [FHIRPathValue]) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        for item in input {
            if case .node(let e) = item { out.append(contentsOf: e.children.map(FHIRPathValue.node)) }
        }
        return out
    }

    /// All descendants of every node of `input`, depth first.
    func descendants(_ input: [FHIRPathValue]) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        func walk(_ e: Element) {
            for c in e.children {
                out.append(.node(c))
                walk(c)
            }
        }
        for item in input {
            if case .node(let e) = item { walk(e) }
        }
        return out
    }
}
