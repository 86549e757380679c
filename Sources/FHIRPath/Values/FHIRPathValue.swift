import FHIRModel
import Foundation

/// One item of a FHIRPath collection: a node of the FHIR element tree (with its FHIR type) or a System value.
///
/// A primitive FHIR node (`FHIR.string`, `FHIR.date`, …) keeps its identity as a node, so `is`/`as` see the
/// FHIR type; operators and functions use its System value (``systemValue``).
public enum FHIRPathValue: Sendable, Hashable {
    /// A FHIR element, resource or primitive; its type is `element.type`.
    case node(Element)
    case boolean(Bool)
    case string(String)
    case integer(Int)
    /// A decimal and the number of digits after the point it was written with (kept for output).
    case decimal(Decimal, scale: Int)
    case date(FHIRPathTemporal)
    case dateTime(FHIRPathTemporal)
    case time(FHIRPathTemporal)
    case quantity(FHIRPathQuantity)

    /// A temporal value in the case matching its kind.
    static func temporal(_ t: FHIRPathTemporal) -> FHIRPathValue {
        switch t.kind {
        case .date: .date(t)
        case .dateTime: .dateTime(t)
        case .time: .time(t)
        }
    }

    /// FHIR primitive types whose System type is String.
    static let stringTypes: Set<String> = [
        "string", "code", "id", "uri", "url", "canonical", "markdown", "oid", "uuid", "base64Binary", "xhtml",
        "System.String",
    ]
    /// FHIR datatypes read as System.Quantity.
    static let quantityTypes: Set<String> = [
        "Quantity", "Age", "Duration", "Distance", "Count", "SimpleQuantity", "MoneyQuantity",
    ]

    /// The System value of a primitive node (or of a Quantity node); the value itself otherwise.
    /// Nil for a complex node and for a primitive node without a value.
    public var systemValue: FHIRPathValue? {
        guard case .node(let e) = self else { return self }
        return Self.systemValue(of: e)
    }

    static func systemValue(of e: Element) -> FHIRPathValue? {
        guard let v = e.value else {
            if quantityTypes.contains(e.type) { return quantity(of: e) }
            return nil
        }
        switch e.type {
        case "boolean": return v == "true" ? .boolean(true) : v == "false" ? .boolean(false) : nil
        case "integer", "positiveInt", "unsignedInt", "integer64":
            return Int(v).map(FHIRPathValue.integer)
        case "decimal": return decimal(text: v)
        case "date": return FHIRPathTemporal.parse(v, kind: .date).map(FHIRPathValue.date)
        case "dateTime", "instant":
            return FHIRPathTemporal.parse(v, kind: .dateTime).map(FHIRPathValue.dateTime)
        case "time": return FHIRPathTemporal.parse(v, kind: .time).map(FHIRPathValue.time)
        default: return .string(v)
        }
    }

    /// A Quantity node as a System.Quantity (UCUM code when the system is UCUM, else the unit text).
    static func quantity(of e: Element) -> FHIRPathValue? {
        guard let v = e.string("value"), let d = Decimal(string: v, locale: nil) else { return nil }
        let code = e.string("code")
        let unit = e.string("unit")
        let ucum = e.string("system") == "http://unitsofmeasure.org"
        var u = (ucum ? code : nil) ?? code ?? unit ?? "1"
        // Calendar keywords written as a unit text stay keywords.
        if !ucum, let unit, FHIRPathQuantity.calendarUnits[unit] != nil { u = unit }
        return .quantity(FHIRPathQuantity(value: d, unit: u))
    }

    /// The element when this is a node.
    public var element: Element? {
        if case .node(let e) = self { return e }
        return nil
    }

    /// The type name: the FHIR type of a node (`string`, `HumanName`, `Patient`) or the System type
    /// (`System.String`, `System.Integer`, …).
    public var typeName: String {
        switch self {
        case .node(let e): e.type
        case .boolean: "System.Boolean"
        case .string: "System.String"
        case .integer: "System.Integer"
        case .decimal: "System.Decimal"
        case .date: "System.Date"
        case .dateTime: "System.DateTime"
        case .time: "System.Time"
        case .quantity: "System.Quantity"
        }
    }

    /// A decimal whose scale is that of its value (for computed results).
    static func decimal(_ d: Decimal) -> FHIRPathValue {
        .decimal(d, scale: Swift.max(0, -d.exponent))
    }

    /// A decimal read from text, keeping the digits after the point as its scale.
    static func decimal(text: String) -> FHIRPathValue? {
        guard let d = Decimal(string: text, locale: nil) else { return nil }
        let scale = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
        return .decimal(d, scale: scale)
    }

    /// The decimal's text with at least `scale` digits after the point.
    static func format(_ d: Decimal, scale: Int) -> String {
        var s = "\(d)"
        let have = s.firstIndex(of: ".").map { s.distance(from: $0, to: s.endIndex) - 1 } ?? 0
        if have < scale {
            if have == 0 { s += "." }
            s += String(repeating: "0", count: scale - have)
        }
        return s
    }

    private static let trueCollection: [FHIRPathValue] = [.boolean(true)]
    private static let falseCollection: [FHIRPathValue] = [.boolean(false)]

    /// `[true]` or `[false]`, shared (no allocation per result).
    static func booleanCollection(_ b: Bool) -> [FHIRPathValue] {
        b ? trueCollection : falseCollection
    }

    private static let smallIntegers: [[FHIRPathValue]] = (0..<64).map { [.integer($0)] }

    /// `[n]`, shared for small counts (no allocation per `count()`).
    static func integerCollection(_ n: Int) -> [FHIRPathValue] {
        n >= 0 && n < 64 ? smallIntegers[n] : [.integer(n)]
    }
}
