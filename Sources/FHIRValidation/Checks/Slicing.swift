import FHIRModel
import Foundation

extension ValidationRun {
    /// Assigns items to the slices of `def` (value, pattern, type, profile and exists discriminators; choice
    /// type slices), checks each slice's cardinality, closed/openAtEnd rules and order. Returns the slice of
    /// each matched item, by index.
    mutating func assignSlices(_ items: [Element], def: ProfileElement, path: String) -> [Int: ProfileElement] {
        guard !def.slices.isEmpty else {
            if def.slicing?.rules == "closed" {
                report(
                    .error, .structure, "\(def.name) is sliced closed and has no slices: no item is allowed", at: path)
            }
            return [:]
        }
        var assigned: [Int: ProfileElement] = [:]
        var counts = [Int](repeating: 0, count: def.slices.count)
        var lastSlice = -1
        var sawUnmatched = false
        for (i, item) in items.enumerated() {
            var matched: Int?
            for (si, slice) in def.slices.enumerated() where matches(item, slice: slice, base: def) {
                matched = si
                break
            }
            var itemPath = path + "." + def.name
            if def.isArray { itemPath += "[\(i)]" }
            if let parent = matched {
                // A reslice (`a/b`) of the matched slice, told apart by the slice's own slicing, is more specific.
                var si = parent
                let prefix = (def.slices[parent].sliceName ?? "") + "/"
                for (ri, r) in def.slices.enumerated() where ri != parent && r.sliceName?.hasPrefix(prefix) == true {
                    let p = def.slices[parent]
                    if p.slicing != nil ? matches(item, slice: r, base: p) : conforms(item, def: r) {
                        si = ri
                        counts[parent] += 1
                        break
                    }
                }
                assigned[i] = def.slices[si]
                counts[si] += 1
                if def.slicing?.ordered == true && si < lastSlice {
                    report(
                        .error, .structure,
                        "As specified by profile, elements are out of order: \(def.slices[si].sliceName ?? "") after \(def.slices[lastSlice].sliceName ?? "")",
                        at: itemPath)
                }
                if def.slicing?.rules == "openAtEnd" && sawUnmatched {
                    report(
                        .error, .structure,
                        "Slice \(def.slices[si].sliceName ?? "") is after an unmatched item (openAtEnd)",
                        at: itemPath)
                }
                lastSlice = max(lastSlice, si)
            } else {
                sawUnmatched = true
                if def.slicing?.rules == "closed" {
                    report(
                        .error, .structure,
                        "This element does not match any known slice defined in the profile and slicing is CLOSED",
                        at: itemPath)
                }
            }
        }
        for (si, slice) in def.slices.enumerated() {
            checkCardinality(slice, count: counts[si], path: path)
        }
        return assigned
    }

    /// Whether `item` belongs to `slice` according to the base element's discriminators.
    func matches(_ item: Element, slice: ProfileElement, base: ProfileElement) -> Bool {
        guard let slicing = base.slicing, !slicing.discriminators.isEmpty else {
            // Extensions are sliced by url even when a differential does not say so.
            if base.name == "extension" || base.name == "modifierExtension" {
                return discriminatorMatches(item, slice: slice, Slicing.Discriminator(type: "value", path: "url"))
            }
            // Choice type slices (`valueQuantity`) and slices without discriminators: by type.
            if base.isChoice || !slice.types.isEmpty && slice.types.count < base.types.count {
                return slice.typeCodes.contains(item.type)
            }
            return false
        }
        for d in slicing.discriminators where !discriminatorMatches(item, slice: slice, d) { return false }
        return true
    }

    func discriminatorMatches(_ item: Element, slice: ProfileElement, _ d: Slicing.Discriminator) -> Bool {
        var path = d.path
        if path.hasPrefix("$this.") { path.removeFirst("$this.".count) }
        if d.type == "type" && path.hasSuffix("resolve()") {
            return resolvedTypeMatches(item, slice: slice, path: path)
        }
        var resolveTarget = false
        if path.hasPrefix("resolve()") {
            resolveTarget = true
            path = String(path.dropFirst("resolve()".count))
            if path.hasPrefix(".") { path.removeFirst() }
        }
        var subject: [Element] = [item]
        if resolveTarget {
            subject = resolved(item).map { [$0] } ?? []
        }
        let values = path.isEmpty || path == "$this" ? subject : subject.flatMap { navigate($0, path) }
        let target = path.isEmpty || path == "$this" ? [slice] : sliceElements(slice, path: path)
        switch d.type {
        case "value", "pattern":
            guard let t = target.first else { return false }
            if let fixed = t.fixed ?? t.pattern {
                return values.contains {
                    ValueMatcher.matches($0, fixed.value, exact: t.fixed != nil && d.type == "value")
                }
            }
            // A choice fixed through its renamed type slice (`valueCode` with a fixedCode).
            if t.isChoice, let typed = t.slices.first(where: { $0.fixed != nil || $0.pattern != nil }),
                let fixed = typed.fixed ?? typed.pattern
            {
                return values.contains {
                    typed.typeCodes.contains($0.type)
                        && ValueMatcher.matches($0, fixed.value, exact: typed.fixed != nil && d.type == "value")
                }
            }
            // An extension slice identified by its profile URL.
            if path == "url", let url = slice.types.first?.profiles.first {
                return values.contains { $0.value == url }
            }
            if t.max == 0 { return values.isEmpty }
            if let b = t.binding, b.strength == "required", let vs = b.valueSet,
                case .codes(let keys, let codes) = store.terminology.valueSet(vs)
            {
                return values.contains { v in
                    if let code = v.value { return codes.contains(code) }
                    let codings = v.type == "CodeableConcept" ? v.children(named: "coding") : [v]
                    return codings.contains { c in
                        guard let code = c.string("code") else { return false }
                        return keys.contains((c.string("system") ?? "") + "|" + code)
                    }
                }
            }
            // The slice does not constrain this discriminator (no value, no required binding): it does not tell
            // slices apart. A required binding that cannot be expanded offline cannot be matched.
            return t.binding?.strength != "required"
        case "exists":
            guard let t = target.first else { return values.isEmpty }
            return t.min >= 1 ? !values.isEmpty : (t.max == 0 ? values.isEmpty : true)
        case "type":
            guard let t = target.first, !t.types.isEmpty else { return false }
            // A choice constrained through renamed type slices (`contentString`): their types.
            let typeSlices = t.isChoice && t.slicing == nil ? t.slices.filter { $0.min > 0 || $0.max != 0 } : []
            let allowed = typeSlices.isEmpty ? t.typeCodes : typeSlices.flatMap(\.typeCodes)
            return values.contains { allowed.contains($0.type) }
        case "profile":
            guard let t = target.first else { return false }
            let urls = t.types.flatMap { $0.profiles + $0.targetProfiles }
            // The slice does not constrain this discriminator: it does not tell slices apart.
            if urls.isEmpty { return true }
            return values.contains { v in
                urls.contains { url in
                    guard let p = store.profile(url) else { return false }
                    return conforms(v, to: p)
                }
            }
        default:
            return false
        }
    }

    /// A type discriminator through a reference (`item.resolve()`): the resolved resource's type against the
    /// slice's target profiles.
    func resolvedTypeMatches(_ item: Element, slice: ProfileElement, path: String) -> Bool {
        var refPath = String(path.dropLast("resolve()".count))
        if refPath.hasSuffix(".") { refPath.removeLast() }
        let refs = refPath.isEmpty ? [item] : navigate(item, refPath)
        let targets = refPath.isEmpty ? [slice] : sliceElements(slice, path: refPath)
        let allowed = targets.flatMap(\.types).flatMap(\.targetProfiles).map { url in
            store.profile(url)?.type ?? String(url.split(separator: "/").last ?? "")
        }
        guard !allowed.isEmpty else { return false }
        return refs.contains { ref in
            guard let target = resolved(ref) else { return false }
            return allowed.contains(target.type) || allowed.contains("Resource")
        }
    }

    /// Whether `e` validates against an element definition with no error (reslices without their own slicing).
    func conforms(_ e: Element, def: ProfileElement) -> Bool {
        var probe = ValidationRun(store: store, evaluator: nil, options: options, root: root)
        probe.bundle = bundle
        probe.depth = depth + 8
        probe.validate(e, def: def, path: e.type)
        return !probe.issues.contains { $0.isError }
    }

    /// Whether `e` validates against `profile` with no error (used by profile discriminators).
    func conforms(_ e: Element, to profile: Profile) -> Bool {
        var probe = ValidationRun(store: store, evaluator: evaluator, options: options, root: root)
        probe.bundle = bundle
        probe.depth = depth + 8
        if isResourceType(e.type) {
            probe.validateResource(e, path: e.type, extraProfiles: [profile])
        } else {
            probe.validate(e, def: profile.root, path: e.type)
        }
        return !probe.issues.contains { $0.isError }
    }

    /// Follows a simple discriminator path (`code.coding`, `extension('url').value`, `value.ofType(Quantity)`).
    func navigate(_ e: Element, _ path: String) -> [Element] {
        var current = [e]
        for step in PathSteps.split(path) {
            if step.hasPrefix("extension(") {
                let url = step.dropFirst("extension(".count).dropLast().trimmingCharacters(in: ["'", "\""])
                current = current.flatMap { $0.extensions(url: url) }
            } else if step.hasPrefix("ofType(") {
                let t = String(step.dropFirst("ofType(".count).dropLast())
                current = current.filter { $0.type == t }
            } else if step == "resolve()" {
                current = current.compactMap { resolved($0) }
            } else {
                current = current.flatMap { $0.children(named: step) }
            }
        }
        return current
    }

    /// The elements of a slice at a discriminator path (profile elements), following type profiles.
    func sliceElements(_ slice: ProfileElement, path: String) -> [ProfileElement] {
        var current: [ProfileElement] = [slice]
        for step in PathSteps.split(path) {
            if step.hasPrefix("ofType(") {
                let t = String(step.dropFirst("ofType(".count).dropLast())
                current = current.flatMap { c in
                    c.slices.filter { $0.typeCodes == [t] } + (c.typeCodes == [t] ? [c] : [])
                }
                continue
            }
            if step.hasPrefix("extension(") {
                let url = step.dropFirst("extension(".count).dropLast().trimmingCharacters(in: ["'", "\""])
                current = current.flatMap { c -> [ProfileElement] in
                    let ext =
                        c.childrenByName["extension"]
                        ?? typeRoot(for: c.typeCodes.first ?? "", def: c)?
                        .childrenByName["extension"]
                    let found = (ext?.slices ?? []).filter { $0.types.first?.profiles.first == url }
                    // The most specific first: a reslice fixes what its slice leaves open.
                    return found.filter { $0.sliceName?.contains("/") == true }
                        + found.filter { $0.sliceName?.contains("/") != true }
                }
                continue
            }
            current = current.compactMap { c in
                if let t = profileElementTarget(c), let child = t.childrenByName[step] { return child }
                if let child = c.childrenByName[step] { return child }
                if let r = c.referenced { return r.childrenByName[step] }
                // Children of a datatype with a profile (extension url fixed in the extension definition).
                return typeRoot(for: c.typeCodes.first ?? "", def: c)?.childrenByName[step]
            }
        }
        return current
    }
}
