import ArgumentParser
import FHIRModel
import FHIRValidation
import Foundation

/// `booking-gateway bench validate`: resources validated per second (an Appointment, a 100-entry transaction
/// Bundle), Bundle scaling (1,000 vs 10,000 entries), and pyfhircheck on the same resources in the same run.
/// Our figures validate the parsed tree (pyfhircheck validates a parsed dict); invariants are not evaluated by
/// either side of the comparison the same way (ours skips them: no FHIRPath engine on this branch).
struct ValidationBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validation throughput and Bundle scaling against pyfhircheck, in one run."
    )

    @Option(help: "Folder of official JSON examples.") var json = "../shared/conformance/r4/examples/json"
    @Option(help: "Folder of the R4 core definitions (for pyfhircheck only).")
    var definitions = "../shared/conformance/r4/definitions"
    @Option(help: "Rounds per measurement (best is kept).") var rounds = 3
    @Option(help: "Minimum seconds per round.") var minSeconds = 0.5
    @Option(help: "Python with the peers installed (scripts/bench/setup-peers.sh prints it); none to skip.")
    var peersPython: String?
    @OptionGroup var profiles: ProfilesOption

    static let entryExamples = [
        "Appointment-example.json", "Appointment-examplereq.json", "Slot-example.json", "Slot-1.json",
        "Schedule-example.json", "Patient-example.json", "Practitioner-example.json", "Location-1.json",
        "AppointmentResponse-example.json", "HealthcareService-example.json",
    ]

    func run() throws {
        let registry = try loadRegistry(profiles)
        let loadStart = Measure.now()
        let validator = try Validator.withFHIRPath(
            registry: registry, structures: profiles.structures.map { URL(fileURLWithPath: $0) })
        print("definitions and terminology loaded in \(Measure.format((Measure.now() - loadStart) * 1000, 0)) ms")
        let reader = FHIRJSONReader(registry: registry)
        let dir = URL(fileURLWithPath: json)
        let examples = try Self.entryExamples.map {
            try reader.readResource(Array(Data(contentsOf: dir.appendingPathComponent($0))))
        }
        let appointment = examples[0]
        let bundle100 = Self.transaction(examples, entries: 100)
        let bundle1k = Self.transaction(examples, entries: 1_000)
        let bundle10k = Self.transaction(examples, entries: 10_000)

        // Correctness gate: none of the measured resources has an error.
        for (name, r) in [("Appointment", appointment), ("Bundle(100)", bundle100), ("Bundle(10000)", bundle10k)] {
            let errors = validator.validate(r).filter(\.isError)
            print("\(name): \(errors.count) errors")
            guard errors.isEmpty else { throw CLIError("\(name) does not validate: \(errors.prefix(3))") }
        }

        let tAppointment = Measure.best(rounds: rounds, minSeconds: minSeconds) { _ = validator.validate(appointment) }
        let tBundle = Measure.best(rounds: rounds, minSeconds: minSeconds) { _ = validator.validate(bundle100) }
        let t1k = Measure.best(rounds: rounds, minSeconds: minSeconds) { _ = validator.validate(bundle1k) }
        let t10k = Measure.best(rounds: rounds, minSeconds: 0) { _ = validator.validate(bundle10k) }
        print("| measure | ours |")
        print("|---|---|")
        print("| Appointment validations/s | \(Measure.format(1 / tAppointment, 0)) |")
        print("| 100-entry transaction Bundle validations/s | \(Measure.format(1 / tBundle, 1)) |")
        print("| resources/s inside the 100-entry Bundle | \(Measure.format(101 / tBundle, 0)) |")
        print("| 1,000-entry Bundle | \(Measure.format(t1k * 1000, 1)) ms |")
        print("| 10,000-entry Bundle | \(Measure.format(t10k * 1000, 1)) ms |")
        print("| scaling 10,000 / 1,000 (must be ≤ 12) | \(Measure.format(t10k / t1k, 2))× |")

        guard let python = peersPython, python != "none" else {
            print("peers: skipped (give --peers-python, from scripts/bench/setup-peers.sh)")
            return
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("bench-validate-\(getpid())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let writer = FHIRJSONWriter(registry: registry)
        let aPath = tmp.appendingPathComponent("appointment.json").path
        let bPath = tmp.appendingPathComponent("bundle100.json").path
        try Data(writer.write(appointment)).write(to: URL(fileURLWithPath: aPath))
        try Data(writer.write(bundle100)).write(to: URL(fileURLWithPath: bPath))
        let peer = try runPeer(python: python, files: [aPath, bPath])
        guard let files = peer["files"] as? [String: [String: Any]],
            let pa = files[aPath]?["seconds"] as? Double, let pb = files[bPath]?["seconds"] as? Double
        else {
            print("pyfhircheck: unavailable (\(peer["error"] ?? "no result"))")
            return
        }
        let version = peer["version"] as? String ?? "?"
        print("| measure | ours | pyfhircheck \(version) | ratio |")
        print("|---|---|---|---|")
        print(
            "| Appointment validations/s | \(Measure.format(1 / tAppointment, 0)) | \(Measure.format(1 / pa, 0)) | \(Measure.format(pa / tAppointment, 1))× |"
        )
        print(
            "| 100-entry Bundle validations/s | \(Measure.format(1 / tBundle, 1)) | \(Measure.format(1 / pb, 2)) | \(Measure.format(pb / tBundle, 1))× |"
        )
        print(
            "pyfhircheck errors reported: Appointment \(files[aPath]?["errors"] ?? "?"), Bundle \(files[bPath]?["errors"] ?? "?"); its load time \(Measure.format((peer["load_seconds"] as? Double ?? 0) * 1000, 0)) ms"
        )
    }

    /// A transaction Bundle of `entries` POSTs cycling through the examples, with urn:uuid fullUrls.
    static func transaction(_ examples: [Element], entries: Int) -> Element {
        var bundle = Element.resource("Bundle")
        bundle.setPrimitive("type", type: "code", "transaction")
        for i in 0..<entries {
            var r = examples[i % examples.count]
            r.name = "resource"
            r.children.removeAll { $0.name == "id" }
            let uuid = String(format: "urn:uuid:00000000-0000-4000-8000-%012x", i)
            let request = Element(
                name: "request", type: "BackboneElement",
                children: [
                    Element(name: "method", type: "code", value: "POST"),
                    Element(name: "url", type: "uri", value: r.type),
                ])
            bundle.children.append(
                Element(
                    name: "entry", type: "BackboneElement",
                    children: [Element(name: "fullUrl", type: "uri", value: uuid), r, request]))
        }
        return bundle
    }

    func runPeer(python: String, files: [String]) throws -> [String: Any] {
        let run = try PythonScript.run(
            python,
            [
                "scripts/bench/validate_peers.py", "--definitions", definitions, "--rounds", "\(rounds)",
                "--min-seconds", "\(minSeconds)",
            ] + files)
        return run.json?["pyfhircheck"] as? [String: Any] ?? ["error": "validate_peers.py failed"]
    }
}
