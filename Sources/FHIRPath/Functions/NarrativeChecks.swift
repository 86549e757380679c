import FHIRModel
import Foundation

/// The rules behind `htmlChecks()`: the narrative div is well-formed XHTML (checked by ``XHTML``) and uses
/// only the elements and attributes FHIR allows (txt-1: basic HTML formatting, tables, lists, links, images,
/// no scripts, forms, event handlers or active content).
enum NarrativeChecks {
    static let elements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "b", "bdo", "big", "blockquote", "br", "caption", "cite",
        "code", "col", "colgroup", "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "kbd", "li", "map", "ol", "p", "pre", "q", "samp", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var", "s", "u", "strike", "font",
        "center",
    ]

    static let attributes: Set<String> = [
        "abbr", "accesskey", "align", "alt", "axis", "bgcolor", "border", "cellhalign", "cellpadding",
        "cellspacing", "cellvalign", "char", "charoff", "charset", "cite", "class", "colspan", "compact", "coords",
        "datetime", "dir", "frame", "headers", "height", "href", "hreflang", "hspace", "id", "lang", "longdesc",
        "name", "nowrap", "rel", "rev", "rowspan", "rules", "scope", "shape", "span", "src", "start", "style",
        "summary", "tabindex", "title", "type", "valign", "value", "vspace", "width", "xml:lang", "xmlns",
        "color", "size", "face",
    ]

    private static let tag = try? NSRegularExpression(
        pattern: "<([A-Za-z][A-Za-z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
    private static let attribute = try? NSRegularExpression(pattern: "([A-Za-z_:][-A-Za-z0-9_:.]*)\\s*=")

    /// Nil when `markup` passes, else the reason.
    static func problem(_ markup: String) -> String? {
        if let p = XHTML.problem(markup) { return p }
        guard let tag, let attribute else { return "checker unavailable" }
        let ns = markup as NSString
        for m in tag.matches(in: markup, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: m.range(at: 1)).lowercased()
            guard elements.contains(name) else { return "element <\(name)> is not allowed in a narrative" }
            let raw = ns.substring(with: m.range(at: 2))
            if raw.lowercased().contains("javascript:") { return "script URLs are not allowed in a narrative" }
            // Attribute names only: quoted values removed first (an href may hold `?a=b`).
            let attrs = raw.replacingOccurrences(of: "\"[^\"]*\"|'[^']*'", with: "\"\"", options: .regularExpression)
            let an = attrs as NSString
            for a in attribute.matches(in: attrs, range: NSRange(location: 0, length: an.length)) {
                let attr = an.substring(with: a.range(at: 1)).lowercased()
                guard attributes.contains(attr) || attr.hasPrefix("xmlns:") else {
                    return "attribute '\(attr)' is not allowed in a narrative"
                }
            }
        }
        return nil
    }
}
