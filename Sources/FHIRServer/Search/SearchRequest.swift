import FHIRModel
import Foundation
import Hummingbird

/// A search's parameters: the values of each name (repeats AND together, commas OR), with modifiers split off.
public struct SearchRequest: Sendable {
    public struct Value: Sendable {
        public var name: String
        public var modifier: String?
        public var values: [String]
    }

    public var parameters: [Value]
    /// `_count`, capped at 1000; default 50.
    public var count: Int
    public var strict: Bool

    /// Parses the query of a GET, or the form body of a POST `_search`.
    public init(query: String?, strict: Bool) throws(FHIRError) {
        var params: [Value] = []
        var count = 50
        for pair in (query ?? "").split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = Self.decode(String(kv[0]))
            let rawValue = kv.count > 1 ? Self.decode(String(kv[1])) : ""
            let nameParts = rawName.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(nameParts[0])
            guard !name.isEmpty, nameParts.count == 1 || !nameParts[1].isEmpty else {
                throw FHIRError(.badRequest, code: "invalid", "malformed search parameter '\(rawName)'")
            }
            if ["_format", "_pretty", "_offset", "_after", "_before"].contains(name) { continue }
            if name == "_count" {
                guard let n = Int(rawValue), n >= 0 else {
                    throw FHIRError(.badRequest, code: "invalid", "_count must be a non-negative integer")
                }
                count = min(n, 1000)
                continue
            }
            let values = rawValue.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard values.count <= 100, params.count < 100 else {
                throw FHIRError(.badRequest, code: "too-costly", "at most 100 parameters and 100 values per parameter")
            }
            params.append(Value(name: name, modifier: nameParts.count > 1 ? String(nameParts[1]) : nil, values: values))
        }
        parameters = params
        self.count = count
        self.strict = strict
    }

    static func decode(_ s: String) -> String {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? s
    }

    public func values(_ name: String) -> [Value] { parameters.filter { $0.name == name } }

    /// The same search under strict handling.
    static func strict(_ search: SearchRequest) -> SearchRequest {
        var copy = search
        copy.strict = true
        return copy
    }

    /// Parameters outside `supported`: an error under `Prefer: handling=strict`, otherwise reported as warnings.
    ///
    /// A modifier outside `modifiers` is always an error: ignoring it could invert the result (`status:not=…`).
    /// - Parameter perParameter: modifiers allowed on one parameter only (`status: [not]`), instead of `modifiers`.
    public func unsupported(
        _ supported: Set<String>, modifiers: Set<String> = [], perParameter: [String: Set<String>] = [:]
    ) throws(FHIRError) -> [OperationOutcomeResource.Issue] {
        for p in parameters where supported.contains(p.name) {
            if let m = p.modifier, !(perParameter[p.name] ?? modifiers).contains(m), !m.contains(".") {
                throw FHIRError(.badRequest, code: "not-supported", "modifier ':\(m)' is not supported on '\(p.name)'")
            }
        }
        let unknown = parameters.filter { !supported.contains($0.name) && !ResultParameters.names.contains($0.name) }
            .map(\.name)
        guard !unknown.isEmpty else { return [] }
        if strict {
            throw FHIRError(
                .badRequest, code: "not-supported", "unsupported search parameters: \(unknown.joined(separator: ", "))")
        }
        return unknown.map {
            .init(
                severity: "warning", code: "not-supported",
                diagnostics: "search parameter '\($0)' is not supported and was ignored")
        }
    }
}

/// A date search value: prefix and the range its precision covers.
public struct DateSearchValue: Sendable {
    public var prefix: String
    public var lower: Date
    public var upper: Date

    /// Parses `ge2025-03-30`, `2025-03`, `lt2025-03-30T10:00:00+02:00`…
    public init(_ text: String) throws(FHIRError) {
        var t = Substring(text)
        var p = "eq"
        for candidate in ["eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"] where t.hasPrefix(candidate) {
            p = candidate
            t = t.dropFirst(2)
            break
        }
        guard let dt = FHIRDateTime(String(t)) else {
            throw FHIRError(.badRequest, code: "invalid", "'\(text)' is not a date search value")
        }
        prefix = p
        let start = dt.epochSeconds
        let end: Double
        guard dt.year < 9999 else { throw FHIRError(.badRequest, code: "invalid", "dates are searched up to 9998") }
        switch dt.precision {
        case .year: end = FHIRDateTime(String(format: "%04d", dt.year + 1))?.epochSeconds ?? start
        case .month:
            let month = dt.month ?? 12
            let (y, m) = month == 12 ? (dt.year + 1, 1) : (dt.year, month + 1)
            end = FHIRDateTime(String(format: "%04d-%02d", y, m))?.epochSeconds ?? start
        case .day: end = start + 86400
        case .minute: end = start + 60
        case .second: end = start + 1
        case .fraction: end = start + 0.001
        }
        lower = Date(timeIntervalSince1970: start)
        upper = Date(timeIntervalSince1970: end)
    }

    /// Whether the period `[start, end)` matches this value (FHIR date search semantics on ranges).
    public func matches(start: Date, end: Date) -> Bool {
        switch prefix {
        case "eq": return start >= lower && end <= upper
        case "ne": return !(start >= lower && end <= upper)
        case "gt": return end > upper
        case "sa": return start >= upper
        case "lt": return start < lower
        case "eb": return end <= lower
        case "ge": return end > lower
        case "le": return start < upper
        case "ap":
            let margin = max(86400, (upper.timeIntervalSince1970 - lower.timeIntervalSince1970) * 0.1)
            return start < upper.addingTimeInterval(margin) && end > lower.addingTimeInterval(-margin)
        default: return false
        }
    }
}
