import Foundation

/// Runs one of the Python scripts in scripts/bench (the peers and references the benchmarks compare against) and
/// reads the JSON object it prints on stdout. Benchmark figures, not FHIR data: Foundation's JSON is fine here.
enum PythonScript {
    struct Output {
        /// The printed object; nil when the script printed none (it failed, or a peer was missing).
        var json: [String: Any]?
        var status: Int32
    }

    /// - Parameter quiet: discard stderr (peers that `trace()` print there for every evaluation).
    static func run(_ python: String, _ arguments: [String], quiet: Bool = false) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if quiet { process.standardError = FileHandle.nullDevice }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            json: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], status: process.terminationStatus)
    }

    /// Starts a long-running script (a server peer) with stdout discarded and stderr appended to `stderr`, for
    /// the reason when it stops. The caller terminates it.
    static func start(_ python: String, _ arguments: [String], stderr: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
    }
}
