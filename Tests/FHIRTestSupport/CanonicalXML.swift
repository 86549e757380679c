import CLibXML2
import FHIRModel

/// XML compared after canonicalisation: namespace declarations, `xsi:` attributes, comments, processing
/// instructions and whitespace-only text outside the XHTML narrative are dropped; attributes are sorted;
/// elements compare by namespace and local name. Optionally drops the `meta.security` HTEST coding that the
/// official XML examples carry and their JSON partners do not.
public enum CanonicalXML {
    public indirect enum Node: Equatable, CustomStringConvertible {
        case element(ns: String, name: String, attributes: [String], children: [Node])
        case text(String)

        public var description: String {
            switch self {
            case .text(let t): return t
            case .element(_, let name, let attrs, let children):
                return "<\(name) \(attrs.joined(separator: " "))>" + children.map(\.description).joined() + "</\(name)>"
            }
        }
    }

    /// The canonical tree of a document, nil when it does not parse.
    public static func canonical(_ bytes: [UInt8], dropHTEST: Bool = false) -> Node? {
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlReadMemory(
                    $0, Int32(buf.count), nil, nil,
                    Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
            }
        }
        guard let doc, let root = xmlDocGetRootElement(doc) else { return nil }
        defer { xmlFreeDoc(doc) }
        var node = convert(root, inXHTML: false)
        if dropHTEST { node = removeHTEST(node) }
        return node
    }

    /// Whether two XHTML fragments are the same XML.
    public static func equalMarkup(_ a: String, _ b: String) -> Bool {
        guard let x = canonical(Array(a.utf8)), let y = canonical(Array(b.utf8)) else { return false }
        return x == y
    }

    /// The first difference between two canonical trees, or nil.
    public static func firstDifference(_ a: Node, _ b: Node, path: String = "") -> String? {
        switch (a, b) {
        case (.element(let na, let la, let aa, let ca), .element(let nb, let lb, let ab, let cb)):
            let here = path + "/" + la
            if na != nb || la != lb { return "\(here): element \(nb):\(lb) instead" }
            if aa != ab { return "\(here): attributes \(aa) vs \(ab)" }
            for (i, (x, y)) in zip(ca, cb).enumerated() {
                if let d = firstDifference(x, y, path: here + "[\(i)]") { return d }
            }
            if ca.count != cb.count { return "\(here): \(ca.count) children vs \(cb.count)" }
            return nil
        case (.text(let x), .text(let y)):
            return x == y ? nil : "\(path): text '\(x.prefix(60))' vs '\(y.prefix(60))'"
        default:
            return "\(path): \(a.description.prefix(60)) vs \(b.description.prefix(60))"
        }
    }

    static func convert(_ node: xmlNodePtr, inXHTML: Bool) -> Node {
        let name = String(cString: node.pointee.name)
        let ns = node.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } } ?? ""
        let xhtml = inXHTML || ns == "http://www.w3.org/1999/xhtml"
        var attrs: [String] = []
        var a = node.pointee.properties
        while let attr = a {
            let an = String(cString: attr.pointee.name)
            let ans = attr.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } } ?? ""
            if ans != "http://www.w3.org/2001/XMLSchema-instance" {
                var value = ""
                var c = attr.pointee.children
                while let t = c {
                    if let content = t.pointee.content { value += String(cString: content) }
                    c = t.pointee.next
                }
                attrs.append((ans.isEmpty ? "" : "{\(ans)}") + an + "=" + value)
            }
            a = attr.pointee.next
        }
        attrs.sort()
        var children: [Node] = []
        var c = node.pointee.children
        while let child = c {
            switch child.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(convert(child, inXHTML: xhtml))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                let text = child.pointee.content.map { String(cString: $0) } ?? ""
                let blank = text.allSatisfy { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }
                if xhtml || !blank {
                    if case .text(let prev)? = children.last {
                        children[children.count - 1] = .text(prev + text)
                    } else {
                        children.append(.text(text))
                    }
                }
            default:
                break
            }
            c = child.pointee.next
        }
        return .element(ns: ns, name: name, attributes: attrs, children: children)
    }

    static func removeHTEST(_ node: Node) -> Node {
        guard case .element(let ns, let name, let attrs, var children) = node else { return node }
        if let metaIndex = children.firstIndex(where: { if case .element(_, "meta", _, _) = $0 { true } else { false } }
        ),
            case .element(let mns, _, let mattrs, var mchildren) = children[metaIndex]
        {
            mchildren.removeAll { child in
                guard case .element(_, "security", _, let sc) = child else { return false }
                return sc.contains {
                    if case .element(_, "code", let ca, _) = $0 { ca.contains("value=HTEST") } else { false }
                }
            }
            if mchildren.isEmpty && mattrs.isEmpty {
                children.remove(at: metaIndex)
            } else {
                children[metaIndex] = .element(ns: mns, name: "meta", attributes: mattrs, children: mchildren)
            }
        }
        // Contained and Bundle entry resources carry HTEST too.
        children = children.map { child in
            guard case .element(let cns, let cname, let cattrs, let cc) = child else { return child }
            if ["contained", "resource", "outcome"].contains(cname) {
                return .element(ns: cns, name: cname, attributes: cattrs, children: cc.map(removeHTEST))
            }
            if cname == "entry" || cname == "parameter" || cname == "part" {
                return removeHTEST(.element(ns: cns, name: cname, attributes: cattrs, children: cc))
            }
            return child
        }
        return .element(ns: ns, name: name, attributes: attrs, children: children)
    }
}

extension Element {
    /// The tree with every narrative `div` replaced by its canonical XML form, so that two serialisations of
    /// the same XHTML (`&quot;` or `"`, attribute quoting) compare equal.
    public func normalizingNarrative() -> Element {
        var copy = self
        if type == "xhtml", let v = value, let c = CanonicalXML.canonical(Array(v.utf8)) {
            copy.value = c.description
        }
        copy.children = children.map { $0.normalizingNarrative() }
        return copy
    }
}
