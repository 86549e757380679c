import FHIRModel

extension ValidationRun {
    /// txt-1 (only basic HTML formatting elements, no event-handler attributes) and txt-2 (some non-whitespace
    /// content), checked natively on the narrative `div` markup: both need `htmlChecks()`, which FHIRPath engines
    /// implement unevenly, and txt-1 is the narrative's security rule.
    mutating func checkNarrative(_ div: Element, path: String) {
        guard let markup = div.value else { return }
        let scan = NarrativeScan(markup)
        if let bad = scan.disallowedElement ?? scan.disallowedAttribute {
            report(
                .error, .invariant,
                "Constraint failed: txt-1: the narrative SHALL contain only the basic html formatting elements and attributes ('\(bad)' is not allowed)",
                at: path, key: "txt-1")
        }
        // The R4 narrative rule itself (Narrative, "xhtml" data type), beyond the txt-1 invariant: the XHTML
        // SHALL NOT contain a head, a body, scripts, forms, base/link, frames, iframes or objects.
        if let forbidden = scan.forbiddenElement {
            report(
                .error, .security,
                "Invalid element name in the XHTML ('\(forbidden)'): narrative XHTML SHALL NOT contain a head, body, script, form, base, link, frame, iframe or object",
                at: path, key: "xhtml-forbidden")
        }
        if !scan.hasContent {
            report(
                .error, .invariant, "Constraint failed: txt-2: the narrative SHALL have some non-whitespace content",
                at: path, key: "txt-2")
        }
        if scan.hasFragmentLink { checkNarrativeLinks(markup, path: path) }
    }

    /// A `#fragment` hyperlink in the narrative must lead somewhere: an `id` or `name` in the narrative, an element
    /// or contained resource id in the resource, or, in a Bundle, an entry resource's id.
    mutating func checkNarrativeLinks(_ markup: String, path: String) {
        let links = Self.attributeValues(markup, names: ["href"]).filter { $0.hasPrefix("#") && $0.count > 1 }
        guard !links.isEmpty else { return }
        var known = Set(Self.attributeValues(markup, names: ["id", "name"]))
        Self.collectElementIDs(containerHost, into: &known)
        for link in Set(links).sorted() {
            let fragment = String(link.dropFirst())
            if known.contains(fragment) { continue }
            if bundle?.resourceIDs.contains(fragment) == true { continue }
            report(.error, .invalid, "The narrative hyperlink '\(link)' does not resolve", at: path)
        }
    }

    /// The `narrativeLink` extension (R4 core) names a part of a narrative, `[fullUrl]#id`: the resource (this one,
    /// or the Bundle entry with that fullUrl) must exist and the id must name exactly one place in it (an element
    /// id, or an `id` in its narrative).
    mutating func checkNarrativeLink(_ ext: Element, path: String) {
        guard let link = ext.children.first(where: { $0.name == "value" })?.value,
            let hash = link.firstIndex(of: "#")
        else { return }
        let base = String(link[..<hash])
        let fragment = String(link[link.index(after: hash)...])
        let target: Element
        if base.isEmpty {
            target = containerHost
        } else if let r = bundle?.byFullURL[base] {
            target = r
        } else {
            if bundle != nil {
                report(.error, .notFound, "Can't find '\(base)' in the bundle (narrative link '\(link)')", at: path)
            }
            return
        }
        var count = 0
        Self.countIDs(fragment, in: target, count: &count)
        if count == 0 {
            report(
                .error, .notFound, "The narrative link '\(link)' does not resolve: no id '\(fragment)' found", at: path)
        } else if count > 1 {
            report(
                .error, .invalid,
                "Found \(count) matches for fragment \(fragment) in resource '\(base)': the narrative link '\(link)' is ambiguous",
                at: path)
        }
    }

    /// How many element ids and narrative `id` attributes below `e` are `id`.
    static func countIDs(_ id: String, in e: Element, count: inout Int) {
        for c in e.children {
            if c.name == "id", c.value == id { count += 1 }
            if c.type == "xhtml", let markup = c.value, markup.contains(id) {
                count += attributeValues(markup, names: ["id"]).filter { $0 == id }.count
            }
            countIDs(id, in: c, count: &count)
        }
    }

    /// The values of the named attributes anywhere in the markup.
    static func attributeValues(_ markup: String, names: Set<String>) -> [String] {
        var out: [String] = []
        let chars = Array(markup)
        var i = 0
        var inTag = false
        while i < chars.count {
            let c = chars[i]
            if c == "<" { inTag = true }
            if c == ">" { inTag = false }
            guard inTag, c.isLetter, i > 0, chars[i - 1].isWhitespace else {
                i += 1
                continue
            }
            var name = ""
            while i < chars.count, chars[i].isLetter || chars[i] == ":" || chars[i] == "-" {
                name.append(chars[i])
                i += 1
            }
            guard i + 1 < chars.count, chars[i] == "=", chars[i + 1] == "\"" || chars[i + 1] == "'" else { continue }
            let quote = chars[i + 1]
            i += 2
            var value = ""
            while i < chars.count && chars[i] != quote {
                value.append(chars[i])
                i += 1
            }
            i += 1
            if names.contains(name.lowercased()) || names.contains(String(name.split(separator: ":").last ?? "")) {
                out.append(value)
            }
        }
        return out
    }

    /// Every `id` value in the tree (resource and element ids, contained resources included).
    static func collectElementIDs(_ e: Element, into set: inout Set<String>) {
        for c in e.children {
            if c.name == "id", let v = c.value { set.insert(v) }
            collectElementIDs(c, into: &set)
        }
    }
}

/// A light scan of XHTML markup (already well-formed: the readers check it): element and attribute names, and
/// whether any text or image is present.
struct NarrativeScan {
    static let allowedElements: Set<String> = [
        "div", "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "b", "em", "i", "strong", "small", "big",
        "tt", "dfn", "q", "var", "abbr", "acronym", "cite", "blockquote", "hr", "address", "bdo", "kbd", "sub", "sup",
        "ul", "ol", "li", "dl", "dt", "dd", "pre", "table", "caption", "colgroup", "col", "thead", "tr", "tfoot",
        "tbody", "th", "td", "code", "samp", "img", "map", "area", "u", "s", "del", "ins", "center", "font",
    ]

    /// Elements the R4 narrative rules forbid outright (scripts, forms, frames, objects, document structure).
    static let forbiddenElements: Set<String> = [
        "head", "body", "script", "form", "base", "link", "frame", "frameset", "iframe", "object",
    ]

    var disallowedElement: String?
    var forbiddenElement: String?
    var disallowedAttribute: String?
    var hasContent = false
    /// An `href="#…"` link is present.
    var hasFragmentLink = false

    init(_ markup: String) {
        let chars = Array(markup)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "<" else {
                if !c.isWhitespace { hasContent = true }
                i += 1
                continue
            }
            // A tag: its name, then attribute names up to '>'.
            var j = i + 1
            let closing = j < chars.count && chars[j] == "/"
            if closing { j += 1 }
            if j < chars.count && (chars[j] == "!" || chars[j] == "?") {
                while j < chars.count && chars[j] != ">" { j += 1 }
                i = j + 1
                continue
            }
            var name = ""
            while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == ":" {
                name.append(chars[j])
                j += 1
            }
            let local = String(name.split(separator: ":").last ?? "").lowercased()
            if !closing && !Self.allowedElements.contains(local) && disallowedElement == nil {
                disallowedElement = local
            }
            if !closing && Self.forbiddenElements.contains(local) && forbiddenElement == nil {
                forbiddenElement = local
            }
            if local == "img" { hasContent = true }
            var quote: Character?
            var attribute = ""
            var lastAttribute = ""
            while j < chars.count {
                let x = chars[j]
                if let q = quote {
                    if x == q { quote = nil }
                } else if x == "\"" || x == "'" {
                    quote = x
                    if j + 1 < chars.count && chars[j + 1] == "#" && lastAttribute.lowercased() == "href" {
                        hasFragmentLink = true
                    }
                } else if x == ">" {
                    break
                } else if x.isLetter || x == "-" || x == ":" {
                    attribute.append(x)
                } else {
                    if attribute.lowercased().hasPrefix("on") && disallowedAttribute == nil {
                        disallowedAttribute = attribute
                    }
                    if !attribute.isEmpty { lastAttribute = attribute }
                    attribute = ""
                }
                j += 1
            }
            i = j + 1
        }
    }
}
