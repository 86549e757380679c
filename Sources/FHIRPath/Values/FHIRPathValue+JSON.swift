import FHIRModel

extension FHIRPathValue {
    /// The item as `{"type": …, "value": …}` for command-line output.
    ///
    /// `type` is the FHIR type of a node (`string`, `HumanName`, `Patient`) or the System type
    /// (`System.Integer`). `value` is the lexical value of a primitive (a JSON number or boolean where FHIR JSON
    /// writes one), the FHIR JSON object of a complex node or resource (written by ``FHIRJSONWriter``), the
    /// ISO text of a date/time, and `{"value": n, "unit": u}` for a System quantity.
    public func json(structures: StructureRegistry) -> JSONValue {
        .object([
            JSONMember(key: "type", node: JSONNode(.string(typeName))),
            JSONMember(key: "value", node: JSONNode(jsonValue(structures: structures))),
        ])
    }

    private func jsonValue(structures: StructureRegistry) -> JSONValue {
        switch self {
        case .node(let e):
            if let v = e.value { return Self.primitive(v, type: e.type) }
            return Self.complex(e, structures: structures)
        case .boolean(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .integer(let i): return .number(String(i))
        case .decimal(let d, let scale): return .number(Self.format(d, scale: scale))
        case .date(let t), .dateTime(let t), .time(let t): return .string(t.description)
        case .quantity(let q):
            return .object([
                JSONMember(key: "value", node: JSONNode(.number("\(q.value)"))),
                JSONMember(key: "unit", node: JSONNode(.string(q.unit))),
            ])
        }
    }

    private static func primitive(_ v: String, type: String) -> JSONValue {
        switch type {
        case "boolean": return .bool(v == "true")
        case "integer", "positiveInt", "unsignedInt", "decimal": return .number(v)
        default: return .string(v)
        }
    }

    /// A resource through the writer; a datatype through the writer inside a Parameters wrapper (whose
    /// `value[x]` takes any datatype); anything else (a backbone element) member by member.
    private static func complex(_ e: Element, structures: StructureRegistry) -> JSONValue {
        let writer = FHIRJSONWriter(registry: structures)
        let parser = JSONParser()
        if structures.concreteResourceType(named: e.type) != nil {
            return (try? parser.parse(writer.write(e)).value) ?? .null
        }
        if structures.type(named: e.type)?.kind == .complex, e.type != "BackboneElement", e.type != "Element" {
            var value = e
            value.name = "value"
            let wrapper = Element.resource(
                "Parameters",
                children: [
                    Element(
                        name: "parameter", type: "BackboneElement",
                        children: [Element(name: "name", type: "string", value: "v"), value])
                ])
            if let parsed = try? parser.parse(writer.write(wrapper)).value,
                let parameter = parsed["parameter"]?.value.arrayValue?.first?.value.objectValue,
                let member = parameter.first(where: { $0.key.hasPrefix("value") })
            {
                return member.node.value
            }
        }
        return generic(e)
    }

    /// Children grouped by name (arrays for repeats), primitives as strings.
    private static func generic(_ e: Element) -> JSONValue {
        var members: [JSONMember] = []
        var i = 0
        while i < e.children.count {
            let name = e.children[i].name
            var j = i
            var items: [JSONNode] = []
            while j < e.children.count, e.children[j].name == name {
                let c = e.children[j]
                items.append(JSONNode(c.value.map { primitive($0, type: c.type) } ?? generic(c)))
                j += 1
            }
            members.append(JSONMember(key: name, node: items.count == 1 ? items[0] : JSONNode(.array(items))))
            i = j
        }
        return .object(members)
    }
}
