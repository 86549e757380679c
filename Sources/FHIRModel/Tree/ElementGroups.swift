/// The children of an element as runs of same-named elements in definition order, each with its wire form.
///
/// Readers already produce children in definition order; this checks that in one pass (one lookup per run)
/// and sorts only when a caller built the children out of order.
struct ElementGroups {
    struct Group {
        var elements: ArraySlice<Element>
        /// Nil when the context has no such element (the writers skip it).
        var wire: WireChild?
    }

    let groups: [Group]

    init(_ children: [Element], context: ElementDefinition) {
        if let inOrder = Self.runs(children, context: context, requireOrder: true) {
            groups = inOrder
        } else {
            let sorted = Element.inDefinitionOrder(children, context: context)
            groups = Self.runs(sorted, context: context, requireOrder: false) ?? []
        }
    }

    /// The runs, or nil when `requireOrder` and the children are not in definition order.
    private static func runs(_ children: [Element], context: ElementDefinition, requireOrder: Bool) -> [Group]? {
        var result: [Group] = []
        var lastOrder = Int.min
        var i = children.startIndex
        while i < children.endIndex {
            let name = children[i].name
            var j = i + 1
            while j < children.endIndex, children[j].name == name { j += 1 }
            let def = context.childrenByName[name]
            let order = def?.order ?? Int.max
            if requireOrder && order <= lastOrder && def != nil { return nil }
            lastOrder = order
            result.append(Group(elements: children[i..<j], wire: def?.wire(for: children[i].type)))
            i = j
        }
        return result
    }
}
