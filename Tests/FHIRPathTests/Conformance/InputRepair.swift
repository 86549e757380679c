import FHIRModel
import FHIRTestSupport
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Repairs for the two suite inputs that break rules the project's readers enforce:
/// `observation-example.xml` has an extension out of definition order and `patient-name-extensions.json`
/// has a `_given` array shorter than `given`. The content is unchanged.
enum InputRepair {
    static func repair(_ file: String, _ bytes: [UInt8]) -> [UInt8]? {
        file.hasSuffix(".json") ? padded(bytes) : reordered(bytes)
    }

    /// The root's children sorted (stably) into definition order.
    static func reordered(_ bytes: [UInt8]) -> [UInt8]? {
        guard let doc = try? XMLDocument(data: Data(bytes)), let root = doc.rootElement(),
            let def = Conformance.registry.type(named: root.name ?? "")?.root
        else { return nil }
        let elements = (root.children ?? []).compactMap { $0 as? XMLElement }
        let sorted = elements.enumerated().sorted { a, b in
            let oa = def.childrenByWireName[a.element.name ?? ""]?.definition.order ?? Int.max
            let ob = def.childrenByWireName[b.element.name ?? ""]?.definition.order ?? Int.max
            return oa != ob ? oa < ob : a.offset < b.offset
        }.map(\.element)
        for e in elements { e.detach() }
        root.setChildren(sorted)
        return Array(doc.xmlData)
    }

    /// `_field` arrays padded with nulls to the length of `field`.
    static func padded(_ bytes: [UInt8]) -> [UInt8]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) else { return nil }
        func fix(_ v: Any) -> Any {
            if let array = v as? [Any] { return array.map(fix) }
            guard var dict = v as? [String: Any] else { return v }
            for (k, value) in dict { dict[k] = fix(value) }
            for (k, value) in dict where k.hasPrefix("_") {
                if var ext = value as? [Any], let base = dict[String(k.dropFirst())] as? [Any], ext.count < base.count {
                    ext.append(contentsOf: Array(repeating: NSNull(), count: base.count - ext.count))
                    dict[k] = ext
                }
            }
            return dict
        }
        guard let data = try? JSONSerialization.data(withJSONObject: fix(object)) else { return nil }
        return Array(data)
    }
}
