import FHIRModel

/// The FHIR-specific functions: extension(), hasValue(), getValue(), resolve(), conformsTo(), memberOf(),
/// htmlChecks().
extension Evaluator {
    func fhir(
        _ f: FunctionName, _ input: [FHIRPathValue], _ args: [[FHIRPathValue]]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        func url() throws(FHIRPathError) -> String? {
            guard let v = try singleValue(args[0], "\(f.rawValue)()") else { return nil }
            guard case .string(let s) = v else { throw .execution(message: "\(f.rawValue)() needs a URL string") }
            return s
        }
        switch f {
        case .extension:
            guard let u = try url() else { return [] }
            var out: [FHIRPathValue] = []
            for item in input {
                guard case .node(let e) = item else { continue }
                for c in e.children where c.name == "extension" && c.string("url") == u { out.append(.node(c)) }
            }
            return out
        case .hasValue:
            guard input.count == 1, case .node(let e) = input[0] else { return FHIRPathValue.booleanCollection(false) }
            return FHIRPathValue.booleanCollection(e.value != nil && structures.isPrimitive(e.type))
        case .getValue:
            guard input.count == 1, case .node(let e) = input[0], e.value != nil else { return [] }
            return FHIRPathValue.systemValue(of: e).map { [$0] } ?? []
        case .resolve:
            return input.compactMap(resolve)
        case .conformsTo:
            guard let u = try url(), let item = try single(input, "conformsTo()") else { return [] }
            guard case .node(let e) = item else { return FHIRPathValue.booleanCollection(false) }
            if let profiles = context.profiles {
                return profiles.conformsTo(e, profileURL: u).map { FHIRPathValue.booleanCollection($0) } ?? []
            }
            guard let t = structures.typesByURL[u] else {
                throw .execution(message: "unknown profile '\(u)'")
            }
            return FHIRPathValue.booleanCollection(e.type == t.name || isSubtype(e.type, of: t.name))
        case .memberOf:
            guard let u = try url(), let item = try single(input, "memberOf()") else { return [] }
            guard let terminology = context.terminology else { return [] }
            return terminology.memberOf(item, valueSetURL: u).map { FHIRPathValue.booleanCollection($0) } ?? []
        case .htmlChecks:
            guard let item = try single(input, "htmlChecks()") else { return [] }
            guard case .node(let e) = item, let markup = e.value else { return FHIRPathValue.booleanCollection(false) }
            return FHIRPathValue.booleanCollection(NarrativeChecks.problem(markup) == nil)
        case .checkModifiers:
            return input
        case .type:
            return input.map { item in
                let (namespace, name) =
                    if case .node(let e) = item { ("FHIR", e.type) } else {
                        ("System", String(item.typeName.dropFirst("System.".count)))
                    }
                return .node(
                    Element(
                        name: "type", type: "TypeInfo",
                        children: [
                            Element(name: "namespace", type: "string", value: namespace),
                            Element(name: "name", type: "string", value: name),
                        ]))
            }
        default:  // elementDefinition, slice: need definitions the engine does not expose yet
            return []
        }
    }

    /// The resource a Reference (or a reference string) points to: a contained resource for `#id`, else
    /// an entry of the enclosing Bundle by full URL or by `Type/id`.
    private func resolve(_ item: FHIRPathValue) -> FHIRPathValue? {
        let reference: String
        switch item {
        case .node(let e) where e.value == nil:
            guard let r = e.string("reference") else { return nil }
            reference = r
        default:
            guard case .string(let s) = item.systemValue else { return nil }
            reference = s
        }
        if reference.hasPrefix("#") {
            let id = reference.dropFirst()
            for holder in [context.resource, context.rootResource].compactMap({ $0 }) {
                for c in holder.children where c.name == "contained" && c.resourceID.map({ $0[...] == id }) == true {
                    return .node(c)
                }
            }
            return nil
        }
        guard
            let bundle = [context.rootResource, context.resource].compactMap({ $0 }).first(where: {
                $0.type == "Bundle"
            })
        else { return nil }
        let parts = reference.split(separator: "/")
        let typeAndID = parts.count >= 2 ? (String(parts[parts.count - 2]), String(parts[parts.count - 1])) : nil
        var byID: Element?
        for entry in bundle.children where entry.name == "entry" {
            guard let resource = entry.child("resource") else { continue }
            if entry.string("fullUrl") == reference { return .node(resource) }
            if byID == nil, let (t, id) = typeAndID, resource.type == t, resource.resourceID == id {
                byID = resource
            }
        }
        return byID.map(FHIRPathValue.node)
    }
}
