import ArgumentParser
import Booking
import BookingSQLite
import DocumentStore
import FHIRModel
import FHIRServer
import FHIRValidation
import Foundation
import Hummingbird

/// `booking-gateway serve`: the FHIR gateway over HTTP. The FHIR base is `http://HOST:PORT/fhir`; `/health` is
/// beside it.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the FHIR gateway.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Public FHIR base URL used in links and Location headers (default http://HOST:PORT/fhir).")
    var baseURL: String?
    @Option(help: "Store: sqlite:PATH (PostgreSQL arrives in a later release).") var store =
        "sqlite:data/gateway.sqlite"
    @Flag(help: "Load the demo clinic (fixtures/demo/clinic.json) into an empty store.") var demo = false
    @Option(help: "Demo clinic file.") var demoFile = "fixtures/demo/clinic.json"
    @Option(help: "Mode of schedules that do not choose one: full or appointments.") var mode: BookingMode = .full
    @Option(help: "Validation of written resources: off, warn or reject (422 with the issues).")
    var validation: ValidationPolicy = .reject
    @Option(
        name: .customLong("ig"),
        help: "Folder of extra StructureDefinitions, ValueSets and CodeSystems (a regional IG); repeatable.")
    var implementationGuides: [String] = []
    @OptionGroup var profiles: ProfilesOption

    func run() async throws {
        guard store.hasPrefix("sqlite:") else {
            throw ValidationError("unsupported store '\(store)': use sqlite:PATH")
        }
        let path = String(store.dropFirst("sqlite:".count))
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let registry = try loadRegistry(profiles)
        let sqlite = try SQLiteBookingStore(path: path)
        let booking = BookingService(store: sqlite, configuration: BookingConfiguration(defaultMode: mode))
        try await booking.processPendingRechecks()
        if demo, try await sqlite.schedules().isEmpty {
            try await DemoClinic.read(URL(fileURLWithPath: demoFile)).load(into: booking)
            printError("loaded the demo clinic from \(demoFile)")
        }
        let documents = try SQLiteDocumentStore(path: path)
        let codec = FHIRCodec(registry: registry)
        if demo, try await documents.history(type: nil, id: nil, since: nil, limit: 1).isEmpty {
            try await DemoDirectory.load(DemoClinic.read(URL(fileURLWithPath: demoFile)), into: documents, codec: codec)
        }
        let validator: Validator
        do {
            validator = try Validator.withFHIRPath(
                registry: registry, structures: profiles.structures.map { URL(fileURLWithPath: $0) },
                extraFolders: implementationGuides.map { URL(fileURLWithPath: $0) })
        } catch {
            throw CLIError("cannot load the validation definitions: \(error)")
        }
        for skipped in validator.store.skipped { printError("warning: not loaded: \(skipped)") }
        let services = GatewayServices(
            booking: booking, documents: documents, codec: codec, defaultTimeZone: "Europe/Rome",
            validation: WriteValidation(validator: validator, policy: validation))
        var config = ServerConfiguration(host: host, port: port)
        config.publicBaseURL = baseURL
        let host = self.host
        try await buildApplication(services: services, configuration: config) { bound in
            printError("FHIR base: http://\(host):\(bound)/fhir")
        }.runService()
    }
}

extension BookingMode: ExpressibleByArgument {}
extension ValidationPolicy: ExpressibleByArgument {}

/// `booking-gateway demo export`: writes the demo clinic's JSON.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "The demo clinic.", subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the demo clinic as JSON.")
        @Option(help: "Output file.") var to = "fixtures/demo/clinic.json"

        func run() throws {
            try DemoClinic.make().encoded().write(to: URL(fileURLWithPath: to))
        }
    }
}
