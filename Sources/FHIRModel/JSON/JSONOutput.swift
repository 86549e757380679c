/// Low-level JSON text output shared by the FHIR JSON writer and the generic ``JSONValue`` writer.
///
/// Strings are escaped per RFC 8259 (quote, backslash, control characters); everything else, including
/// non-ASCII text, is written as UTF-8 unchanged. `/` is not escaped.
struct JSONOutput {
    var bytes: [UInt8] = []
    let pretty: Bool
    var level = 0

    init(pretty: Bool, capacity: Int = 4096) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func raw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    mutating func newline() {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<level {
            bytes.append(0x20)
            bytes.append(0x20)
        }
    }

    mutating func key(_ k: String) {
        string(k)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
    }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            bytes.append(contentsOf: s.utf8)
        } else {
            for b in s.utf8 {
                switch b {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                case 0..<0x20:
                    raw("\\u00")
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(hex[Int(b >> 4)])
                    bytes.append(hex[Int(b & 0xF)])
                default: bytes.append(b)
                }
            }
        }
        bytes.append(0x22)
    }
}

extension JSONValue {
    /// Writes this value as JSON text; object members keep their order, numbers their text.
    public func serialized(pretty: Bool = false) -> [UInt8] {
        var out = JSONOutput(pretty: pretty)
        Self.write(self, to: &out)
        if pretty { out.bytes.append(0x0A) }
        return out.bytes
    }

    private static func write(_ value: JSONValue, to out: inout JSONOutput) {
        switch value {
        case .null: out.raw("null")
        case .bool(let b): out.raw(b ? "true" : "false")
        case .number(let n): out.raw(n)
        case .string(let s): out.string(s)
        case .array(let items):
            out.raw("[")
            out.level += 1
            for (i, item) in items.enumerated() {
                if i > 0 { out.raw(",") }
                out.newline()
                write(item.value, to: &out)
            }
            out.level -= 1
            if !items.isEmpty { out.newline() }
            out.raw("]")
        case .object(let members):
            out.raw("{")
            out.level += 1
            for (i, m) in members.enumerated() {
                if i > 0 { out.raw(",") }
                out.newline()
                out.key(m.key)
                write(m.node.value, to: &out)
            }
            out.level -= 1
            if !members.isEmpty { out.newline() }
            out.raw("}")
        }
    }
}
