extension Element {
    /// Children sorted by definition order (stable); already-ordered input is returned as is.
    public static func inDefinitionOrder(_ children: [Element], context: ElementDefinition) -> [Element] {
        var last = -1
        var sorted = true
        for c in children {
            let o = context.childrenByName[c.name]?.order ?? Int.max
            if o < last {
                sorted = false
                break
            }
            last = o
        }
        if sorted { return children }
        return children.enumerated().sorted { a, b in
            let oa = context.childrenByName[a.element.name]?.order ?? Int.max
            let ob = context.childrenByName[b.element.name]?.order ?? Int.max
            return oa != ob ? oa < ob : a.offset < b.offset
        }.map(\.element)
    }
}
