/// A strict JSON (RFC 8259) parser that keeps number text and value offsets.
///
/// It refuses what FHIR refuses at the syntax level: duplicate keys, invalid UTF-8, unescaped control
/// characters, trailing content; and it enforces ``ReaderLimits`` on size and depth. Syntax errors stop the
/// parse (there is no reliable way to go on); the other problems are collected and reported together.
public struct JSONParser {
    public var limits: ReaderLimits

    public init(limits: ReaderLimits = .default) {
        self.limits = limits
    }

    /// Parses `bytes` into a ``JSONNode``.
    /// - Throws: ``FHIRFormatError`` listing every problem found.
    public func parse(_ bytes: [UInt8]) throws(FHIRFormatError) -> JSONNode {
        if bytes.count > limits.maxBytes {
            throw FHIRFormatError(issues: [
                ParseIssue(
                    code: .tooLarge, severity: .fatal,
                    message: "document of \(bytes.count) bytes exceeds the limit of \(limits.maxBytes) bytes", path: "")
            ])
        }
        var result: JSONNode?
        var issues: [ParseIssue] = []
        bytes.withUnsafeBufferPointer { buffer in
            var state = JSONParserState(bytes: buffer, maxDepth: limits.maxDepth)
            do {
                state.skipBOM()
                state.skipWhitespace()
                if state.atEnd {
                    state.report(.emptyDocument, "the document is empty", at: 0)
                } else {
                    let node = try state.parseValue(depth: 0)
                    state.skipWhitespace()
                    if !state.atEnd {
                        state.report(
                            .jsonTrailingContent, "unexpected content after the end of the JSON value", at: state.index)
                    }
                    result = node
                }
            } catch {
                // The syntax error is already in state.issues.
            }
            issues = state.issues
        }
        if !issues.isEmpty {
            let locator = SourceLocator(bytes)
            throw FHIRFormatError(
                issues: issues.map { issue in
                    var issue = issue
                    if let offset = issue.line, let loc = locator.location(of: offset) {
                        issue.line = loc.line
                        issue.column = loc.column
                    }
                    return issue
                })
        }
        return result!
    }

    /// Parses UTF-8 text.
    public func parse(_ text: String) throws(FHIRFormatError) -> JSONNode {
        try parse(Array(text.utf8))
    }
}

struct SyntaxStop: Error {}

/// The cursor. Issues temporarily carry the byte offset in `line`; `parse` converts it to line:column.
struct JSONParserState {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var issues: [ParseIssue] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func report(_ code: ParseIssueCode, _ message: String, at offset: Int) {
        let severity: ParseIssue.Severity =
            switch code {
            case .jsonSyntax, .tooDeep, .invalidUTF8, .emptyDocument, .jsonTrailingContent: .fatal
            default: .error
            }
        issues.append(ParseIssue(code: code, severity: severity, message: message, path: "", line: offset))
    }

    mutating func fail(_ message: String, at offset: Int? = nil) -> SyntaxStop {
        report(.jsonSyntax, message, at: offset ?? index)
        return SyntaxStop()
    }

    mutating func skipBOM() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(SyntaxStop) -> JSONNode {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return JSONNode(.object(try parseObject(depth: depth + 1)), offset: start)
        case UInt8(ascii: "["):
            return JSONNode(.array(try parseArray(depth: depth + 1)), offset: start)
        case UInt8(ascii: "\""):
            return JSONNode(.string(try parseString()), offset: start)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return JSONNode(.bool(true), offset: start)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return JSONNode(.bool(false), offset: start)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return JSONNode(.null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(.number(try parseNumber()), offset: start)
        default:
            throw fail("unexpected character '\(Self.printable(bytes[index]))'")
        }
    }

    static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }

    mutating func expectLiteral(_ literal: StaticString) throws(SyntaxStop) {
        let start = index
        let n = literal.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw fail("invalid literal", at: start) }
        let p = literal.utf8Start
        for i in 0..<n where bytes[index + i] != p[i] {
            throw fail("invalid literal", at: start)
        }
        index += n
    }

    mutating func checkDepth(_ depth: Int) throws(SyntaxStop) {
        if depth > maxDepth {
            report(.tooDeep, "nesting deeper than the limit of \(maxDepth)", at: index)
            throw SyntaxStop()
        }
    }

    mutating func parseObject(depth: Int) throws(SyntaxStop) -> [JSONMember] {
        try checkDepth(depth)
        index += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return members
        }
        var seen: Set<String> = []
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a quoted key")
            }
            let keyOffset = index
            let key = try parseString()
            if !seen.insert(key).inserted {
                report(.jsonDuplicateKey, "duplicate key '\(key)'", at: keyOffset)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key: key, keyOffset: keyOffset, node: value))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input in object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return members
            }
            throw fail("expected ',' or '}' in object")
        }
    }

    mutating func parseArray(depth: Int) throws(SyntaxStop) -> [JSONNode] {
        try checkDepth(depth)
        index += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return items
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return items
            }
            throw fail("expected ',' or ']' in array")
        }
    }

    mutating func parseNumber() throws(SyntaxStop) -> String {
        let start = index
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number", at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, digit(bytes[index]) { throw fail("numbers may not have leading zeros", at: start) }
        } else {
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number", at: start) }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number", at: start) }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    mutating func parseString() throws(SyntaxStop) -> String {
        let start = index
        index += 1
        let contentStart = index
        var hasEscape = false
        var hasHighBytes = false
        while true {
            guard index < bytes.count else { throw fail("unterminated string", at: start) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                hasEscape = true
                index += 2
                continue
            }
            if b < 0x20 {
                report(.jsonControlCharacter, "unescaped control character in string", at: index)
            } else if b >= 0x80 {
                hasHighBytes = true
            }
            index += 1
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[contentStart..<index])
        index += 1
        if hasHighBytes {
            guard String(validating: raw, as: UTF8.self) != nil else {
                report(.invalidUTF8, "string is not valid UTF-8", at: start)
                throw SyntaxStop()
            }
        }
        if !hasEscape { return String(decoding: raw, as: UTF8.self) }
        return try unescape(raw, at: contentStart)
    }

    mutating func unescape(_ raw: UnsafeBufferPointer<UInt8>, at base: Int) throws(SyntaxStop) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex(_ b: UInt8) -> UInt32? {
            switch b {
            case 0x30...0x39: UInt32(b - 0x30)
            case 0x41...0x46: UInt32(b - 0x41 + 10)
            case 0x61...0x66: UInt32(b - 0x61 + 10)
            default: nil
            }
        }
        func readHex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                guard let h = hex(raw[at + k]) else { return nil }
                v = v << 4 | h
            }
            return v
        }
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { throw fail("invalid escape", at: base + i) }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = readHex4(i) else { throw fail("invalid \\u escape", at: base + i - 2) }
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard i + 1 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                        let low = readHex4(i + 2), low >= 0xDC00 && low < 0xE000
                    else { throw fail("unpaired surrogate in \\u escape", at: base + i - 6) }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw fail("unpaired surrogate in \\u escape", at: base + i - 6)
                }
                guard let us = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape", at: base + i - 6) }
                out.append(contentsOf: Array(String(Character(us)).utf8))
            default:
                throw fail("invalid escape '\\\(Self.printable(e))'", at: base + i - 2)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
