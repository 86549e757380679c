import FHIRModel
import Foundation

/// String functions (§5.6) plus trim, split, join, encode/decode and escape/unescape.
extension Evaluator {
    func strings(
        _ f: FunctionName, _ input: [FHIRPathValue], _ args: [[FHIRPathValue]]
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        if f == .join {
            let sep = try stringArgument(args, 0, f) ?? ""
            var parts: [String] = []
            for v in input {
                guard case .string(let s) = v.systemValue else { throw .execution(message: "join() needs strings") }
                parts.append(s)
            }
            return [.string(parts.joined(separator: sep))]
        }
        if let only = try single(input, "\(f.rawValue)()"), only.systemValue == nil, case .node(let e) = only,
            e.value == nil, !e.children.isEmpty
        {
            throw .semantic(message: "\(f.rawValue)() expects a String, got \(e.type)")
        }
        guard let item = try singleValue(input, "\(f.rawValue)()") else { return [] }
        guard case .string(let s) = item else {
            throw .execution(message: "\(f.rawValue)() expects a String, got \(item.typeName)")
        }
        func arg(_ i: Int) throws(FHIRPathError) -> String? { try stringArgument(args, i, f) }
        switch f {
        case .indexOf:
            guard let sub = try arg(0) else { return [] }
            if sub.isEmpty { return [.integer(0)] }
            guard let r = s.range(of: sub) else { return [.integer(-1)] }
            return [.integer(s.distance(from: s.startIndex, to: r.lowerBound))]
        case .substring:
            guard let startValue = try singleValue(args[0], "substring()"), case .integer(let start) = startValue
            else { return [] }
            let chars = Array(s)
            guard start >= 0, start < chars.count else { return [] }
            var length = chars.count - start
            if args.count > 1 {
                guard let l = try singleValue(args[1], "substring()") else { return [.string(String(chars[start...]))] }
                guard case .integer(let n) = l else { throw .execution(message: "substring() needs integers") }
                length = Swift.max(0, Swift.min(n, length))
            }
            return [.string(String(chars[start..<(start + length)]))]
        case .startsWith:
            guard let p = try arg(0) else { return [] }
            return FHIRPathValue.booleanCollection(p.isEmpty || s.hasPrefix(p))
        case .endsWith:
            guard let p = try arg(0) else { return [] }
            return FHIRPathValue.booleanCollection(p.isEmpty || s.hasSuffix(p))
        case .contains:
            guard let p = try arg(0) else { return [] }
            return FHIRPathValue.booleanCollection(p.isEmpty || s.contains(p))
        case .upper: return [.string(s.uppercased())]
        case .lower: return [.string(s.lowercased())]
        case .replace:
            guard let pattern = try arg(0), let sub = try arg(1) else { return [] }
            if pattern.isEmpty {
                return [.string(sub + s.map { String($0) + sub }.joined())]
            }
            return [.string(s.replacingOccurrences(of: pattern, with: sub))]
        case .matches:
            guard let pattern = try arg(0) else { return [] }
            let re = try regex(pattern)
            let range = NSRange(s.startIndex..., in: s)
            return FHIRPathValue.booleanCollection(re.firstMatch(in: s, range: range) != nil)
        case .matchesFull:
            guard let pattern = try arg(0) else { return [] }
            let re = try regex("^(?:" + pattern + ")$")
            let range = NSRange(s.startIndex..., in: s)
            return FHIRPathValue.booleanCollection(re.firstMatch(in: s, range: range) != nil)
        case .replaceMatches:
            guard let pattern = try arg(0), let sub = try arg(1) else { return [] }
            if pattern.isEmpty { return [.string(s)] }
            let re = try regex(pattern)
            let range = NSRange(s.startIndex..., in: s)
            return [.string(re.stringByReplacingMatches(in: s, range: range, withTemplate: sub))]
        case .length: return [.integer(s.count)]
        case .toChars: return s.map { .string(String($0)) }
        case .trim: return [.string(s.trimmingCharacters(in: .whitespacesAndNewlines))]
        case .split:
            guard let sep = try arg(0) else { return [] }
            if sep.isEmpty { return s.map { .string(String($0)) } }
            return s.components(separatedBy: sep).map(FHIRPathValue.string)
        case .encode, .decode:
            guard let format = try arg(0) else { return [] }
            return (f == .encode ? Self.encode(s, format) : Self.decode(s, format)).map { [.string($0)] } ?? []
        case .escape, .unescape:
            guard let format = try arg(0) else { return [] }
            return (f == .escape ? Self.escape(s, format) : Self.unescape(s, format)).map { [.string($0)] } ?? []
        default:
            throw .semantic(message: "\(f.rawValue)() is not a string function")
        }
    }

    private func stringArgument(
        _ args: [[FHIRPathValue]], _ i: Int, _ f: FunctionName
    ) throws(FHIRPathError) -> String? {
        guard i < args.count, let v = try singleValue(args[i], "\(f.rawValue)()") else { return nil }
        guard case .string(let s) = v else { throw .execution(message: "\(f.rawValue)() needs a String argument") }
        return s
    }

    private func regex(_ pattern: String) throws(FHIRPathError) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        } catch {
            throw .execution(message: "invalid regular expression")
        }
    }

    static func encode(_ s: String, _ format: String) -> String? {
        let data = Data(s.utf8)
        switch format {
        case "base64": return data.base64EncodedString()
        case "urlbase64":
            return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
        case "hex": return data.map { String(format: "%02x", $0) }.joined()
        default: return nil
        }
    }

    static func decode(_ s: String, _ format: String) -> String? {
        switch format {
        case "base64": return Data(base64Encoded: s).map { String(decoding: $0, as: UTF8.self) }
        case "urlbase64":
            let b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            return Data(base64Encoded: b).map { String(decoding: $0, as: UTF8.self) }
        case "hex":
            var bytes: [UInt8] = []
            var it = s.makeIterator()
            while let a = it.next() {
                guard let b = it.next(), let v = UInt8(String([a, b]), radix: 16) else { return nil }
                bytes.append(v)
            }
            return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    static func escape(_ s: String, _ format: String) -> String? {
        switch format {
        case "html":
            return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
                .replacingOccurrences(of: "'", with: "&#39;")
        case "json":
            return s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        default: return nil
        }
    }

    static func unescape(_ s: String, _ format: String) -> String? {
        switch format {
        case "html":
            return s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
        case "json":
            return s.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
        default: return nil
        }
    }
}
