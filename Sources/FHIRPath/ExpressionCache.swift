import Synchronization

/// Compiled expressions by source text, shared by all threads of one engine.
///
/// Bounded: when full, the cache is cleared (invariant sets are small and fixed, so this rarely happens).
final class ExpressionCache: Sendable {
    private let entries = Mutex<[String: FHIRPathExpression]>([:])
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func expression(_ text: String, compile: (String) throws(FHIRPathError) -> FHIRPathExpression)
        throws(FHIRPathError) -> FHIRPathExpression
    {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        let compiled = try compile(text)
        entries.withLock { dict in
            if dict.count >= capacity { dict.removeAll(keepingCapacity: true) }
            dict[text] = compiled
        }
        return compiled
    }
}
