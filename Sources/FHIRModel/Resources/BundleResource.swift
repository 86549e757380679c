/// Typed view of a Bundle.
public struct BundleResource: ResourceView {
    public static let resourceType = "Bundle"
    public var element: Element
    public init(unchecked element: Element) { self.element = element }

    /// One entry: full URL, resource, and the transaction/batch request or response parts.
    public struct Entry: Sendable, Hashable {
        public var fullUrl: String?
        public var resource: Element?
        public var request: Request?
        public var response: Response?
        public var searchMode: String?

        public init(
            fullUrl: String? = nil, resource: Element? = nil, request: Request? = nil, response: Response? = nil,
            searchMode: String? = nil
        ) {
            self.fullUrl = fullUrl
            self.resource = resource
            self.request = request
            self.response = response
            self.searchMode = searchMode
        }

        init(element e: Element) {
            fullUrl = e.string("fullUrl")
            resource = e.child("resource")
            searchMode = e.descendant("search", "mode")?.value
            request = e.child("request").map {
                Request(
                    method: $0.string("method") ?? "", url: $0.string("url") ?? "",
                    ifNoneMatch: $0.string("ifNoneMatch"),
                    ifModifiedSince: $0.string("ifModifiedSince"), ifMatch: $0.string("ifMatch"),
                    ifNoneExist: $0.string("ifNoneExist"))
            }
            response = e.child("response").map {
                Response(
                    status: $0.string("status") ?? "", location: $0.string("location"), etag: $0.string("etag"),
                    lastModified: $0.string("lastModified"), outcome: $0.child("outcome"))
            }
        }

        func element() -> Element {
            var e = Element(name: "entry", type: "BackboneElement")
            e.setPrimitive("fullUrl", type: "uri", fullUrl)
            if var resource {
                resource.name = "resource"
                e.children.append(resource)
            }
            if let searchMode {
                e.children.append(
                    Element(
                        name: "search", type: "BackboneElement",
                        children: [Element(name: "mode", type: "code", value: searchMode)]))
            }
            if let request {
                var r = Element(name: "request", type: "BackboneElement")
                r.setPrimitive("method", type: "code", request.method)
                r.setPrimitive("url", type: "uri", request.url)
                r.setPrimitive("ifNoneMatch", type: "string", request.ifNoneMatch)
                r.setPrimitive("ifModifiedSince", type: "instant", request.ifModifiedSince)
                r.setPrimitive("ifMatch", type: "string", request.ifMatch)
                r.setPrimitive("ifNoneExist", type: "string", request.ifNoneExist)
                e.children.append(r)
            }
            if let response {
                var r = Element(name: "response", type: "BackboneElement")
                r.setPrimitive("status", type: "string", response.status)
                r.setPrimitive("location", type: "uri", response.location)
                r.setPrimitive("etag", type: "string", response.etag)
                r.setPrimitive("lastModified", type: "instant", response.lastModified)
                if var outcome = response.outcome {
                    outcome.name = "outcome"
                    r.children.append(outcome)
                }
                e.children.append(r)
            }
            return e
        }
    }

    public struct Request: Sendable, Hashable {
        public var method: String
        public var url: String
        public var ifNoneMatch: String?
        public var ifModifiedSince: String?
        public var ifMatch: String?
        public var ifNoneExist: String?

        public init(
            method: String, url: String, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil,
            ifMatch: String? = nil, ifNoneExist: String? = nil
        ) {
            self.method = method
            self.url = url
            self.ifNoneMatch = ifNoneMatch
            self.ifModifiedSince = ifModifiedSince
            self.ifMatch = ifMatch
            self.ifNoneExist = ifNoneExist
        }
    }

    public struct Response: Sendable, Hashable {
        public var status: String
        public var location: String?
        public var etag: String?
        public var lastModified: String?
        public var outcome: Element?

        public init(
            status: String, location: String? = nil, etag: String? = nil, lastModified: String? = nil,
            outcome: Element? = nil
        ) {
            self.status = status
            self.location = location
            self.etag = etag
            self.lastModified = lastModified
            self.outcome = outcome
        }
    }

    /// `Bundle.type` (document, message, transaction, transaction-response, batch, batch-response, history,
    /// searchset, collection).
    public var type: String? {
        get { element.string("type") }
        set { element.setPrimitive("type", type: "code", newValue) }
    }

    public var total: Int? {
        get { element.string("total").flatMap { Int($0) } }
        set { element.setPrimitive("total", type: "unsignedInt", newValue.map(String.init)) }
    }

    /// `link` as (relation, url) pairs.
    public var links: [(relation: String, url: String)] {
        get {
            element.children(named: "link").map { ($0.string("relation") ?? "", $0.string("url") ?? "") }
        }
        set {
            element.setChildren(
                "link",
                newValue.map {
                    Element(
                        name: "link", type: "BackboneElement",
                        children: [
                            Element(name: "relation", type: "string", value: $0.relation),
                            Element(name: "url", type: "uri", value: $0.url),
                        ])
                })
        }
    }

    public var entries: [Entry] {
        get { element.children(named: "entry").map(Entry.init(element:)) }
        set { element.setChildren("entry", newValue.map { $0.element() }) }
    }
}
