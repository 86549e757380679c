import FHIRModel
import FHIRTestSupport
import Foundation
import Testing

/// fixtures/bad/: every case gives exactly the expected issues (code, path, and line/column where the manifest
/// states them), in document order.
@Suite("Bad-input corpus")
struct BadInputCorpusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String?
        var generate: String?
        var format: FHIRFormat
        var issues: [(code: String, path: String, line: Int?, column: Int?)]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = Conformance.repositoryRoot.appendingPathComponent("fixtures/bad/manifest.json")
        guard let node = try? JSONParser().parse(Conformance.bytes(url)), let list = node.value.arrayValue else {
            return []
        }
        return list.map { item in
            let v = item.value
            return Case(
                name: v["name"]?.value.stringValue ?? "?", file: v["file"]?.value.stringValue,
                generate: v["generate"]?.value.stringValue,
                format: FHIRFormat(rawValue: v["format"]?.value.stringValue ?? "") ?? .json,
                issues: (v["issues"]?.value.arrayValue ?? []).map { i in
                    (
                        i.value["code"]?.value.stringValue ?? "", i.value["path"]?.value.stringValue ?? "",
                        i.value["line"]?.value.numberText.flatMap { Int($0) },
                        i.value["column"]?.value.numberText.flatMap { Int($0) }
                    )
                })
        }
    }()

    @Test("the corpus has at least 40 cases over both formats and every issue code")
    func coverage() {
        #expect(Self.cases.count >= 40)
        #expect(Set(Self.cases.map(\.format)) == [.json, .xml])
        let codes = Set(Self.cases.flatMap { $0.issues.map(\.code) })
        for code in ParseIssueCode.allCases {
            #expect(codes.contains(code.rawValue), "no case for \(code)")
        }
    }

    static func bytes(for c: Case) -> [UInt8] {
        if let file = c.file {
            return Conformance.bytes(Conformance.repositoryRoot.appendingPathComponent("fixtures/bad/" + file))
        }
        // 50 MiB bodies are generated, never committed: a valid resource padded with one long string.
        let size = 50 * 1024 * 1024
        if c.generate == "xml-50MiB" {
            let head = Array(
                "<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                    .utf8)
            let tail = Array("</div></text></Patient>".utf8)
            return head + [UInt8](repeating: UInt8(ascii: "a"), count: size) + tail
        }
        let head = Array(#"{"resourceType":"Patient","id":""#.utf8)
        let tail = Array(#""}"#.utf8)
        return head + [UInt8](repeating: UInt8(ascii: "a"), count: size) + tail
    }

    @Test("each case gives exactly its expected issues", arguments: cases)
    func expectedIssues(_ c: Case) {
        let codec = FHIRCodec(registry: Conformance.registry)
        do {
            _ = try codec.read(Self.bytes(for: c), format: c.format)
            Issue.record("\(c.name): accepted, expected \(c.issues.map(\.code))")
        } catch {
            let got = error.issues
            #expect(got.map(\.code.rawValue) == c.issues.map(\.code), "\(c.name): \(got)")
            for (g, e) in zip(got, c.issues) {
                #expect(g.path == e.path, "\(c.name): path \(g.path) != \(e.path)")
                if let line = e.line {
                    #expect(g.line == line, "\(c.name): line \(String(describing: g.line)) != \(line)")
                }
                if let column = e.column {
                    #expect(g.column == column, "\(c.name): column \(String(describing: g.column)) != \(column)")
                }
            }
        }
    }
}
