import ArgumentParser
import ConvoyImageIO

/// The `convoy` command: measure vehicle convoys in satellite imagery.
@main
struct Convoy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convoy",
        abstract: "Measure vehicle convoys in satellite imagery.",
        discussion: """
            Exit codes: 0 success; 1 one or more inputs could not be read or processed \
            (each named on stderr); 64 invalid command-line usage.
            """,
        version: "convoy 0.1.0 (\(codecLibraryVersions))",
        subcommands: [Info.self, Distance.self]
    )
}
