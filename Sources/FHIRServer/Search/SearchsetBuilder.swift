import FHIRModel
import Hummingbird

/// Builds a `searchset` Bundle with total, paging links (`_offset` + `_count`) and warnings as an outcome entry.
struct SearchsetBuilder {
    let baseURL: String
    let type: String
    let request: Request
    /// The criteria as received (the URL query, or the body of a POST `_search`), kept in paging links.
    var query: String?

    init(baseURL: String, type: String, request: Request, query: String? = nil) {
        self.baseURL = baseURL
        self.type = type
        self.request = request
        self.query = query ?? request.uri.query
    }

    /// - Parameter include: the resources `_include`/`_revinclude` add for the page (unshaped by `_elements`).
    func bundle(
        matches unsorted: [Element], count: Int, offset: Int, warnings: [OperationOutcomeResource.Issue],
        result: ResultParameters? = nil, registry: StructureRegistry? = nil,
        include: ([Element]) async throws -> [Element] = { _ in [] }
    ) async throws -> BundleResource {
        var b = BundleResource()
        b.type = "searchset"
        let matches = result?.sorted(unsorted) ?? unsorted
        if result?.total ?? true { b.total = matches.count }
        let count = result?.summary == .count ? 0 : count
        var page = Array(matches.dropFirst(offset).prefix(count))
        let included = try await include(page)
        if let result, let registry { page = page.map { result.shaped($0, registry: registry) } }
        var links: [(relation: String, url: String)] = [("self", link(offset: offset, count: count))]
        links.append(("first", link(offset: 0, count: count)))
        if count > 0 && offset + count < matches.count {
            links.append(("next", link(offset: offset + count, count: count)))
        }
        if offset > 0 { links.append(("previous", link(offset: max(0, offset - count), count: count))) }
        b.links = links
        var entries = page.map { r in
            BundleResource.Entry(
                fullUrl: "\(baseURL)/\(r.type)/\(r.resourceID ?? "")", resource: r, searchMode: "match")
        }
        entries += included.map { r in
            BundleResource.Entry(
                fullUrl: "\(baseURL)/\(r.type)/\(r.resourceID ?? "")", resource: r, searchMode: "include")
        }
        if !warnings.isEmpty {
            entries.append(.init(resource: OperationOutcomeResource(issues: warnings).element, searchMode: "outcome"))
        }
        b.entries = entries
        return b
    }

    func link(offset: Int, count: Int) -> String {
        let kept = (query ?? "").split(separator: "&").filter {
            !$0.hasPrefix("_offset=") && !$0.hasPrefix("_count=")
        }
        return "\(baseURL)/\(type)?" + (kept + ["_count=\(count)", "_offset=\(offset)"]).joined(separator: "&")
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
