import FHIRModel

extension ValidationRun {
    /// The target type of a Reference against the element's target profiles (contained, Bundle entries, or the
    /// `Type/id` form of the URL); contained references (`#id`) must resolve.
    mutating func checkReference(_ e: Element, def: ProfileElement, path: String) {
        guard let ref = e.string("reference") else { return }
        if !def.aggregation.isEmpty {
            // How the target is held: in the resource, in the Bundle, or elsewhere.
            let mode = ref.hasPrefix("#") ? "contained" : bundle?.resolve(ref) != nil ? "bundled" : "referenced"
            if !def.aggregation.contains(mode) {
                let held = mode == "referenced" ? "external" : mode
                report(
                    .error, .structure,
                    "Reference is \(held) which isn't supported by the specified aggregation mode(s) for the reference (\(def.aggregation.joined(separator: ", ")))",
                    at: path)
            }
        }
        var foundType: String?
        var bundled: Element?
        var fromURL = false
        if ref.hasPrefix("#") {
            if ref == "#" { return }
            guard let t = containedTypes[String(ref.dropFirst())] else {
                // Two rules: the reference does not resolve, and the ref-1 invariant (a local reference needs its
                // contained resource) fails.
                report(.error, .structure, "Unable to resolve the contained reference '\(ref)'", at: path)
                report(
                    .error, .invariant,
                    "Constraint failed: ref-1: 'SHALL have a contained resource if a local reference is provided'",
                    at: path, key: "ref-1")
                return
            }
            foundType = t
        } else if let r = bundle?.resolve(ref) {
            // Entries sharing the fullUrl the reference names: it does not say which one.
            if let b = bundle, !b.repeatedFullURLs.isEmpty,
                let target = BundleIndex.targetURL(ref, entryFullURL: entryFullURL), b.repeatedFullURLs.contains(target)
            {
                report(.error, .invalid, "Multiple matches in bundle for reference \(ref)", at: path)
            }
            foundType = r.type
            bundled = r
            if let named = Self.typeSegment(ref), isResourceType(named), named != r.type {
                report(
                    .error, .structure,
                    "Matching reference for reference \(ref) has resourceType \(r.type)", at: path)
                return
            }
        } else if options.requiresLocalReferencesToResolve && bundle != nil
            && (ref.hasPrefix("urn:")
                || (!Self.hasScheme(ref) && BundleIndex.targetURL(ref, entryFullURL: entryFullURL) == nil))
        {
            // A relative reference from an entry with a RESTful fullUrl names a resource on that server, which may
            // be outside the Bundle; without such a base (a Parameters, a `urn:` fullUrl) it can only be local.
            report(.error, .structure, "Unable to resolve resource with reference '\(ref)'", at: path)
            return
        } else if !ref.hasPrefix("urn:") {
            let parts = ref.split(separator: "?").first.map { $0.split(separator: "/") } ?? []
            var t = parts.count - 2
            if parts.count >= 4 && parts[parts.count - 2] == "_history" { t = parts.count - 4 }
            if t >= 0, isResourceType(String(parts[t])) {
                foundType = String(parts[t])
                fromURL = true
            }
        }
        if let declared = e.string("type") {
            if let f = foundType, f != declared {
                report(
                    .error, .structure, "The type '\(declared)' does not match the reference's type '\(f)'",
                    at: path + ".type")
            }
            foundType = foundType ?? declared
        }
        if fromURL && e.string("type") == nil && !options.checkReferenceURLTargetTypes { return }
        guard let found = foundType else { return }
        let targets = def.types.filter { $0.code == "Reference" }.flatMap(\.targetProfiles)
        guard !targets.isEmpty else { return }
        if let target = bundled { checkTargetProfiles(target, reference: ref, targets: targets, path: path) }
        var names: [String] = []
        for url in targets {
            let name = store.profile(url)?.type ?? String(url.split(separator: "/").last ?? "")
            if store.profile(url) == nil && !isResourceType(name) {
                report(
                    .warning, .notFound,
                    "The target profile \(url) is not known, so the reference's target cannot be checked against it",
                    at: path)
                return
            }
            if name == "Resource" || name == found { return }
            if name == "DomainResource" && found != "Bundle" && found != "Binary" && found != "Parameters" { return }
            names.append(name)
        }
        report(
            .error, .structure,
            "Invalid Resource target type. Found \(found), but expected one of (\(names.joined(separator: ", ")))",
            at: path)
    }

    /// `Practitioner` for `Practitioner/1`, `http://x/fhir/Practitioner/1` or `Practitioner/1/_history/2`.
    static func typeSegment(_ ref: String) -> String? {
        let parts = ref.split(separator: "?").first.map { $0.split(separator: "/") } ?? []
        var t = parts.count - 2
        if parts.count >= 4 && parts[parts.count - 2] == "_history" { t = parts.count - 4 }
        return t >= 0 ? String(parts[t]) : nil
    }

    /// The resource a Reference element points at, within the Bundle or the contained resources.
    func resolved(_ e: Element) -> Element? {
        guard let ref = e.string("reference") else { return nil }
        if ref.hasPrefix("#") {
            return containerHost.children(named: "contained").first { $0.resourceID == String(ref.dropFirst()) }
        }
        return bundle?.resolve(ref)
    }

    /// A target in the Bundle must conform to one of the constraint profiles of its type the reference lists,
    /// unless the reference also allows the plain type.
    mutating func checkTargetProfiles(_ target: Element, reference: String, targets: [String], path: String) {
        guard depth < 48 else { return }
        var constrained: [Profile] = []
        for url in targets {
            guard let p = store.profile(url) else { return }
            if p.derivation != "constraint" {
                if p.type == target.type || p.type == "Resource" || p.type == "DomainResource" { return }
            } else if p.type == target.type {
                constrained.append(p)
            }
        }
        guard !constrained.isEmpty, !constrained.contains(where: { conforms(target, to: $0) }) else { return }
        report(
            .error, .structure,
            "Unable to find a profile match for \(reference) among choices: \(constrained.map(\.url).joined(separator: ", "))",
            at: path)
    }
}
