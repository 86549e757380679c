/// Splits FHIRPath text into tokens; comments and whitespace are skipped.
struct Lexer {
    private let bytes: [UInt8]
    private var i = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    static func tokenize(_ text: String) throws(FHIRPathError) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .end { return tokens }
        }
    }

    private func peek(_ k: Int = 0) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    private func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }

    private static func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    private static func isIdentStart(_ c: UInt8?) -> Bool {
        guard let c else { return false }
        return (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
    private static func isIdentPart(_ c: UInt8?) -> Bool { isIdentStart(c) || isDigit(c) }

    private mutating func skipTrivia() throws(FHIRPathError) {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                i += 1
            } else if c == 0x2F, peek(1) == 0x2F {
                while let d = peek(), d != 0x0A { i += 1 }
            } else if c == 0x2F, peek(1) == 0x2A {
                let start = i
                i += 2
                while true {
                    guard let d = peek() else {
                        throw .syntax(message: "unterminated comment", position: start)
                    }
                    if d == 0x2A, peek(1) == 0x2F {
                        i += 2
                        break
                    }
                    i += 1
                }
            } else {
                return
            }
        }
    }

    mutating func next() throws(FHIRPathError) -> Token {
        try skipTrivia()
        let start = i
        guard let c = peek() else { return Token(kind: .end, text: "", position: i) }
        if Self.isIdentStart(c) {
            while Self.isIdentPart(peek()) { i += 1 }
            return Token(kind: .identifier, text: text(start, i), position: start)
        }
        if c == 0x24 {  // $
            i += 1
            while Self.isIdentPart(peek()) { i += 1 }
            return Token(kind: .identifier, text: text(start, i), position: start)
        }
        if Self.isDigit(c) {
            while Self.isDigit(peek()) { i += 1 }
            if peek() == 0x2E, Self.isDigit(peek(1)) {
                i += 1
                while Self.isDigit(peek()) { i += 1 }
            }
            return Token(kind: .number, text: text(start, i), position: start)
        }
        switch c {
        case 0x27:  // '
            return Token(kind: .string, text: try quoted(0x27), position: start)
        case 0x60:  // `
            return Token(kind: .delimitedIdentifier, text: try quoted(0x60), position: start)
        case 0x25:  // %
            i += 1
            if peek() == 0x60 {
                return Token(kind: .externalConstant, text: try quoted(0x60), position: start)
            }
            if peek() == 0x27 {
                return Token(kind: .externalConstant, text: try quoted(0x27), position: start)
            }
            let s = i
            while Self.isIdentPart(peek()) { i += 1 }
            guard i > s else { throw .syntax(message: "'%' without a name", position: start) }
            return Token(kind: .externalConstant, text: text(s, i), position: start)
        case 0x40:  // @
            i += 1
            return try temporal(start)
        default:
            break
        }
        let two = peek(1) != nil ? text(i, i + 2) : ""
        if ["<=", ">=", "!=", "!~"].contains(two) {
            i += 2
            return Token(kind: .symbol, text: two, position: start)
        }
        if "()[]{}.,+-*/&|=~<>".utf8.contains(c) {
            i += 1
            return Token(kind: .symbol, text: text(start, i), position: start)
        }
        throw .syntax(message: "unexpected character '\(text(start, start + 1))'", position: start)
    }

    /// A quoted string or delimited identifier with FHIRPath escapes.
    private mutating func quoted(_ quote: UInt8) throws(FHIRPathError) -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw .syntax(message: "unterminated string", position: start) }
            i += 1
            if c == quote { break }
            if c == 0x5C {
                guard let e = peek() else { throw .syntax(message: "unterminated string", position: start) }
                i += 1
                switch e {
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x66: out.append(0x0C)
                case 0x75:  // \uXXXX
                    guard i + 4 <= bytes.count, let code = UInt32(text(i, i + 4), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { throw .syntax(message: "bad unicode escape", position: i) }
                    i += 4
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A date, date-time or time literal after `@`.
    private mutating func temporal(_ start: Int) throws(FHIRPathError) -> Token {
        func digits(_ n: Int) -> Bool {
            for k in 0..<n where !Self.isDigit(peek(k)) { return false }
            i += n
            return true
        }
        func time() -> Bool {
            guard digits(2) else { return false }
            if peek() == 0x3A, Self.isDigit(peek(1)) {
                i += 1
                guard digits(2) else { return false }
                if peek() == 0x3A, Self.isDigit(peek(1)) {
                    i += 1
                    guard digits(2) else { return false }
                    if peek() == 0x2E, Self.isDigit(peek(1)) {
                        i += 1
                        while Self.isDigit(peek()) { i += 1 }
                    }
                }
            }
            return true
        }
        if peek() == 0x54 {  // T
            i += 1
            let s = i
            guard time() else { throw .syntax(message: "invalid time literal", position: start) }
            // A zone is not part of a time; keep it in the token so evaluation can refuse the value.
            if peek() == 0x5A {
                i += 1
            } else if let c = peek(), c == 0x2B || c == 0x2D, Self.isDigit(peek(1)), peek(3) == 0x3A {
                i += 6
            }
            return Token(kind: .time, text: text(s, min(i, bytes.count)), position: start)
        }
        let s = i
        guard digits(4) else { throw .syntax(message: "invalid date literal", position: start) }
        if peek() == 0x2D, Self.isDigit(peek(1)) {
            i += 1
            guard digits(2) else { throw .syntax(message: "invalid date literal", position: start) }
            if peek() == 0x2D, Self.isDigit(peek(1)) {
                i += 1
                guard digits(2) else { throw .syntax(message: "invalid date literal", position: start) }
            }
        }
        if peek() == 0x54 {
            i += 1
            if Self.isDigit(peek()) {
                guard time() else { throw .syntax(message: "invalid date-time literal", position: start) }
                if peek() == 0x5A {
                    i += 1
                } else if let c = peek(), c == 0x2B || c == 0x2D, Self.isDigit(peek(1)) {
                    i += 1
                    guard digits(2), peek() == 0x3A else {
                        throw .syntax(message: "invalid time-zone offset", position: start)
                    }
                    i += 1
                    guard digits(2) else { throw .syntax(message: "invalid time-zone offset", position: start) }
                }
            }
        }
        return Token(kind: .dateTime, text: text(s, i), position: start)
    }
}
