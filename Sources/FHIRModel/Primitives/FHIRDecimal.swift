/// A FHIR decimal that keeps its exact text: `1.50` stays `1.50` (precision is meaningful in FHIR).
public struct FHIRDecimal: Sendable, Hashable, CustomStringConvertible {
    /// The lexical form, as read or as given.
    public let text: String

    /// Accepts `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; returns nil otherwise.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        var i = 0
        if i < u.count, u[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < u.count, PrimitiveLexicon.isDigit(u[i]) { i += 1 }
        let intDigits = i - intStart
        guard intDigits > 0, intDigits == 1 || u[intStart] != UInt8(ascii: "0") else { return nil }
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < u.count, PrimitiveLexicon.isDigit(u[i]) { i += 1 }
            guard i > fracStart else { return nil }
        }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            let expStart = i
            while i < u.count, PrimitiveLexicon.isDigit(u[i]) { i += 1 }
            guard i > expStart else { return nil }
        }
        guard i == u.count else { return nil }
        self.text = text
    }

    /// Number of digits after the decimal point (0 for integers); exponent forms count as written.
    public var scale: Int {
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text[text.index(after: dot)...].prefix { $0.isNumber }.count
    }

    /// An approximate binary value, for arithmetic where exactness is not needed (ordering, display).
    public var doubleValue: Double { Double(text) ?? .nan }

    public var description: String { text }
}
