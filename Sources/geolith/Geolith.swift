import ArgumentParser

@main
struct Geolith: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geolith",
        abstract: "Monitoring, process model and simulator for geothermal lithium plants.",
        version: "0.1.0",
        subcommands: [CheckConfigCommand.self, PlanCommand.self, ReadCommand.self, SimulateCommand.self, MonitorCommand.self,
                      DemoCommand.self, EstimateCommand.self, ColumnCommand.self, SweepCommand.self, CompareCommand.self,
                      ReplayCommand.self, ExportCommand.self, FleetCommand.self, Bench.self]
    )
}
