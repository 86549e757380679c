import ArgumentParser
import FHIRModel
import FHIRPath
import Foundation

/// `booking-gateway bench fhirpath`: evaluations per second of the Appointment invariants (app-*, dom-*,
/// ele-1 as defined in profiles/r4/core) over the official Appointment examples, against fhirpathpy and
/// fhirpathrs on the same expressions and resources in the same run.
struct FHIRPathBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhirpath",
        abstract: "FHIRPath evaluations per second on the Appointment invariants, against fhirpathpy and fhirpathrs."
    )

    @Option(help: "Folder of official JSON examples.") var json = "../shared/conformance/r4/examples/json"
    @Option(help: "Rounds per measurement (best is kept).") var rounds = 3
    @Option(help: "Minimum seconds per round.") var minSeconds = 0.5
    @Option(help: "Python with the peers installed (scripts/bench/setup-peers.sh prints it); none to skip.")
    var peersPython: String?
    @Option(help: "Write the results as JSON to this file.") var output: String?
    @Flag(help: "Also count the peers' passes on the official FHIRPath suite (inputs converted by this binary).")
    var suite = false
    @Option(help: "The official FHIRPath suite folder.") var suiteDir = "../shared/conformance/fhirpath"
    @OptionGroup var profiles: ProfilesOption

    /// One benchmarked expression: the invariant's expression, wrapped in `path.all(…)` when the invariant is
    /// on an element below the resource, so that every engine evaluates it from the resource.
    struct Case {
        var key: String
        var expression: String
    }

    func run() throws {
        let registry = try loadRegistry(profiles)
        guard let appointment = registry.type(named: "Appointment") else {
            throw CLIError("Appointment is not in the structure data")
        }
        let cases = Self.cases(appointment)
        let dir = URL(fileURLWithPath: json)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasPrefix("Appointment-") && $0.hasSuffix(".json") }.sorted()
        guard !names.isEmpty else { throw CLIError("no Appointment-*.json examples in \(dir.path)") }
        let paths = names.map { dir.appendingPathComponent($0).path }
        let reader = FHIRJSONReader(registry: registry)
        var resources: [Element] = []
        for p in paths {
            do {
                resources.append(try reader.readResource(Array(try Data(contentsOf: URL(fileURLWithPath: p)))))
            } catch {
                throw CLIError("cannot read \(p): \(error)")
            }
        }
        print(
            "FHIRPath: \(cases.count) invariants x \(resources.count) Appointment examples (\(names.joined(separator: ", ")))"
        )
        for c in cases { print("  \(c.key): \(c.expression)") }

        let engine = FHIRPathEngine(structures: registry)
        var outcomes: [[String]] = []
        var failures = 0
        for r in resources {
            var row: [String] = []
            for c in cases {
                do {
                    row.append(Self.outcome(try engine.evaluate(c.expression, focus: r)))
                } catch {
                    failures += 1
                    row.append("error")
                }
            }
            outcomes.append(row)
        }
        let evaluations = cases.count * resources.count
        // Compiled once, as fhirpathpy's compile(); the string API below adds the cache lookup.
        let compiled = cases.compactMap { try? engine.compile($0.expression) }
        let seconds = Measure.best(rounds: rounds, minSeconds: minSeconds) {
            for r in resources {
                for c in compiled { _ = try? engine.evaluate(c, focus: r) }
            }
        }
        let viaText = Measure.best(rounds: rounds, minSeconds: minSeconds) {
            for r in resources {
                for c in cases { _ = try? engine.evaluate(c.expression, focus: r) }
            }
        }
        let ours = Double(evaluations) / seconds
        print(
            "ours: \(Measure.format(ours, 0)) evaluations/s compiled (\(evaluations) per round, \(failures) errors, "
                + "\(Measure.format(seconds * 1e6 / Double(evaluations), 2)) µs each); "
                + "\(Measure.format(Double(evaluations) / viaText, 0)) evaluations/s from the text (cache lookup)")
        var report: [String: Any] = [
            "expressions": cases.map { ["key": $0.key, "expression": $0.expression] },
            "resources": names, "ours": ["evals_per_s": ours, "failures": failures, "outcomes": outcomes],
        ]
        if let python = peersPython, python != "none" {
            report["peers"] = try runPeers(python: python, paths: paths, cases: cases, ours: ours, outcomes: outcomes)
        }
        if suite, let python = peersPython, python != "none" {
            report["suite"] = runSuite(python: python)
        }
        if let output {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: output))
        }
    }

    /// The invariants of Appointment (app-*, dom-*, ele-1) with the form evaluated from the resource.
    static func cases(_ type: TypeDefinition) -> [Case] {
        var out: [Case] = []
        for key in type.invariants.keys.sorted() {
            guard key.hasPrefix("app-") || key.hasPrefix("dom-") || key == "ele-1",
                let expression = type.invariants[key]?.expression
            else { continue }
            if key == "ele-1" {
                // On every element: evaluated over all descendants that are not primitives' values.
                out.append(Case(key: key, expression: "descendants().all(\(expression))"))
                continue
            }
            let paths = type.elementsByPath.values.filter { $0.invariantKeys.contains(key) }.map(\.path).sorted()
            for path in paths {
                let relative = path.split(separator: ".").dropFirst().joined(separator: ".")
                out.append(
                    Case(key: key, expression: relative.isEmpty ? expression : "\(relative).all(\(expression))"))
            }
            if paths.isEmpty { out.append(Case(key: key, expression: expression)) }
        }
        return out
    }

    /// A short outcome to compare engines: true, false, empty, many or other.
    static func outcome(_ result: [FHIRPathValue]) -> String {
        guard let first = result.first else { return "empty" }
        if result.count > 1 { return "many" }
        if case .boolean(let b) = first.systemValue { return b ? "true" : "false" }
        return "other"
    }

    /// Runs scripts/bench/fhirpath_peers.py on the same files and expressions; prints each peer with our ratio.
    func runPeers(
        python: String, paths: [String], cases: [Case], ours: Double, outcomes: [[String]]
    ) throws -> Any {
        let tmp = FileManager.default.temporaryDirectory
        let list = tmp.appendingPathComponent("bench-fhirpath-files-\(getpid()).txt")
        let exprs = tmp.appendingPathComponent("bench-fhirpath-expressions-\(getpid()).json")
        try paths.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
        try JSONSerialization.data(withJSONObject: cases.map { ["key": $0.key, "expression": $0.expression] })
            .write(to: exprs)
        defer {
            try? FileManager.default.removeItem(at: list)
            try? FileManager.default.removeItem(at: exprs)
        }
        let arguments = [
            "scripts/bench/fhirpath_peers.py", "--files-from", list.path, "--expressions", exprs.path, "--rounds",
            String(rounds), "--min-seconds", String(minSeconds),
        ]
        // trace() in the invariants makes the peers print on stderr for every evaluation.
        let run = try PythonScript.run(python, arguments, quiet: true)
        guard run.status == 0, let peers = run.json?["peers"] as? [String: [String: Any]] else {
            print("peers: fhirpath_peers.py failed (status \(run.status))")
            return [:]
        }
        for (name, p) in peers.sorted(by: { $0.key < $1.key }) {
            guard let rate = p["evals_per_s"] as? Double, rate > 0 else {
                print("\(name): unavailable \(p["error"] ?? "")")
                continue
            }
            let theirs = (p["outcomes"] as? [[String]]) ?? []
            var agree = 0
            var differ: [String] = []
            for (r, row) in outcomes.enumerated() {
                for (c, o) in row.enumerated() {
                    let t = r < theirs.count && c < theirs[r].count ? theirs[r][c] : "missing"
                    if t == o { agree += 1 } else { differ.append("\(cases[c].key)@\(r): ours \(o), \(name) \(t)") }
                }
            }
            print(
                "\(name) \(p["version"] ?? ""): \(Measure.format(rate, 0)) evaluations/s, "
                    + "\(p["failures"] ?? 0) errors, same answer on \(agree)/\(agree + differ.count) -> "
                    + "ours/\(name) = \(Measure.format(ours / rate, 1))x")
            for d in differ.prefix(8) { print("    differs: \(d)") }
        }
        return peers
    }

    /// Runs scripts/bench/fhirpath_suite_peers.py and prints each peer's pass count on the official suite.
    func runSuite(python: String) -> Any {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        guard
            let run = try? PythonScript.run(
                python, ["scripts/bench/fhirpath_suite_peers.py", "--suite", suiteDir, "--convert", me], quiet: true)
        else { return [:] }
        guard let json = run.json, let peers = json["peers"] as? [String: [String: Any]] else {
            print("suite: fhirpath_suite_peers.py failed (status \(run.status))")
            return [:]
        }
        let cases = json["cases"] as? Int ?? 0
        for (name, p) in peers.sorted(by: { $0.key < $1.key }) {
            print(
                "suite, \(name) \(p["version"] ?? ""): \(p["passed"] ?? "unavailable")/\(cases) (approximate comparator)"
            )
        }
        return json
    }
}
