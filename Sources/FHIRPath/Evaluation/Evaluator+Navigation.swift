import FHIRModel

extension Evaluator {
    /// A path head: the resource type name selects the focus itself (`Patient.name` on a Patient),
    /// any other name navigates from the focus.
    func head(_ input: [FHIRPathValue], _ name: String) -> [FHIRPathValue] {
        if let first = name.utf8.first, first >= 0x41, first <= 0x5A {
            let matching = input.filter { item in
                guard case .node(let e) = item else { return false }
                return e.type == name || isSubtype(e.type, of: name)
            }
            if !matching.isEmpty { return matching }
        }
        return navigate(input, name)
    }

    /// The children named `name` of every node of `input`, in order.
    func navigate(_ input: [FHIRPathValue], _ name: String) -> [FHIRPathValue] {
        var out: [FHIRPathValue] = []
        for item in input {
            guard case .node(let e) = item else { continue }
            var found = false
            for c in e.children where c.name == name {
                out.append(.node(c))
                found = true
            }
            if !found, let c = choiceChild(e, name) { out.append(.node(c)) }
        }
        return out
    }

    /// `valueQuantity` on an element whose `value` child is a Quantity: the typed wire name of a choice.
    private func choiceChild(_ e: Element, _ name: String) -> Element? {
        for c in e.children where name.count > c.name.count && name.hasPrefix(c.name) {
            let suffix = name.dropFirst(c.name.count)
            guard let f = suffix.first, f.isUppercase else { continue }
            if suffix.lowercased() == c.type.lowercased() { return c }
        }
        return nil
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
