import ArgumentParser
import CLibXML2
import FHIRModel
import Foundation

/// `booking-gateway bench codecs`: parse+serialise throughput of the FHIR codecs over the official example
/// Bundles, against libxml2's bare tree parse (measured here) and the Python peers (fhirkit-rs, fhir.resources,
/// orjson) on the same bytes, all in the same run. Prints ours, peer, ratio.
struct CodecBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codecs",
        abstract: "Codec throughput against libxml2 and the Python peers, in one run."
    )

    @Option(help: "Folder of official JSON examples.") var json = "../shared/conformance/r4/examples/json"
    @Option(help: "Folder of official XML examples.") var xml = "../shared/conformance/r4/examples/xml"
    @Option(help: "File name prefix selecting the corpus ('' for every example).") var prefix = "Bundle-"
    @Option(help: "Rounds per measurement (best is kept).") var rounds = 3
    @Option(help: "Minimum seconds per round.") var minSeconds = 0.5
    @Option(help: "Python with the peers installed (scripts/bench/setup-peers.sh prints it); none to skip.")
    var peersPython: String?
    @Option(help: "Write the results as JSON to this file.") var output: String?
    @OptionGroup var profiles: ProfilesOption

    func run() throws {
        let loadStart = Measure.now()
        let registry = try loadRegistry(profiles)
        print(
            "structure data (profiles/r4, \(registry.types.count) types) loaded in \(Measure.format((Measure.now() - loadStart) * 1000, 0)) ms"
        )
        let codec = FHIRCodec(registry: registry, limits: ReaderLimits(maxBytes: 256 << 20))
        var results: [String: Any] = [:]
        for format in FHIRFormat.allCases {
            let dir = URL(fileURLWithPath: format == .json ? json : xml)
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
                .filter { $0.hasPrefix(prefix) && $0.hasSuffix("." + format.rawValue) }.sorted()
            let paths = names.map { dir.appendingPathComponent($0).path }
            let files = try paths.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
            let totalBytes = files.reduce(0) { $0 + $1.count }
            guard !files.isEmpty else {
                throw CLIError("no \(format.rawValue) files with prefix '\(prefix)' in \(dir.path)")
            }

            // Correctness gate in the same run: every file parses, and a second parse of our output equals the first.
            var resources = 0
            var exact = 0
            var held: [Element] = []
            for bytes in files {
                let tree = try codec.read(bytes, format: format)
                resources += Self.countResources(tree)
                if (try? codec.read(codec.write(tree, format: format), format: format)) == tree { exact += 1 }
                held.append(tree)
            }
            let memoryPerResource = Double(held.reduce(0) { $0 + Self.estimatedBytes($1) }) / Double(max(1, resources))
            held.removeAll()

            let ours = try Measure.best(rounds: rounds, minSeconds: minSeconds) {
                for bytes in files {
                    let tree = try codec.read(bytes, format: format)
                    _ = codec.write(tree, format: format)
                }
            }
            var row: [String: Any] = [
                "files": files.count, "bytes": totalBytes, "resources": resources, "exact": exact,
                "ours_mb_per_s": Double(totalBytes) / ours / 1e6, "ours_resources_per_s": Double(resources) / ours,
                "memory_bytes_per_resource": memoryPerResource,
            ]
            print("\n== \(format.rawValue): \(files.count) files, \(totalBytes) bytes, \(resources) resources")
            print("gate: \(exact)/\(files.count) files re-read equal after writing")
            print(
                "ours (parse+serialise): \(Measure.format(Double(totalBytes) / ours / 1e6)) MB/s, \(Measure.format(Double(resources) / ours, 0)) resources/s, ~\(Measure.format(memoryPerResource / 1024, 1)) KiB per resource held (element tree: nodes, child arrays, out-of-line strings)"
            )
            if format == .xml {
                let bare = Measure.best(rounds: rounds, minSeconds: minSeconds) {
                    for bytes in files { Self.bareLibxml2Parse(bytes) }
                }
                let ratio = bare / ours
                row["libxml2_bare_mb_per_s"] = Double(totalBytes) / bare / 1e6
                row["ratio_vs_libxml2"] = ratio
                print(
                    "libxml2 bare tree parse (xmlReadMemory+xmlFreeDoc): \(Measure.format(Double(totalBytes) / bare / 1e6)) MB/s -> ours/libxml2 = \(Measure.format(ratio, 2))x (goal >= 0.5x)"
                )
            }
            if let python = peersPython, python != "none" {
                row["peers"] = try runPeers(
                    python: python, paths: paths, format: format, ours: ours, totalBytes: totalBytes)
            }
            results[format.rawValue] = row
        }
        if let output {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: output))
        }
    }

    /// Runs scripts/bench/codec_peers.py on the same files and prints each peer with our ratio against it.
    func runPeers(python: String, paths: [String], format: FHIRFormat, ours: Double, totalBytes: Int) throws -> Any {
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("bench-files-\(getpid()).txt")
        try paths.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: list) }
        let run = try PythonScript.run(
            python,
            [
                "scripts/bench/codec_peers.py", "--files-from", list.path, "--format", format.rawValue, "--rounds",
                String(rounds), "--min-seconds", String(minSeconds),
            ])
        guard run.status == 0, let peers = run.json?["peers"] as? [String: [String: Any]] else {
            print("peers: codec_peers.py failed (status \(run.status))")
            return [:]
        }
        let oursMBps = Double(totalBytes) / ours / 1e6
        for (name, p) in peers.sorted(by: { $0.key < $1.key }) {
            guard let mbps = p["mb_per_s"] as? Double, mbps > 0 else {
                print("\(name): unavailable \(p["note"] ?? "")")
                continue
            }
            let exactNote = (p["exact"] as? Bool).map { $0 ? "exact" : "NOT exact (changes content)" } ?? ""
            print(
                "\(name): \(Measure.format(mbps)) MB/s \(exactNote) -> ours/\(name) = \(Measure.format(oursMBps / mbps, 2))x"
            )
        }
        return peers
    }

    /// Heap and inline bytes of an element tree: each node's stride, each child array's buffer (32-byte header),
    /// and strings too long for Swift's inline small-string form (16-byte header).
    static func estimatedBytes(_ e: Element) -> Int {
        func string(_ s: String) -> Int { s.utf8.count > 15 ? 32 + s.utf8.count : 0 }
        var n = MemoryLayout<Element>.stride + string(e.name) + string(e.type) + (e.value.map(string) ?? 0)
        if !e.children.isEmpty { n += 32 }
        for c in e.children { n += estimatedBytes(c) }
        return n
    }

    static func countResources(_ e: Element) -> Int {
        var n = e.type == e.name || e.name == "resource" || e.name == "contained" || e.name == "outcome" ? 1 : 0
        for c in e.children where !c.children.isEmpty { n += countResources(c) }
        return n
    }

    static func bareLibxml2Parse(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                if let doc = xmlReadMemory($0, Int32(buf.count), nil, nil, cfhir_safe_parse_options()) {
                    xmlFreeDoc(doc)
                }
            }
        }
    }
}
