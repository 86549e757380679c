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

    /// Resident set size of this process, in bytes (Linux /proc; 0 elsewhere).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let parts = text.split(separator: " ")
        guard parts.count > 1, let pages = Int(parts[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func format(_ x: Double, _ digits: Int = 1) -> String {
        String(format: "%.\(digits)f", x)
    }
}
