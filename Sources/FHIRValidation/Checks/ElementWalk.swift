import FHIRModel

extension ValidationRun {
    /// Validates a resource against its core definition, its `meta.profile` profiles and `extraProfiles`.
    mutating func validateResource(_ r: Element, path: String, extraProfiles: [Profile]) {
        guard let core = store.coreByType[r.type], core.kind == "resource" else {
            report(.error, .structure, "Unknown resource type '\(r.type)'", at: path)
            return
        }
        if core.isAbstract {
            report(.error, .structure, "The resource type '\(r.type)' is abstract", at: path)
            return
        }
        guard depth < 64 else { return }
        depth += 1
        let savedResource = resource
        let savedContained = containedTypes
        let savedBundle = bundle
        let savedHost = containerHost
        let savedPath = resourcePath
        let savedDefinition = definitionURL
        resource = r
        resourcePath = path
        // A contained resource's `#id` references point at its container's other contained resources.
        if r.name != "contained" {
            containerHost = r
            containedTypes = [:]
            for c in r.children(named: "contained") {
                if let id = c.resourceID { containedTypes[id] = c.type }
            }
        }
        if r.type == "Bundle" { bundle = BundleIndex(bundle: r) }
        if r.type == "Parameters" { bundle = BundleIndex(parameters: r) }
        if r.type == "Bundle" && depth == 1 && !options.bundleRules.isEmpty {
            var seen: [String: Int] = [:]
            for (i, entry) in r.children(named: "entry").enumerated() {
                guard let item = entry.child("resource") else { continue }
                let n = seen[item.type, default: 0]
                seen[item.type] = n + 1
                for rule in options.bundleRules where rule.rule == item.type || rule.rule == "\(item.type):\(n)" {
                    if let profile = store.profile(rule.profile) {
                        bundleRuleProfiles[path + ".entry[\(i)].resource", default: []].append(profile)
                    } else {
                        report(
                            .error, .notFound, "The bundle rule's profile \(rule.profile) is not known",
                            at: path + ".entry[\(i)].resource")
                    }
                }
            }
        }
        defer {
            resource = savedResource
            containedTypes = savedContained
            containerHost = savedHost
            resourcePath = savedPath
            definitionURL = savedDefinition
            bundle = savedBundle
            depth -= 1
        }

        definitionURL = core.url
        validate(r, def: core.root, path: path)
        var profiles = extraProfiles
        for p in r.descendant("meta")?.children(named: "profile") ?? [] {
            guard let url = p.value else { continue }
            if let profile = store.profile(url) {
                if !profiles.contains(where: { $0 === profile }) { profiles.append(profile) }
            } else {
                report(
                    .warning, .notFound, "Profile reference '\(url)' has not been checked because it is unknown",
                    at: path + ".meta.profile")
            }
        }
        // An implementation guide's global profiles apply to every resource of their type.
        for url in store.globalProfiles[r.type] ?? [] {
            if let profile = store.profile(url), !profiles.contains(where: { $0 === profile }) {
                profiles.append(profile)
            }
        }
        for p in profiles where p !== core {
            guard p.type == r.type || p.type == "Resource" || p.type == "DomainResource" else {
                report(
                    .error, .structure, "The profile \(p.url) is for \(p.type), not \(r.type)", at: path)
                continue
            }
            definitionURL = p.url
            validate(r, def: p.root, path: path)
        }
        if options.validatesContainedResources { checkContained(r, path: path) }
        if r.type == "Bundle" { checkBundle(r, path: path) }
        if r.type == "SearchParameter" { checkSearchParameter(r, path: path) }
        if r.type == "CapabilityStatement" { checkCapabilityStatementSearchParameters(r, path: path) }
        if r.type == "StructureDefinition" {
            checkDifferentialPaths(r, path: path)
            checkTypeProfiles(r, path: path)
            checkFixedAgainstBase(r, path: path)
            checkBindingTypes(r, path: path)
            checkRootSlicing(r, path: path)
        }
    }

    /// Validates one element against `def`: its value, fixed/pattern, binding, invariants, then its children.
    mutating func validate(_ e: Element, def: ProfileElement, path: String) {
        let type = e.type
        if e.isEmpty && type != "xhtml" && !isResourceType(type) {
            report(
                .error, .invariant, "All FHIR elements must have a @value or children (ele-1)", at: path, key: "ele-1")
            return
        }
        if isPrimitiveType(type) {
            checkPrimitive(e, def: def, path: path)
            if e.value == nil && !def.valueAlternatives.isEmpty
                && !e.children(named: "extension").contains(where: {
                    def.valueAlternatives.contains($0.string("url") ?? "")
                })
            {
                report(
                    .error, .value,
                    "The element definition requires that if a value is not present, one of the extensions \(def.valueAlternatives.joined(separator: ", ")) must be present",
                    at: path)
            }
        }
        if type == "xhtml" && !invalidValuePaths.contains(path) { checkNarrative(e, path: path) }
        checkFixedAndPattern(e, def: def, path: path)
        checkBinding(e, def: def, path: path)
        if type == "Reference" { checkReference(e, def: def, path: path) }
        if type == "Narrative" && (!def.narrativeLanguageControl.isEmpty || def.narrativeSourceControl != nil) {
            checkNarrativeControls(e, def: def, path: path)
        }
        if type == "Coding" { checkCodingSystem(e, path: path) }
        if type == "ElementDefinition" { checkElementPath(e, path: path) }
        checkInvariants(e, constraints: def.constraints, path: path)

        // Whose children describe this element's children.
        let source: ProfileElement
        if let t = profileElementTarget(def) {
            // The content of one element of a type profile (a section template of a library).
            source = t
            checkFixedAndPattern(e, def: t, path: path)
            checkInvariants(e, constraints: t.constraints, path: path)
        } else if !def.children.isEmpty {
            source = def
        } else if let r = def.referenced {
            source = r
        } else if let choices = profileChoices(for: type, def: def), choices.count > 1 {
            // Several profiles on the type: the element must conform to one of them.
            // Findings name the type profile they break (each choice's are its own, not duplicates).
            let savedDefinition = definitionURL
            defer { definitionURL = savedDefinition }
            if let match = choices.first(where: { conforms(e, to: $0) }) {
                definitionURL = match.url
                checkInvariants(e, constraints: match.root.constraints, path: path)
                validateChildren(e, source: match.root, path: path)
                return
            }
            report(
                .error, .structure,
                "Unable to find a match for the specified profile among choices: \(choices.map(\.url).joined(separator: ", "))",
                at: path)
            for p in choices {
                definitionURL = p.url
                checkInvariants(e, constraints: p.root.constraints, path: path)
                validateChildren(e, source: p.root, path: path)
            }
            return
        } else if let t = typeRoot(for: type, def: def) {
            source = t
            if t !== def { checkInvariants(e, constraints: t.constraints, path: path) }
        } else {
            return
        }
        validateChildren(e, source: source, path: path)
    }

    /// The element named by `def`'s profile-element type profile (see ``ProfileElement/profileElement``).
    func profileElementTarget(_ def: ProfileElement) -> ProfileElement? {
        guard let ref = def.profileElement, let p = store.profile(ref.url) else { return nil }
        return Self.element(id: ref.id, in: p.root, id: p.root.path)
    }

    /// The element with `target` id under `e` (whose own id is `id`): path segments, `:slice` for slices.
    static func element(id target: String, in e: ProfileElement, id: String) -> ProfileElement? {
        if id == target { return e }
        guard target.hasPrefix(id) else { return nil }
        for s in e.slices {
            if let f = element(id: target, in: s, id: id + ":" + (s.sliceName ?? "")) { return f }
        }
        for c in e.children {
            let last = c.path.split(separator: ".").last.map(String.init) ?? c.path
            if let f = element(id: target, in: c, id: id + "." + last) { return f }
        }
        return nil
    }

    /// The loaded profiles named on `def`'s type reference for `type` (nil when none is named).
    func profileChoices(for type: String, def: ProfileElement) -> [Profile]? {
        guard let ref = def.types.first(where: { $0.code == type }), !ref.profiles.isEmpty else { return nil }
        let found = ref.profiles.compactMap { store.profile($0) }.filter { $0.root !== def }
        return found.isEmpty ? nil : found
    }

    /// The definition of `type` as used by `def`: a profile named on the type reference when loaded, else the core.
    func typeRoot(for type: String, def: ProfileElement) -> ProfileElement? {
        if let ref = def.types.first(where: { $0.code == type }), let url = ref.profiles.first,
            let p = store.profile(url), p.root !== def
        {
            return p.root
        }
        return store.coreByType[type]?.root
    }

    /// Groups the children by name, reports unknown ones, checks cardinality, types, slicing, and recurses.
    mutating func validateChildren(_ e: Element, source: ProfileElement, path: String) {
        var groups: [String: [Element]] = [:]
        var order: [String] = []
        for c in e.children {
            if groups[c.name] == nil {
                order.append(c.name)
                groups[c.name] = [c]
            } else {
                groups[c.name]!.append(c)
            }
        }
        for name in order where source.childrenByName[name] == nil {
            report(.error, .structure, "Unrecognized element '\(name)'", at: path + "." + name)
        }
        // A primitive's value is the element's own `value`, not a child.
        let primitive = isPrimitiveType(e.type)
        for cd in source.children {
            if primitive && cd.name == "value" { continue }
            if cd.name == "contained" && !options.validatesContainedResources && isResourceType(e.type) { continue }
            let items = groups[cd.name] ?? []
            checkCardinality(cd, count: items.count, path: path)
            if items.isEmpty {
                // Required slices are missing too.
                for slice in cd.slices where slice.min > 0 && slice.sliceName?.contains("/") != true {
                    checkCardinality(slice, count: 0, path: path)
                }
                continue
            }
            let assigned = assignSlices(items, def: cd, path: path)
            for (i, item) in items.enumerated() {
                var childPath = path + "." + cd.name
                if cd.isArray { childPath += "[\(i)]" }
                if cd.isChoice { childPath += ".ofType(\(item.type))" }
                let target = assigned[i] ?? cd
                guard checkType(item, def: target, path: childPath) else { continue }
                if isResourceType(item.type) {
                    // Several profiles on the type: the resource must conform to one of them.
                    var profiles = target.types.filter { $0.code == item.type || $0.code == "Resource" }
                        .flatMap(\.profiles).compactMap { store.profile($0) }
                    if profiles.count > 1 {
                        profiles = [profiles.first { conforms(item, to: $0) } ?? profiles[0]]
                    }
                    profiles += bundleRuleProfiles[childPath] ?? []
                    let savedEntryURL = entryFullURL
                    if cd.name == "resource" && e.name == "entry" { entryFullURL = e.string("fullUrl") }
                    validateResource(item, path: childPath, extraProfiles: profiles)
                    entryFullURL = savedEntryURL
                } else if item.type == "Extension" && (cd.name == "extension" || cd.name == "modifierExtension") {
                    validateExtension(item, def: target, host: e, hostPath: path, path: childPath)
                    if item.string("url") == "http://hl7.org/fhir/StructureDefinition/narrativeLink" {
                        checkNarrativeLink(item, path: childPath)
                    }
                } else if e.type == "Extension" && cd.name == "value" {
                    // The value of an extension: extensions on it may name this extension as their context.
                    extensionURLs.append(e.string("url") ?? "")
                    validate(item, def: target, path: childPath)
                    extensionURLs.removeLast()
                } else {
                    depth += 1
                    if depth < 96 { validate(item, def: target, path: childPath) }
                    depth -= 1
                }
            }
        }
    }
}
