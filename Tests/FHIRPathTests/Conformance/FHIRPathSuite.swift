import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The official FHIRPath test file (`tests-fhir-r4.xml`) read into groups of cases.
struct FHIRPathSuite {
    struct Output {
        var type: String
        var text: String
    }

    struct Case {
        var group: String
        var name: String
        var inputFile: String?
        var predicate: Bool?
        var mode: String?
        var expression = ""
        /// `syntax`, `semantic`, `execution` or `true`, when evaluation must fail.
        var invalid: String?
        var outputs: [Output] = []
    }

    var cases: [Case] = []

    static func load(_ url: URL) throws -> FHIRPathSuite {
        let data = try Data(contentsOf: url)
        let parser = XMLParser(data: data)
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return FHIRPathSuite(cases: delegate.cases)
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var cases: [Case] = []
        var group = ""
        var current: Case?
        var text = ""
        var outputType = ""

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            text = ""
            switch name {
            case "group": group = attributes["name"] ?? ""
            case "test":
                current = Case(
                    group: group, name: attributes["name"] ?? "", inputFile: attributes["inputfile"],
                    predicate: attributes["predicate"].map { $0 == "true" }, mode: attributes["mode"])
            case "expression": current?.invalid = attributes["invalid"]
            case "output": outputType = attributes["type"] ?? ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(
            _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
        ) {
            switch name {
            case "expression": current?.expression = text
            case "output": current?.outputs.append(Output(type: outputType, text: text))
            case "test":
                if let c = current { cases.append(c) }
                current = nil
            default: break
            }
        }
    }
}
