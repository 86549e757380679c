import FHIRModel

/// Compares two JSON documents as FHIR JSON: object key order is free, arrays are ordered, numbers compare
/// by exact text (1.50 ≠ 1.5), and the narrative `div` compares as XML (see ``CanonicalXML``).
public enum JSONComparison {
    /// Human-readable differences, empty when equal.
    public static func differences(_ a: JSONValue, _ b: JSONValue, path: String = "$", limit: Int = 10) -> [String] {
        var out: [String] = []
        compare(a, b, path: path, key: nil, into: &out, limit: limit)
        return out
    }

    static func compare(
        _ a: JSONValue, _ b: JSONValue, path: String, key: String?, into out: inout [String], limit: Int
    ) {
        guard out.count < limit else { return }
        switch (a, b) {
        case (.object(let ma), .object(let mb)):
            let da = Dictionary(ma.map { ($0.key, $0.node.value) }, uniquingKeysWith: { x, _ in x })
            let db = Dictionary(mb.map { ($0.key, $0.node.value) }, uniquingKeysWith: { x, _ in x })
            for k in Set(da.keys).union(db.keys).sorted() {
                switch (da[k], db[k]) {
                case (let x?, let y?): compare(x, y, path: path + "." + k, key: k, into: &out, limit: limit)
                case (_?, nil): out.append("\(path).\(k): only in the first")
                case (nil, _?): out.append("\(path).\(k): only in the second")
                default: break
                }
            }
        case (.array(let xa), .array(let xb)):
            if xa.count != xb.count { out.append("\(path): \(xa.count) items vs \(xb.count)") }
            for (i, (x, y)) in zip(xa, xb).enumerated() {
                compare(x.value, y.value, path: "\(path)[\(i)]", key: key, into: &out, limit: limit)
            }
        case (.string(let x), .string(let y)) where key == "div":
            if x != y && !CanonicalXML.equalMarkup(x, y) { out.append("\(path): narrative differs") }
        default:
            if a != b { out.append("\(path): \(short(a)) vs \(short(b))") }
        }
    }

    static func short(_ v: JSONValue) -> String {
        let s = String(decoding: v.serialized(), as: UTF8.self)
        return s.count > 80 ? String(s.prefix(80)) + "…" : s
    }
}
