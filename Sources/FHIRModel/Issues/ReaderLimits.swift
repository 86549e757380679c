/// Bounds every reader enforces before and while it reads untrusted input.
///
/// The defaults suit a gateway: FHIR resources are rarely nested deeper than 40 levels, and the largest
/// transaction Bundles a CUP sends are a few MiB. The XML reader's depth is also capped by libxml2 itself at 256.
public struct ReaderLimits: Sendable, Hashable {
    /// Largest document accepted, in bytes. Default 16 MiB.
    public var maxBytes: Int
    /// Deepest nesting of objects/arrays (JSON) or elements (XML) accepted. Default 128.
    public var maxDepth: Int

    public init(maxBytes: Int = 16 * 1024 * 1024, maxDepth: Int = 128) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    public static let `default` = ReaderLimits()
}

/// Turns a byte offset into a 1-based line and column (columns count UTF-8 bytes + 1).
public struct SourceLocator: Sendable {
    private let lineStarts: [Int]

    public init(_ bytes: some Collection<UInt8>) {
        var starts = [0]
        var i = 0
        for b in bytes {
            i += 1
            if b == UInt8(ascii: "\n") { starts.append(i) }
        }
        lineStarts = starts
    }

    /// The line and column of `offset`, or nil for an in-memory value (offset < 0).
    public func location(of offset: Int) -> (line: Int, column: Int)? {
        guard offset >= 0 else { return nil }
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }
}
