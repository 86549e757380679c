/// The HL7 Java validator's security checks on text: HTML tags in strings, tag-like text in markdown.
enum HTMLTags {
    static let names: Set<String> = [
        "a", "b", "i", "p", "br", "div", "span", "img", "script", "iframe", "object", "embed", "form", "input",
        "style", "link", "meta", "table", "body", "html", "svg",
    ]

    /// Whether `text` holds `<tag` (or `</tag`) of a common HTML element followed by a space, `>` or `/`.
    static func containsTag(_ text: String) -> Bool {
        let chars = Array(text.lowercased().unicodeScalars)
        var i = 0
        while i < chars.count {
            if chars[i] == "<" {
                var j = i + 1
                if j < chars.count && chars[j] == "/" { j += 1 }
                var name = ""
                while j < chars.count, ("a"..."z").contains(chars[j]) || ("0"..."9").contains(chars[j]) {
                    name.unicodeScalars.append(chars[j])
                    j += 1
                }
                if names.contains(name), j < chars.count, chars[j] == " " || chars[j] == ">" || chars[j] == "/" {
                    return true
                }
            }
            i += 1
        }
        return false
    }

    /// The first `<` followed by a letter in markdown, as `<r`, or nil.
    static func markdownTag(in text: String) -> String? {
        var previous: Character?
        for ch in text {
            if previous == "<", ch.isLetter { return "<" + String(ch) }
            previous = ch
        }
        return nil
    }
}
