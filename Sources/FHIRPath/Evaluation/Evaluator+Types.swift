import FHIRModel

extension Evaluator {
    /// System type names, as written after `System.`.
    static let systemTypes: Set<String> = [
        "Boolean", "String", "Integer", "Decimal", "Date", "DateTime", "Time", "Quantity", "Any",
    ]

    /// Whether `type` names a type the engine knows; unknown names are semantic errors.
    func checkType(_ type: TypeSpecifier) throws(FHIRPathError) {
        switch type.namespace {
        case "System":
            if Self.systemTypes.contains(type.name) { return }
        case "FHIR":
            if structures.type(named: type.name) != nil { return }
        case nil:
            if Self.systemTypes.contains(type.name) || structures.type(named: type.name) != nil { return }
        default:
            break
        }
        throw .execution(message: "unknown type '\(type)'")
    }

    /// Whether FHIR type `type` specialises `ancestor` (directly or further up).
    func isSubtype(_ type: String, of ancestor: String) -> Bool {
        var current = structures.type(named: type)?.baseType
        var steps = 0
        while let name = current, steps < 16 {
            if name == ancestor { return true }
            current = structures.type(named: name)?.baseType
            steps += 1
        }
        return false
    }

    /// The System type name of a System value.
    static func systemTypeName(_ v: FHIRPathValue) -> String? {
        switch v {
        case .node: nil
        case .boolean: "Boolean"
        case .string: "String"
        case .integer: "Integer"
        case .decimal: "Decimal"
        case .date: "Date"
        case .dateTime: "DateTime"
        case .time: "Time"
        case .quantity: "Quantity"
        }
    }

    /// `is` semantics: FHIR types (with inheritance) for nodes, System types for System values.
    /// - Parameter primitiveInheritance: whether a FHIR primitive matches the primitive it specialises
    ///   (`code` is a `string`): true for `is`, false for `as` and `ofType`, as the official suite expects.
    func isType(_ value: FHIRPathValue, _ type: TypeSpecifier, primitiveInheritance: Bool = false) -> Bool {
        switch value {
        case .node(let e):
            guard type.namespace != "System" else { return false }
            if e.type == type.name { return true }
            // FHIR primitives are distinct types for is/as/ofType (a code is not a string).
            return (primitiveInheritance || !structures.isPrimitive(e.type)) && isSubtype(e.type, of: type.name)
        default:
            guard type.namespace != "FHIR" else { return false }
            if type.name == "Any" { return true }
            return Self.systemTypeName(value) == type.name
        }
    }
}
