import ArgumentParser

/// `booking-gateway bench …`: in-process benchmarks reported as ratios against baselines of the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run benchmarks (ratios against baselines measured in the same run).",
        subcommands: [
            CodecBench.self, BookingBench.self, HTTPBench.self, LoadBench.self, FHIRPathBench.self,
            ValidationBench.self,
        ]
    )
}
