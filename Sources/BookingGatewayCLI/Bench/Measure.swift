import Foundation

/// Timing helpers for the bench subcommands: best of several rounds, each at least `minSeconds` long.
enum Measure {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Runs `body` repeatedly; returns the best seconds per call over `rounds` rounds.
    static func best(rounds: Int, minSeconds: Double, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, rounds) {
            var calls = 0
            let start = now()
            var elapsed = 0.0
            repeat {
                try body()
                calls += 1
                elapsed = now() - start
            } while elapsed < minSeconds
            best = min(best, elapsed / Double(calls))
        }
        return best
    }

    /// Async variant of ``best(rounds:minSeconds:_:)``.
    static func bestAsync(rounds: Int, minSeconds: Double, _ body: () async throws -> Void) async rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, rounds) {
            var calls = 0
            let start = now()
            var elapsed = 0.0
            repeat {
                try await body()
                calls += 1
                elapsed = now() - start
            } while elapsed < minSeconds
            best = min(best, elapsed / Double(calls))
        }
        return best
    }

    static func format(_ x: Double, _ digits: Int = 1) -> String {
        String(format: "%.\(digits)f", x)
    }
}
