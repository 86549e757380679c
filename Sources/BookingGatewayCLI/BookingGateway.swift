import ArgumentParser

@main
struct BookingGateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "booking-gateway",
        abstract: "FHIR R4 healthcare booking gateway.",
        subcommands: [
            ServeCommand.self, ConvertCommand.self, ProfilesCommand.self, DemoCommand.self, BenchCommand.self,
            RaceCommand.self, FHIRPathCommand.self, ValidateCommand.self,
        ]
    )
}

/// Where to find the compact structure data (profiles/r4).
struct ProfilesOption: ParsableArguments {
    @Option(name: .customLong("structures"), help: "Folder of compact structure files (default: profiles/r4).")
    var structures: String?
}
