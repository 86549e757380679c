/// The lexical rules of the R4 primitive types, checked on the exact text as read.
///
/// Rules follow the regular expressions of the R4 definitions, plus the value ranges the regexes cannot say
/// (32-bit integers, real calendar dates, hours 0–23/24:00:00 refused, offsets up to ±14:00).
public enum PrimitiveLexicon {
    /// Returns nil when `value` is a valid `type`, otherwise a short reason.
    public static func problem(type: String, value: String) -> String? {
        switch type {
        case "boolean":
            return value == "true" || value == "false" ? nil : "a boolean is true or false"
        case "integer":
            return integerProblem(value, min: Int64(Int32.min), allowPlus: false)
        case "positiveInt":
            return integerProblem(value, min: 1, allowPlus: true)
        case "unsignedInt":
            return integerProblem(value, min: 0, allowPlus: false)
        case "decimal":
            return FHIRDecimal(value) == nil ? "not a decimal" : nil
        case "date":
            return FHIRDate(value) == nil ? "not a date (YYYY, YYYY-MM or YYYY-MM-DD)" : nil
        case "dateTime":
            return FHIRDateTime(value) == nil ? "not a dateTime (a time needs seconds and a time zone)" : nil
        case "instant":
            guard let dt = FHIRDateTime(value), dt.precision >= .second, dt.offsetText != nil else {
                return "not an instant (full date, time with seconds and time zone)"
            }
            return nil
        case "time":
            return FHIRTime(value) == nil ? "not a time (hh:mm:ss)" : nil
        case "code":
            return codeProblem(value)
        case "id":
            guard (1...64).contains(value.utf8.count),
                value.utf8.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
            else { return "an id is 1 to 64 of A-Z a-z 0-9 - ." }
            return nil
        case "uri", "url", "canonical":
            if value.isEmpty { return "empty" }
            return value.utf8.contains(where: isSpace) ? "a \(type) has no whitespace" : nil
        case "oid":
            return oidProblem(value)
        case "uuid":
            return uuidProblem(value)
        case "base64Binary":
            return base64Problem(value)
        case "string", "markdown":
            return stringProblem(value)
        case "xhtml":
            return nil
        default:
            return nil
        }
    }

    static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func integerProblem(_ value: String, min: Int64, allowPlus: Bool) -> String? {
        var text = Substring(value)
        if allowPlus, text.first == "+" { text = text.dropFirst() }
        var digits = text
        if digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy(isDigit), digits == "0" || digits.first != "0" else {
            return "not an integer"
        }
        guard let n = Int64(text), n >= min, n <= Int64(Int32.max) else {
            return "out of range (\(min) to \(Int32.max))"
        }
        return nil
    }

    static func codeProblem(_ value: String) -> String? {
        // [^\s]+(\s[^\s]+)*
        guard !value.isEmpty else { return "empty" }
        let u = Array(value.utf8)
        if isSpace(u.first!) || isSpace(u.last!) { return "a code has no leading or trailing whitespace" }
        for i in 1..<u.count where isSpace(u[i]) && isSpace(u[i - 1]) {
            return "a code has single spaces only"
        }
        return nil
    }

    static func stringProblem(_ value: String) -> String? {
        if value.isEmpty { return "empty string" }
        if value.utf8.count > 1_048_576 { return "longer than 1 MiB" }
        for s in value.unicodeScalars where s.value < 0x20 && s != "\t" && s != "\r" && s != "\n" {
            return "contains a control character"
        }
        if value.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) {
            return "only whitespace"
        }
        return nil
    }

    static func oidProblem(_ value: String) -> String? {
        guard value.hasPrefix("urn:oid:") else { return "an oid starts with urn:oid:" }
        let parts = value.dropFirst(8).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let first = parts.first, ["0", "1", "2"].contains(first) else { return "not an oid" }
        for p in parts.dropFirst() {
            guard !p.isEmpty, p.utf8.allSatisfy(isDigit), p == "0" || p.first != "0" else { return "not an oid" }
        }
        return nil
    }

    static func uuidProblem(_ value: String) -> String? {
        guard value.hasPrefix("urn:uuid:") else { return "a uuid starts with urn:uuid:" }
        let u = Array(value.utf8.dropFirst(9))
        guard u.count == 36 else { return "not a uuid" }
        for (i, b) in u.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if b != UInt8(ascii: "-") { return "not a uuid" }
            } else if !(isDigit(b) || (b >= 0x61 && b <= 0x66)) {
                return "not a lower-case uuid"
            }
        }
        return nil
    }

    static func base64Problem(_ value: String) -> String? {
        var count = 0
        var padding = 0
        for b in value.utf8 {
            if isSpace(b) { continue }
            if b == UInt8(ascii: "=") {
                padding += 1
            } else if isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") {
                if padding > 0 { return "padding inside base64" }
            } else {
                return "invalid base64 character"
            }
            count += 1
        }
        if count == 0 { return "empty" }
        return count % 4 == 0 && padding <= 2 ? nil : "base64 length is not a multiple of 4"
    }
}
