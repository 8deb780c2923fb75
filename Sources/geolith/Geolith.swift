import ArgumentParser

@main
struct Geolith: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geolith",
        abstract: "Monitoring, process model and simulator for geothermal lithium plants.",
        version: "0.1.0",
        subcommands: [ColumnCommand.self]
    )
}
