internal import CLibXML2

/// The narrative `div`: XHTML kept as markup text, checked for well-formedness, serialised the same way
/// whichever format it came from.
public enum XHTML {
    public static let namespace = "http://www.w3.org/1999/xhtml"

    /// Nil when `markup` is a well-formed `<div>` in the XHTML namespace, else the reason.
    public static func problem(_ markup: String) -> String? {
        switch parse(markup) {
        case .success(let doc):
            xmlFreeDoc(doc)
            return nil
        case .failure(let message):
            return message
        }
    }

    enum ParseResult {
        case success(xmlDocPtr)
        case failure(String)
    }

    /// Parses a div with the safe options; the caller frees the document.
    static func parse(_ markup: String) -> ParseResult {
        let bytes = Array(markup.utf8)
        if SafeXML.containsDoctype(bytes) { return .failure("the narrative may not contain a DOCTYPE") }
        guard let ctxt = cfhir_new_quiet_parser_context() else { return .failure("out of memory") }
        defer { xmlFreeParserCtxt(ctxt) }
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlCtxtReadMemory(ctxt, $0, Int32(buf.count), nil, "UTF-8", cfhir_safe_parse_options())
            }
        }
        guard let doc else {
            return .failure("the narrative is not well-formed XHTML: " + SafeXML.lastErrorMessage(ctxt))
        }
        guard let root = xmlDocGetRootElement(doc), SafeXML.name(root) == "div",
            SafeXML.namespace(root) == namespace
        else {
            xmlFreeDoc(doc)
            return .failure("the narrative must be a <div> in the XHTML namespace")
        }
        return .success(doc)
    }

    /// Serialises an XHTML element subtree.
    ///
    /// `forXML` escapes line breaks and tabs inside attribute values as character references, so that
    /// an XML parser's attribute normalisation cannot change them; the JSON form keeps them literal.
    static func serialize(_ node: xmlNodePtr, forXML: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(node, isRoot: true, forXML: forXML, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Re-serialises markup for XML output (see ``serialize(_:forXML:)``); nil when it is not well-formed.
    static func markupForXML(_ markup: String) -> String? {
        guard case .success(let doc) = parse(markup) else { return nil }
        defer { xmlFreeDoc(doc) }
        return serialize(xmlDocGetRootElement(doc)!, forXML: true)
    }

    private static func write(_ node: xmlNodePtr, isRoot: Bool, forXML: Bool, to out: inout [UInt8]) {
        let name = qualifiedName(node)
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: name.utf8)
        if isRoot {
            out.append(contentsOf: " xmlns=\"http://www.w3.org/1999/xhtml\"".utf8)
        }
        var attr = node.pointee.properties
        while let a = attr {
            out.append(0x20)
            out.append(contentsOf: qualifiedAttributeName(a).utf8)
            out.append(contentsOf: "=\"".utf8)
            let value = SafeXML.attributeValue(a)
            escape(value, attribute: true, forXML: forXML, to: &out)
            out.append(0x22)
            attr = a.pointee.next
        }
        var child = node.pointee.children
        if child == nil {
            out.append(contentsOf: "/>".utf8)
            return
        }
        out.append(UInt8(ascii: ">"))
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                write(c, isRoot: false, forXML: forXML, to: &out)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content {
                    escape(String(cString: content), attribute: false, forXML: forXML, to: &out)
                }
            case XML_COMMENT_NODE:
                // Kept: authors put them in narratives, and the markup must survive a round trip.
                out.append(contentsOf: "<!--".utf8)
                if let content = c.pointee.content { out.append(contentsOf: String(cString: content).utf8) }
                out.append(contentsOf: "-->".utf8)
            default:
                break  // processing instructions are not narrative content
            }
            child = c.pointee.next
        }
        out.append(contentsOf: "</".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ">"))
    }

    private static func qualifiedName(_ node: xmlNodePtr) -> String {
        SafeXML.name(node)
    }

    private static func qualifiedAttributeName(_ a: xmlAttrPtr) -> String {
        let local = String(cString: a.pointee.name)
        if let ns = a.pointee.ns, let prefix = ns.pointee.prefix {
            return String(cString: prefix) + ":" + local
        }
        return local
    }

    private static func escape(_ s: String, attribute: Bool, forXML: Bool, to out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where attribute: out.append(contentsOf: "&quot;".utf8)
            case 0x0A where attribute && forXML: out.append(contentsOf: "&#10;".utf8)
            case 0x0D where forXML: out.append(contentsOf: "&#13;".utf8)
            case 0x09 where attribute && forXML: out.append(contentsOf: "&#9;".utf8)
            default: out.append(b)
            }
        }
    }
}
