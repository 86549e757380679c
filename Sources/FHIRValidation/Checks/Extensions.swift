import FHIRModel
import Foundation

extension ValidationRun {
    /// An extension: against its definition when known (context, value types, cardinality of its parts),
    /// otherwise against the base Extension. An unknown URL is reported with ``ValidationOptions``'
    /// `unknownExtensionSeverity` (a warning by default; the HL7 Java validator's outcomes in the test cases report
    /// "could not be found so is not allowed here" as an error), except unknown `http://hl7.org/fhir/StructureDefinition/`
    /// URLs (extensions of later FHIR versions: a warning, not checked; the R4 core ones are bundled). A sub-extension of a known complex
    /// extension must be one of its slices. ext-1 (value or extensions, not both) is checked here.
    mutating func validateExtension(_ ext: Element, def: ProfileElement, host: Element, hostPath: String, path: String)
    {
        let url = ext.string("url")
        let hasValue = ext.child("value") != nil
        let hasExtensions = ext.child("extension") != nil
        if hasValue == hasExtensions {
            report(
                .error, .invariant, "Must have either extensions or value[x], not both (ext-1)", at: path, key: "ext-1")
        }
        if url?.isEmpty ?? true {
            report(
                .error, .required, "Extension.url is required in order to identify, use and validate the extension",
                at: path)
        }
        var definition: Profile?
        if let profileURL = def.types.first(where: { $0.code == "Extension" })?.profiles.first {
            definition = store.profile(profileURL)
        }
        if definition == nil, let url { definition = store.profile(url) }
        guard let definition, definition.type == "Extension" else {
            if let url, def.sliceName == nil {
                reportUnknownExtension(url, def: def, host: host, path: path)
            }
            validate(ext, def: def, path: path)
            return
        }
        if let url, url != definition.url, def.sliceName == nil {
            report(.error, .value, "The extension URL \(url) does not match the definition \(definition.url)", at: path)
        }
        if def.sliceName == nil || def.children.isEmpty {
            checkContext(definition, host: host, hostPath: hostPath, path: path)
        }
        depth += 1
        if depth < 96 { validate(ext, def: definition.root, path: path) }
        depth -= 1
    }

    mutating func reportUnknownExtension(_ url: String, def: ProfileElement, host: Element, path: String) {
        if host.type == "Extension" && !url.contains(":") {
            // A sub-extension: only a known complex extension (one with slices) can say it is not defined.
            if !def.slices.isEmpty {
                report(
                    .error, .structure,
                    "Sub-extension url '\(url)' is not defined by the Extension \(host.string("url") ?? "")", at: path)
            }
            return
        }
        if !url.contains(":") {
            report(.error, .structure, "Extension.url must be an absolute URL", at: path)
        } else if url.hasPrefix("http://hl7.org/fhir/StructureDefinition/") {
            report(
                .warning, .notSupported,
                "The extension \(url) is not an R4 core extension known here, so it is not checked", at: path)
        } else {
            report(
                options.unknownExtensionSeverity, .structure,
                "The extension \(url) could not be found so is not allowed here", at: path)
        }
    }

    /// The extension's context: the host's type or path (without indexes), or a host extension's URL.
    mutating func checkContext(_ definition: Profile, host: Element, hostPath: String, path: String) {
        guard !definition.contexts.isEmpty else { return }
        // The host's path from its own resource: `MessageHeader.source`, not `Bundle.entry.resource.source`.
        let relative =
            hostPath.hasPrefix(resourcePath) ? resource.type + hostPath.dropFirst(resourcePath.count) : hostPath
        let plainPath = Self.withoutIndexes(relative)
        var candidates: Set<String> = [host.type, plainPath, "Element"]
        if isResourceType(host.type) { candidates.formUnion(["Resource", "DomainResource"]) }
        if host.type == "BackboneElement" { candidates.insert("BackboneElement") }
        // A path relative to a datatype: `Address.line` when the host path ends in a datatype's element.
        let parts = plainPath.split(separator: ".")
        for i in parts.indices.dropFirst() {
            candidates.insert(parts[i...].joined(separator: "."))
        }
        // Paths relative to the datatypes on the way: `HumanName.family` for `Patient.contact.name.family`.
        candidates.formUnion(datatypePaths(parts.map(String.init)))
        // The resource's base types stand for its name: `DomainResource.text` matches `Patient.text`.
        if let first = parts.first, var base = store.coreByType[String(first)]?.baseDefinition {
            let rest = parts.dropFirst().joined(separator: ".")
            while let t = store.profile(base) {
                candidates.insert(rest.isEmpty ? t.type : t.type + "." + rest)
                guard let next = t.baseDefinition else { break }
                base = next
            }
        }
        var hostURLs = Set(extensionURLs.suffix(1))
        if host.type == "Extension", let u = host.string("url") { hostURLs.insert(u) }
        // Published snapshots put structuredefinition-fhir-type on ElementDefinition.type, not on its code (its
        // R4 context); the HL7 Java validator accepts it there, so do we.
        if definition.url == "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type" {
            candidates.formUnion(candidates.map { $0 + ".code" })
        }
        for c in definition.contexts {
            let head = String(c.expression.split(separator: ".").first ?? "")
            if c.type != "extension" && store.coreByType[head] == nil {
                return  // A type this version does not know (CanonicalResource, an R5 name): not judged.
            }
            switch c.type {
            case "extension":
                if hostURLs.contains(c.expression) { return }
            case "fhirpath":
                // Not evaluated by an engine: the path without its `where(...)` filters must match the host, and
                // a simple filter `where(name = 'value')` is checked on the host element.
                let (plain, filters) = Self.splitFilters(c.expression)
                if candidates.contains(plain)
                    && filters.allSatisfy({ f in f.map { host.string($0.name) == $0.value } ?? true })
                {
                    return
                }
            default:
                if candidates.contains(c.expression) { return }
                if let t = store.coreByType[c.expression], t.kind == "complex-type", host.type == c.expression {
                    return
                }
            }
        }
        let allowed = definition.contexts.map(\.expression).joined(separator: ", ")
        report(
            .error, .structure,
            "The extension \(definition.url) is not allowed to be used at this point (allowed = \(allowed); this element is [\(plainPath)])",
            at: hostPath)
    }

    /// `Patient.address.where(use = 'home')` → ("Patient.address", [("use", "home")]); a filter that is not of the
    /// simple `name = 'value'` form is nil (not judged).
    static func splitFilters(_ expression: String) -> (String, [(name: String, value: String)?]) {
        var plain = ""
        var filters: [(name: String, value: String)?] = []
        var rest = Substring(expression)
        while let ch = rest.first {
            guard rest.hasPrefix(".where(") else {
                plain.append(ch)
                rest = rest.dropFirst()
                continue
            }
            rest = rest.dropFirst(".where(".count)
            var depth = 1
            var inner = ""
            while depth > 0, let x = rest.first {
                if x == "(" { depth += 1 }
                if x == ")" { depth -= 1 }
                if depth > 0 { inner.append(x) }
                rest = rest.dropFirst()
            }
            let parts = inner.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[1].count >= 2, parts[1].hasPrefix("'"), parts[1].hasSuffix("'"),
                parts[0].allSatisfy({ $0.isLetter || $0.isNumber })
            {
                filters.append((parts[0], String(parts[1].dropFirst().dropLast())))
            } else {
                filters.append(nil)
            }
        }
        return (plain, filters)
    }

    /// For each complex datatype met while following `parts` through the core definitions, the rest of the path
    /// prefixed by that type's name.
    func datatypePaths(_ parts: [String]) -> [String] {
        guard let first = parts.first, var current = store.coreByType[first]?.root else { return [] }
        var out: [String] = []
        for i in parts.indices.dropFirst() {
            guard let child = current.childrenByName[parts[i]] ?? current.referenced?.childrenByName[parts[i]] else {
                break
            }
            if !child.children.isEmpty {
                current = child
                continue
            }
            guard child.types.count == 1, let t = store.coreByType[child.types[0].code] else { break }
            out.append(([t.type] + parts[(i + 1)...]).joined(separator: "."))
            current = t.root
        }
        return out
    }

    static func withoutIndexes(_ path: String) -> String {
        var out = ""
        var skipping = false
        for ch in path {
            if ch == "[" {
                skipping = true
            } else if ch == "]" {
                skipping = false
            } else if !skipping {
                out.append(ch)
            }
        }
        if let r = out.range(of: ".ofType(") {
            out = String(out[..<r.lowerBound]) + String(out[r.upperBound...].drop { $0 != ")" }.dropFirst())
        }
        return out
    }
}
