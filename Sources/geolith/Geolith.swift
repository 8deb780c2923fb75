import ArgumentParser
import CommandSupport
import Foundation

@main
struct Geolith: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geolith",
        abstract: "Monitoring, process model and simulator for geothermal lithium plants.",
        discussion: "Exit codes (the same in every command):\n"
            + ExitStatus.allCases.map { "  \(String($0.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0))\($0.meaning)" }
                .joined(separator: "\n")
            + "\n\nThe benchmarks are a program of their own beside this one: geolith-bench --help.",
        version: "0.1.0",
        subcommands: [CheckConfigCommand.self, PlanCommand.self, ReadCommand.self, SimulateCommand.self, MonitorCommand.self,
                      DemoCommand.self, EstimateCommand.self, ColumnCommand.self, SweepCommand.self, CompareCommand.self,
                      CalibrateCommand.self, ReplayCommand.self, ExportCommand.self, HistorianCommand.self, FleetCommand.self]
    )

    /// Parses, runs, and turns every failure into its message on standard error and its exit status.
    static func main() async {
        await CommandMain.run(Geolith.self, groups: [.init(path: [], subcommands: configuration.subcommands)])
    }
}
