import ArgumentParser

struct CodecBench: ParsableCommand { static let configuration = CommandConfiguration(commandName: "codecs") }
