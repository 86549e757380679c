import Foundation

/// A precedence-climbing parser from tokens to ``ExpressionNode`` (precedence per the FHIRPath grammar).
struct Parser {
    private let tokens: [Token]
    private var p = 0

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses a whole expression.
    static func parse(_ text: String) throws(FHIRPathError) -> ExpressionNode {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        let node = try parser.expression(0)
        let t = parser.current
        guard t.kind == .end else {
            throw .syntax(message: "unexpected '\(t.text)'", position: t.position)
        }
        return node
    }

    private var current: Token { tokens[p] }
    private func lookahead(_ k: Int) -> Token { tokens[min(p + k, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    private mutating func expect(_ symbol: String) throws(FHIRPathError) {
        guard current.isSymbol(symbol) else {
            let found = current.kind == .end ? "end of expression" : "'\(current.text)'"
            throw .syntax(message: "expected '\(symbol)', found \(found)", position: current.position)
        }
        _ = advance()
    }

    /// The operator at the current token and its precedence (higher binds tighter).
    private func binaryOperator() -> (op: BinaryOperator?, isType: Bool, precedence: Int)? {
        let t = current
        switch t.kind {
        case .symbol:
            switch t.text {
            case "*", "/": return (BinaryOperator(rawValue: t.text), false, 10)
            case "+", "-", "&": return (BinaryOperator(rawValue: t.text), false, 9)
            case "|": return (.union, false, 7)
            case "<", "<=", ">", ">=": return (BinaryOperator(rawValue: t.text), false, 6)
            case "=", "~", "!=", "!~": return (BinaryOperator(rawValue: t.text), false, 5)
            default: return nil
            }
        case .identifier:
            switch t.text {
            case "div", "mod": return (BinaryOperator(rawValue: t.text), false, 10)
            case "is", "as": return (nil, true, 8)
            case "in", "contains": return (BinaryOperator(rawValue: t.text), false, 4)
            case "and": return (.and, false, 3)
            case "or", "xor": return (BinaryOperator(rawValue: t.text), false, 2)
            case "implies": return (.implies, false, 1)
            default: return nil
            }
        default: return nil
        }
    }

    private mutating func expression(_ minPrecedence: Int) throws(FHIRPathError) -> ExpressionNode {
        var left = try unary()
        while let (op, isType, prec) = binaryOperator(), prec >= minPrecedence {
            let opToken = advance()
            if isType {
                let type = try typeSpecifier()
                left = .typeOperator(isTest: opToken.text == "is", left, type)
            } else if let op {
                let right = try expression(prec + 1)
                left = .binary(op, left, right)
            }
        }
        return left
    }

    private mutating func unary() throws(FHIRPathError) -> ExpressionNode {
        if current.isSymbol("+") || current.isSymbol("-") {
            let minus = advance().text == "-"
            let operand = try unary()
            guard minus else { return operand }
            if case .literal(let vs) = operand, vs.count == 1 {
                switch vs[0] {
                case .integer(let i): return .literal([.integer(-i)])
                case .decimal(let d, let s): return .literal([.decimal(-d, scale: s)])
                case .quantity(var q):
                    q.value = -q.value
                    return .literal([.quantity(q)])
                default: break
                }
            }
            return .negate(operand)
        }
        return try postfix()
    }

    private mutating func postfix() throws(FHIRPathError) -> ExpressionNode {
        var node = try term()
        while true {
            if current.isSymbol(".") {
                _ = advance()
                node = try invocation(base: node)
            } else if current.isSymbol("[") {
                _ = advance()
                let index = try expression(0)
                try expect("]")
                node = .indexer(node, index)
            } else {
                return node
            }
        }
    }

    private mutating func typeSpecifier() throws(FHIRPathError) -> TypeSpecifier {
        let first = advance()
        guard first.kind == .identifier || first.kind == .delimitedIdentifier else {
            throw .syntax(message: "type name expected", position: first.position)
        }
        if current.isSymbol("."), lookahead(1).kind == .identifier || lookahead(1).kind == .delimitedIdentifier {
            _ = advance()
            let second = advance()
            return TypeSpecifier(namespace: first.text, name: second.text)
        }
        return TypeSpecifier(namespace: nil, name: first.text)
    }

    /// An identifier or function call after `.` (or at a path head when `base` is nil).
    private mutating func invocation(base: ExpressionNode?) throws(FHIRPathError) -> ExpressionNode {
        let t = advance()
        guard t.kind == .identifier || t.kind == .delimitedIdentifier else {
            throw .syntax(message: "identifier expected after '.'", position: t.position)
        }
        if t.kind == .identifier, current.isSymbol("(") {
            return try call(name: t, base: base)
        }
        if t.kind == .identifier, t.text.hasPrefix("$") {
            throw .syntax(message: "'\(t.text)' cannot follow '.'", position: t.position)
        }
        return .member(base: base, name: t.text)
    }

    private mutating func call(name t: Token, base: ExpressionNode?) throws(FHIRPathError) -> ExpressionNode {
        try expect("(")
        var arguments: [ExpressionNode] = []
        if !current.isSymbol(")") {
            arguments.append(try expression(0))
            while current.isSymbol(",") {
                _ = advance()
                arguments.append(try expression(0))
            }
        }
        try expect(")")
        guard let function = FunctionName(rawValue: t.text) else {
            throw .semantic(message: "unknown function '\(t.text)'")
        }
        guard function.arity.contains(arguments.count) else {
            throw .semantic(message: "wrong number of arguments for \(t.text)(): \(arguments.count)")
        }
        if function == .is || function == .as || function == .ofType {
            guard let type = Self.typeSpecifier(from: arguments[0]) else {
                throw .semantic(message: "\(t.text)() needs a type name")
            }
            return .typeCall(base: base, function: function, type: type)
        }
        return .call(base: base, function: function, arguments: arguments)
    }

    /// A type name written as an expression argument (`Quantity`, `FHIR.Quantity`).
    private static func typeSpecifier(from node: ExpressionNode) -> TypeSpecifier? {
        switch node {
        case .member(nil, let name): TypeSpecifier(namespace: nil, name: name)
        case .member(.member(nil, let ns)?, let name): TypeSpecifier(namespace: ns, name: name)
        default: nil
        }
    }

    private mutating func term() throws(FHIRPathError) -> ExpressionNode {
        let t = current
        switch t.kind {
        case .number:
            _ = advance()
            let numeric: FHIRPathValue
            let decimal = Decimal(string: t.text, locale: nil)
            if t.text.contains(".") {
                guard let value = FHIRPathValue.decimal(text: t.text) else {
                    throw .syntax(message: "bad number", position: t.position)
                }
                numeric = value
            } else if let i = Int(t.text), i <= Int(Int32.max) {
                numeric = .integer(i)
            } else {
                throw .syntax(message: "integer out of range", position: t.position)
            }
            if current.kind == .string {
                let unit = advance().text
                return .literal([.quantity(FHIRPathQuantity(value: decimal ?? 0, unit: unit))])
            }
            if current.kind == .identifier, FHIRPathQuantity.calendarUnits[current.text] != nil {
                let unit = advance().text
                return .literal([.quantity(FHIRPathQuantity(value: decimal ?? 0, unit: unit))])
            }
            return .literal([numeric])
        case .string:
            _ = advance()
            return .literal([.string(t.text)])
        case .dateTime:
            _ = advance()
            guard let v = FHIRPathTemporal.parse(t.text) else {
                throw .syntax(message: "invalid date literal '@\(t.text)'", position: t.position)
            }
            return .literal([.temporal(v)])
        case .time:
            _ = advance()
            guard let v = FHIRPathTemporal.parse(t.text, kind: .time) else {
                if t.text.hasSuffix("Z") || t.text.contains("+") || t.text.contains("-") {
                    return .failure("a time has no time zone: '@T\(t.text)'")
                }
                throw .syntax(message: "invalid time literal '@T\(t.text)'", position: t.position)
            }
            return .literal([.time(v)])
        case .externalConstant:
            _ = advance()
            return .variable(t.text)
        case .symbol:
            if t.text == "(" {
                _ = advance()
                let inner = try expression(0)
                try expect(")")
                return inner
            }
            if t.text == "{" {
                _ = advance()
                try expect("}")
                return .literal([])
            }
            throw .syntax(message: "unexpected '\(t.text)'", position: t.position)
        case .identifier:
            switch t.text {
            case "true", "false":
                _ = advance()
                return .literal(FHIRPathValue.booleanCollection(t.text == "true"))
            case "$this":
                _ = advance()
                return .this
            case "$index":
                _ = advance()
                return .index
            case "$total":
                _ = advance()
                return .total
            default:
                if t.text.hasPrefix("$") {
                    throw .syntax(message: "unknown special variable '\(t.text)'", position: t.position)
                }
                return try invocation(base: nil)
            }
        case .delimitedIdentifier:
            return try invocation(base: nil)
        case .end:
            throw .syntax(message: "unexpected end of expression", position: t.position)
        }
    }
}
