import FHIRModel

/// Generates a snapshot tree for a StructureDefinition that only has a differential.
///
/// Covers the simple cases: constrained cardinality, types, fixed/pattern values, bindings, slicing (notably of
/// extensions), new slices, and constraints on children of datatypes (their elements are copied in from the
/// datatype's definition on demand). The base is copied, then each differential element is applied in order.
enum SnapshotGenerator {
    static func generate(
        differential: [JSONNode], base: ProfileElement, type: (String) -> Profile?,
        unresolved: (Int) -> Void = { _ in }
    ) -> ProfileElement {
        let root = base.copy()
        // Content references copy the base's (unconstrained) element, as the published snapshots do.
        let original = base.copy()
        // Without ids, the elements after a slice that are below its path belong to that slice.
        var sliceContext: [(path: String, slice: String)] = []
        for (index, node) in differential.enumerated() {
            let o = node.value
            guard let path = o["path"]?.value.stringValue else { continue }
            let id = o["id"]?.value.stringValue
            let sliceName = o["sliceName"]?.value.stringValue
            var segments = self.segments(id: id, path: path, sliceName: sliceName)
            if id == nil || id?.split(separator: ".").count != path.split(separator: ".").count {
                sliceContext.removeAll { !path.hasPrefix($0.path + ".") }
                for ctx in sliceContext {
                    let depth = ctx.path.split(separator: ".").count - 1
                    if depth < segments.count && segments[depth].slice == nil { segments[depth].slice = ctx.slice }
                }
                if let sliceName { sliceContext.append((path, sliceName)) }
            }
            guard var current = Optional(root) else { continue }
            var ok = true
            for seg in segments.dropFirst() {
                if current.children.isEmpty { materialize(current, root: original, type: type) }
                guard let next = child(of: current, segment: seg) else {
                    ok = false
                    break
                }
                current = next
            }
            if ok { apply(o, to: current) } else { unresolved(index) }
        }
        return root
    }

    /// Segments as (name, slice): `Patient.extension:foo.value[x]` → Patient, (extension, foo), value[x].
    static func segments(id: String?, path: String, sliceName: String?) -> [(name: String, slice: String?)] {
        if let id, id.split(separator: ".").count == path.split(separator: ".").count {
            return id.split(separator: ".").map { part in
                let pieces = part.split(separator: ":", maxSplits: 1)
                return (String(pieces[0]), pieces.count > 1 ? String(pieces[1]) : nil)
            }
        }
        var segs: [(name: String, slice: String?)] = path.split(separator: ".").map { (String($0), nil) }
        if let sliceName, !segs.isEmpty { segs[segs.count - 1].slice = sliceName }
        return segs
    }

    /// Copies the children of the element's type (or content reference) under it.
    static func materialize(_ e: ProfileElement, root: ProfileElement, type: (String) -> Profile?) {
        if let target = e.contentReference.map({ String($0.split(separator: "#").last ?? "") }),
            let ref = find(target, in: root)
        {
            e.children = ref.children.map { $0.copy() }
            for c in e.children { c.rebase(from: ref.path, to: e.path) }
            e.freeze()
            return
        }
        if let ref = e.referenced {
            e.children = ref.children.map { $0.copy() }
            for c in e.children { c.rebase(from: ref.path, to: e.path) }
            return
        }
        guard e.types.count == 1, let t = type(e.types[0].code) else { return }
        e.children = t.root.children.map { $0.copy() }
        for c in e.children { c.rebase(from: t.root.path, to: e.path) }
        e.freeze()
    }

    static func child(of parent: ProfileElement, segment: (name: String, slice: String?)) -> ProfileElement? {
        var name = segment.name
        let isChoice = name.hasSuffix("[x]")
        if isChoice { name.removeLast(3) }
        var base = parent.children.first { $0.name == name }
        var slice = segment.slice
        var restrictType: String?
        if base == nil,
            let choice = parent.children.first(where: {
                $0.isChoice && name.hasPrefix($0.name) && name.count > $0.name.count
            })
        {
            // `valueQuantity`: a type slice of `value[x]`.
            base = choice
            restrictType = String(name.dropFirst(choice.name.count))
            slice = slice ?? name
        }
        guard let base else { return nil }
        // `valueBla`: no type of the choice is named so.
        if let t = restrictType, !base.types.isEmpty,
            !base.types.contains(where: { $0.code.lowercased() == t.lowercased() })
        {
            return nil
        }
        guard let slice else { return base }
        if let existing = base.slices.first(where: { $0.sliceName == slice }) { return existing }
        // A reslice (`actionType/Single`) starts from the slice it refines.
        var origin = base
        if let slash = slice.lastIndex(of: "/"),
            let parentSlice = base.slices.first(where: { $0.sliceName == String(slice[..<slash]) })
        {
            origin = parentSlice
        }
        let s = origin.copy()
        s.slices = []
        s.slicing = nil
        s.sliceName = slice
        s.min = 0
        if let t = restrictType {
            s.types = base.types.filter { $0.code.lowercased() == t.lowercased() }
        }
        base.slices.append(s)
        return s
    }

    /// Overwrites what the differential element states.
    static func apply(_ o: JSONValue, to e: ProfileElement) {
        let d = ProfileBuilder.element(o, invariants: [:])
        if o["min"] != nil { e.min = d.min }
        if o["max"] != nil { e.max = d.max }
        if o["type"] != nil {
            e.types = d.types
            e.profileElement = d.profileElement
            e.aggregation = d.aggregation
        }
        if o["binding"] != nil { e.binding = d.binding }
        if d.fixed != nil { e.fixed = d.fixed }
        if d.pattern != nil { e.pattern = d.pattern }
        if d.slicing != nil { e.slicing = d.slicing }
        if d.maxLength != nil { e.maxLength = d.maxLength }
        if d.minLength != nil { e.minLength = d.minLength }
        if !d.narrativeLanguageControl.isEmpty { e.narrativeLanguageControl = d.narrativeLanguageControl }
        if !d.valueAlternatives.isEmpty { e.valueAlternatives = d.valueAlternatives }
        if d.narrativeSourceControl != nil { e.narrativeSourceControl = d.narrativeSourceControl }
        if d.minValue != nil { e.minValue = d.minValue }
        if d.maxValue != nil { e.maxValue = d.maxValue }
        if o["contentReference"] != nil { e.contentReference = d.contentReference }
        for c in d.constraints where !e.constraints.contains(where: { $0.key == c.key }) { e.constraints.append(c) }
    }

    static func find(_ path: String, in e: ProfileElement) -> ProfileElement? {
        if e.path == path && e.sliceName == nil { return e }
        for c in e.children where path == c.path || path.hasPrefix(c.path + ".") {
            if let f = find(path, in: c) { return f }
        }
        return nil
    }
}
