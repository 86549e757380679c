internal import CLibXML2

/// The one place where untrusted XML meets libxml2.
///
/// Options are fixed (no network, no entity substitution, no DTD loading or defaults) and cannot be changed by
/// callers; any DOCTYPE is refused before libxml2 sees the bytes, which closes external entities, parameter
/// entities and entity-expansion bombs in one move (FHIR XML never has a DOCTYPE).
enum SafeXML {
    static let fhirNamespace = "http://hl7.org/fhir"

    /// True when the bytes contain a DOCTYPE or ENTITY declaration anywhere.
    static func containsDoctype(_ bytes: [UInt8]) -> Bool {
        let markers: [[UInt8]] = [Array("<!DOCTYPE".utf8), Array("<!ENTITY".utf8)]
        return bytes.withUnsafeBufferPointer { buf in
            guard buf.count >= 8 else { return false }
            var i = 0
            while i < buf.count - 1 {
                if buf[i] == UInt8(ascii: "<") && buf[i + 1] == UInt8(ascii: "!") {
                    for m in markers where i + m.count <= buf.count {
                        var match = true
                        for k in 2..<m.count where buf[i + k] != m[k] {
                            match = false
                            break
                        }
                        if match { return true }
                    }
                }
                i += 1
            }
            return false
        }
    }

    /// The offset of the first byte that is not part of valid UTF-8, or nil when all of it is valid.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            switch b {
            case 0xC2...0xDF: (length, minimum) = (2, 0x80)
            case 0xE0...0xEF: (length, minimum) = (3, 0x800)
            case 0xF0...0xF4: (length, minimum) = (4, 0x10000)
            default: return i
            }
            guard i + length <= n else { return i }
            var scalar = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            minimum = 0
            i += length
        }
        return nil
    }

    static func lastErrorMessage(_ ctxt: xmlParserCtxtPtr) -> String {
        guard let err = xmlCtxtGetLastError(ctxt), let msg = err.pointee.message else { return "malformed XML" }
        return String(cString: msg).trimmed(of: " \n")
    }

    static func name(_ node: xmlNodePtr) -> String {
        String(cString: node.pointee.name)
    }

    static func namespace(_ node: xmlNodePtr) -> String? {
        guard let ns = node.pointee.ns, let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    private static let fhirNamespaceC: [UInt8] = Array("http://hl7.org/fhir".utf8) + [0]
    private static let xhtmlNamespaceC: [UInt8] = Array("http://www.w3.org/1999/xhtml".utf8) + [0]
    private static let schemaInstanceC: [UInt8] = Array("http://www.w3.org/2001/XMLSchema-instance".utf8) + [0]

    static func equals(_ s: UnsafePointer<xmlChar>?, _ c: [UInt8]) -> Bool {
        guard let s else { return false }
        return c.withUnsafeBufferPointer { xmlStrEqual(s, $0.baseAddress) != 0 }
    }

    static func equals(_ s: UnsafePointer<xmlChar>?, _ text: StaticString) -> Bool {
        guard let s else { return false }
        return text.withUTF8Buffer { buf in
            var i = 0
            while i < buf.count {
                if s[i] != buf[i] { return false }
                i += 1
            }
            return s[i] == 0
        }
    }

    /// Whether the element is in the FHIR namespace.
    static func isFHIR(_ node: xmlNodePtr) -> Bool {
        equals(node.pointee.ns?.pointee.href, fhirNamespaceC)
    }

    static func isXHTML(_ node: xmlNodePtr) -> Bool {
        equals(node.pointee.ns?.pointee.href, xhtmlNamespaceC)
    }

    static func isSchemaInstance(_ ns: xmlNsPtr) -> Bool {
        equals(ns.pointee.href, schemaInstanceC)
    }

    /// Whether a text node holds only XML whitespace.
    static func isBlank(_ node: xmlNodePtr) -> Bool {
        guard var p = node.pointee.content else { return true }
        while p.pointee != 0 {
            switch p.pointee {
            case 0x20, 0x0A, 0x0D, 0x09: p += 1
            default: return false
            }
        }
        return true
    }

    static func attributeValue(_ a: xmlAttrPtr) -> String {
        var text = ""
        var c = a.pointee.children
        while let node = c {
            if let content = node.pointee.content { text += String(cString: content) }
            c = node.pointee.next
        }
        return text
    }
}

extension String {
    func trimmed(of set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
