import FHIRModel
import FHIRTestSupport
import Foundation
import Testing

/// Hostile XML is refused with a clear error, and never reaches the file system or the network.
@Suite("Hostile XML")
struct HostileXMLTests {
    let reader = FHIRXMLReader(registry: Conformance.registry)

    func codes(_ xml: String, limits: ReaderLimits = .default) -> [ParseIssueCode] {
        do {
            _ = try FHIRXMLReader(registry: Conformance.registry, limits: limits).readResource(xml)
            return []
        } catch {
            return error.issues.map(\.code)
        }
    }

    @Test("external entities (XXE) are refused before parsing")
    func xxe() {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <Patient xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Patient>
            """
        #expect(codes(xml) == [.xmlDoctype])
    }

    @Test("an entity expansion bomb is refused")
    func billionLaughs() {
        var decls = "<!ENTITY lol0 \"lol\">"
        for i in 1...9 { decls += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
        let xml = "<!DOCTYPE Patient [\(decls)]><Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&lol9;\"/></Patient>"
        #expect(codes(xml) == [.xmlDoctype])
    }

    @Test("an undeclared entity is a syntax error, not an expansion")
    func undeclaredEntity() {
        #expect(codes("<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&nbsp;\"/></Patient>") == [.xmlSyntax])
    }

    @Test("nesting beyond the depth limit is refused")
    func depth() {
        let open = String(repeating: "<extension url=\"http://x\">", count: 60)
        let close = String(repeating: "</extension>", count: 60)
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\">\(open)<valueString value=\"x\"/>\(close)</Patient>"
        #expect(codes(xml, limits: ReaderLimits(maxDepth: 32)) == [.tooDeep])
        #expect(codes(xml, limits: ReaderLimits(maxDepth: 100)) == [])
    }

    @Test("a document over the size limit is refused without parsing")
    func size() {
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"a\"/></Patient>"
        #expect(codes(xml, limits: ReaderLimits(maxBytes: 20)) == [.tooLarge])
    }

    @Test("elements outside the FHIR namespace are refused")
    func namespace() {
        #expect(codes("<Patient><id value=\"a\"/></Patient>") == [.xmlWrongNamespace])
    }
}
