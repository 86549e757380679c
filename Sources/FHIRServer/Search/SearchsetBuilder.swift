import FHIRModel
import Foundation
import Hummingbird

/// One match of a search whose resource is made only if it lands on the page: its id and its order keys come
/// from the domain object (the same text ``ResultParameters/sortValue(_:_:)`` gives for the resource).
struct LazyMatch {
    let id: String
    let key: (String) -> String
    let make: () -> Element
}

/// Builds a `searchset` Bundle with total, paging links (cursors, or `_offset` + `_count`) and warnings as an
/// outcome entry.
struct SearchsetBuilder {
    let baseURL: String
    let type: String
    let request: Request
    /// The criteria as received (the URL query, or the body of a POST `_search`), kept in paging links.
    var query: String?
    /// Keys ordering the matches after `_sort` and before `_id` (`start` for slots, `date` for appointments).
    var defaultSort: [String]

    init(baseURL: String, type: String, request: Request, query: String? = nil, defaultSort: [String] = []) {
        self.baseURL = baseURL
        self.type = type
        self.request = request
        self.query = query ?? request.uri.query
        self.defaultSort = defaultSort
    }

    /// The order of a searchset: the `_sort` keys, then `defaultSort`, then `_id`, so that every resource has
    /// one place and a page boundary can be named by the keys of the resource on it.
    func orderKeys(_ result: ResultParameters?) -> [(key: String, descending: Bool)] {
        (result?.sort ?? []) + defaultSort.map { ($0, false) } + [("_id", false)]
    }

    /// Whether key `a` comes before key `b` in the order.
    static func precedes(_ a: [String], _ b: [String], _ keys: [(key: String, descending: Bool)]) -> Bool {
        for (i, k) in keys.enumerated() where a[i] != b[i] {
            return k.descending ? a[i] > b[i] : a[i] < b[i]
        }
        return false
    }

    /// A cursor: the keys of a boundary resource, joined and base64url-encoded (opaque to clients).
    static func cursor(_ key: [String]) -> String {
        Data(key.joined(separator: "\u{1F}").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ text: String, count: Int) throws(FHIRError) -> [String] {
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let joined = String(data: data, encoding: .utf8) else {
            throw FHIRError(.badRequest, code: "invalid", "malformed paging cursor")
        }
        let parts = joined.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count else {
            throw FHIRError(.badRequest, code: "invalid", "this paging cursor belongs to another search")
        }
        return parts
    }

    /// - Parameter render: completes the page's resources (written forms) before shaping.
    /// - Parameter include: the resources `_include`/`_revinclude` add for the page (unshaped by `_elements`).
    ///
    /// Paging: when every match has an id, the `next` and `previous` links carry a cursor (`_after`/`_before`:
    /// the order keys of the page's last or first resource), so a link keeps pointing at the same place while
    /// resources are added or removed before it. Matches without ids (`$find` proposals) page by `_offset`.
    func bundle(
        matches unsorted: [Element], count: Int, offset: Int, warnings: [OperationOutcomeResource.Issue],
        result: ResultParameters? = nil, registry: StructureRegistry? = nil,
        render: ([Element]) async throws -> [Element] = { $0 },
        include: ([Element]) async throws -> [Element] = { _ in [] }
    ) async throws -> BundleResource {
        if !unsorted.isEmpty, unsorted.allSatisfy({ $0.resourceID != nil }) {
            let lazy = unsorted.map { e in
                LazyMatch(id: e.resourceID!, key: { ResultParameters.sortValue(e, $0) }, make: { e })
            }
            return try await bundle(
                lazy: lazy, count: count, offset: offset, warnings: warnings, result: result, registry: registry,
                render: render, include: include)
        }
        var b = BundleResource()
        b.type = "searchset"
        let count = result?.summary == .count ? 0 : count
        if result?.total ?? true { b.total = unsorted.count }
        var links: [(relation: String, url: String)] = [("self", link(current: true)), ("first", link(count: count))]
        let matches = result?.sorted(unsorted) ?? unsorted
        let page = Array(matches.dropFirst(offset).prefix(count))
        if count > 0 && offset + count < matches.count {
            links.append(("next", link(count: count, offset: offset + count)))
        }
        if offset > 0 { links.append(("previous", link(count: count, offset: max(0, offset - count)))) }
        return try await finish(
            b, page: page, links: links, warnings: warnings, result: result, registry: registry, render: render,
            include: include)
    }

    /// A searchset of matches with ids, ordered by their keys and paged by cursor; only the page's resources are
    /// made.
    func bundle(
        lazy unsorted: [LazyMatch], count: Int, offset: Int, warnings: [OperationOutcomeResource.Issue],
        result: ResultParameters? = nil, registry: StructureRegistry? = nil,
        render: ([Element]) async throws -> [Element] = { $0 },
        include: ([Element]) async throws -> [Element] = { _ in [] }
    ) async throws -> BundleResource {
        var b = BundleResource()
        b.type = "searchset"
        let count = result?.summary == .count ? 0 : count
        if result?.total ?? true { b.total = unsorted.count }
        var page: [Element] = []
        var links: [(relation: String, url: String)] = [("self", link(current: true)), ("first", link(count: count))]
        if !unsorted.isEmpty {
            let order = orderKeys(result)
            let keyed = unsorted.map { m in (key: order.map { $0.key == "_id" ? m.id : m.key($0.key) }, match: m) }
                .sorted { Self.precedes($0.key, $1.key, order) }
            var start = offset
            var end = min(keyed.count, offset + count)
            let query = request.uri.queryParameters
            if let after = query["_after"] {
                let c = try Self.decodeCursor(String(after), count: order.count)
                start = keyed.firstIndex { Self.precedes(c, $0.key, order) } ?? keyed.count
                end = min(keyed.count, start + count)
            } else if let before = query["_before"] {
                let c = try Self.decodeCursor(String(before), count: order.count)
                end = keyed.firstIndex { !Self.precedes($0.key, c, order) } ?? keyed.count
                start = max(0, end - count)
            }
            start = min(start, keyed.count)
            page = keyed[start..<max(start, end)].map { $0.match.make() }
            if count > 0, end < keyed.count, let last = keyed[safe: end - 1] {
                links.append(("next", link(count: count, cursor: ("_after", Self.cursor(last.key)))))
            }
            if start > 0, let first = keyed[safe: start] {
                links.append(("previous", link(count: count, cursor: ("_before", Self.cursor(first.key)))))
            }
        }
        return try await finish(
            b, page: page, links: links, warnings: warnings, result: result, registry: registry, render: render,
            include: include)
    }

    func finish(
        _ bundle: BundleResource, page: [Element], links: [(relation: String, url: String)],
        warnings: [OperationOutcomeResource.Issue], result: ResultParameters?, registry: StructureRegistry?,
        render: ([Element]) async throws -> [Element], include: ([Element]) async throws -> [Element]
    ) async throws -> BundleResource {
        var b = bundle
        var page = try await render(page)
        let included = try await include(page)
        if let result, let registry { page = page.map { result.shaped($0, registry: registry) } }
        b.links = links
        var entries = page.map { BundleResource.Entry(fullUrl: fullUrl($0), resource: $0, searchMode: "match") }
        entries += included.map { BundleResource.Entry(fullUrl: fullUrl($0), resource: $0, searchMode: "include") }
        if !warnings.isEmpty {
            let outcome = OperationOutcomeResource(issues: warnings).element
            entries.append(.init(fullUrl: fullUrl(outcome), resource: outcome, searchMode: "outcome"))
        }
        b.entries = entries
        return b
    }

    /// The entry's identity: the resource's URL on this server, or a `urn:uuid:` for a resource without one (a
    /// `$find` proposal, the outcome entry), so that every entry has a unique full URL (bdl-7).
    func fullUrl(_ r: Element) -> String {
        guard let id = r.resourceID else { return "urn:uuid:\(UUID().uuidString.lowercased())" }
        return "\(baseURL)/\(r.type)/\(id)"
    }

    /// A link to this search: the current request (`current`), or another page of it.
    func link(current: Bool = false, count: Int = 0, offset: Int? = nil, cursor: (String, String)? = nil) -> String {
        let paging = ["_offset=", "_count=", "_after=", "_before="]
        let all = (query ?? "").split(separator: "&").map(String.init)
        if current { return "\(baseURL)/\(type)" + (all.isEmpty ? "" : "?" + all.joined(separator: "&")) }
        var kept = all.filter { p in !paging.contains { p.hasPrefix($0) } }
        kept.append("_count=\(count)")
        if let offset { kept.append("_offset=\(offset)") }
        if let (name, value) = cursor { kept.append("\(name)=\(value)") }
        return "\(baseURL)/\(type)?" + kept.joined(separator: "&")
    }

    /// `_offset` of the request (our paging cursor), default 0.
    static func offset(_ request: Request) throws(FHIRError) -> Int {
        guard let raw = request.uri.queryParameters["_offset"] else { return 0 }
        guard let n = Int(String(raw)), n >= 0, n <= 1_000_000 else {
            throw FHIRError(.badRequest, code: "invalid", "_offset is 0 to 1000000")
        }
        return n
    }
}

extension Request {
    /// `Prefer: handling=strict` was sent.
    var prefersStrictHandling: Bool {
        headers[.init("Prefer")!]?.contains("handling=strict") ?? false
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
