import FHIRModel
import Foundation

extension ValidationRun {
    /// The narrative controls a profile sets with the extensions pack's `narrative-language-control` (language
    /// sections: top-level `div`s with `lang`/`xml:lang`, prohibited, required, or required for the resource's
    /// or given languages) and `narrative-source-control` (each top-level node of the narrative names its source
    /// in its class: boilerplate, generated, extensions, additional or original; the extension's value is the
    /// severity).
    mutating func checkNarrativeControls(_ narrative: Element, def: ProfileElement, path: String) {
        guard let markup = narrative.child("div")?.value else { return }
        let nodes = NarrativeTopLevel.nodes(markup)
        let profile = "StructureDefinition[\(definitionURL)]"
        let sections = Set(
            nodes.compactMap { $0.name == "div" ? ($0.attributes["xml:lang"] ?? $0.attributes["lang"]) : nil })
        let found = sections.sorted().joined(separator: ", ")
        for control in def.narrativeLanguageControl {
            switch control {
            case "_no":
                if !sections.isEmpty {
                    report(
                        .error, .businessRule,
                        "The xhtml has some language sections (\(found)), but language sections are prohibited in this context by the profile \(profile)",
                        at: path)
                }
            case "_yes":
                if sections.isEmpty {
                    report(
                        .error, .businessRule,
                        "The xhtml has no language sections, but language sections are required in this context by the profile \(profile)",
                        at: path)
                }
            default:
                let resourceLanguage = control == "_resource"
                guard let language = resourceLanguage ? resource.string("language") : control,
                    !sections.contains(language)
                else { continue }
                let what = resourceLanguage ? "the resource language (\(language))" : "the language \(language)"
                report(
                    .error, .businessRule,
                    "The profile \(profile) requires a section in the narrative for \(what), but it was not found (found \(found))",
                    at: path)
            }
        }
        if let level = def.narrativeSourceControl {
            let severity: ValidationIssue.Severity =
                level == "error" ? .error : level == "warning" ? .warning : .information
            let sources: Set<String> = ["boilerplate", "generated", "extensions", "additional", "original"]
            for node in nodes {
                let classes = (node.attributes["class"] ?? "").split(separator: " ").map(String.init)
                guard !classes.contains(where: sources.contains) else { continue }
                report(
                    severity, .businessRule,
                    "The xhtml node at '\(node.text)' does not have a class attribute to indicate its source (boilerplate, generated, or original) and this is required by the profile \(profile)",
                    at: path)
            }
        }
    }
}

/// The top-level nodes of a narrative `div`: child elements (name, attributes, text) and non-blank text runs
/// (name nil).
enum NarrativeTopLevel {
    struct Node {
        var name: String?
        var attributes: [String: String] = [:]
        var text = ""
    }

    static func nodes(_ markup: String) -> [Node] {
        let chars = Array(markup)
        var i = 0
        var depth = 0
        var nodes: [Node] = []
        var text = ""
        func flushText() {
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if depth == 1 && !t.isEmpty { nodes.append(Node(name: nil, text: t)) }
            if depth > 1, !t.isEmpty, !nodes.isEmpty {
                nodes[nodes.count - 1].text += (nodes[nodes.count - 1].text.isEmpty ? "" : " ") + t
            }
            text = ""
        }
        while i < chars.count {
            guard chars[i] == "<" else {
                text.append(chars[i])
                i += 1
                continue
            }
            flushText()
            var j = i + 1
            if j < chars.count && (chars[j] == "!" || chars[j] == "?") {
                while j < chars.count && chars[j] != ">" { j += 1 }
                i = j + 1
                continue
            }
            let closing = j < chars.count && chars[j] == "/"
            if closing { j += 1 }
            var name = ""
            while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == ":" {
                name.append(chars[j])
                j += 1
            }
            var attributes: [String: String] = [:]
            var selfClosing = false
            while j < chars.count && chars[j] != ">" {
                if chars[j] == "/" { selfClosing = true }
                if chars[j].isLetter {
                    var attr = ""
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == ":" || chars[j] == "-"
                    {
                        attr.append(chars[j])
                        j += 1
                    }
                    while j < chars.count && chars[j].isWhitespace { j += 1 }
                    if j < chars.count && chars[j] == "=" {
                        j += 1
                        while j < chars.count && chars[j].isWhitespace { j += 1 }
                        if j < chars.count, chars[j] == "\"" || chars[j] == "'" {
                            let q = chars[j]
                            j += 1
                            var v = ""
                            while j < chars.count && chars[j] != q {
                                v.append(chars[j])
                                j += 1
                            }
                            attributes[attr] = v
                        }
                    }
                    selfClosing = false
                    continue
                }
                j += 1
            }
            if closing {
                depth -= 1
            } else {
                if depth == 1 { nodes.append(Node(name: name.lowercased(), attributes: attributes)) }
                if !selfClosing { depth += 1 }
            }
            i = j + 1
        }
        return nodes
    }
}
