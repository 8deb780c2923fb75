import ArgumentParser
import CommandSupport
import Foundation
import Modbus
import MonitorDaemon
import PlantConfig
import ProcessModel
import Simulator
import SimulatorRecording

/// `geolith simulate FILE`: the plant in simulated time, served over Modbus.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a plant and serve its registers over Modbus, with scenarios of faults and upsets.",
        discussion: """
            Serves one Modbus server per device of the plant description, on its configured endpoint.
            Shipped scenarios: \(Scenario.shippedNames.joined(separator: ", ")); or give a scenario file.
            Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
            """)

    @Argument(help: "Plant description file.")
    var file: String

    @Option(help: "Scenario: a shipped name or a YAML file.")
    var scenario: String?

    @Option(help: "Simulated seconds per wall second (1 = real time, 60 = a minute per second).")
    var speed: Double = 1

    @Flag(help: "Run as fast as possible (no pacing).")
    var asFastAsPossible = false

    @Option(help: "Seed of every random number: the same seed and scenario give the same run.")
    var seed: UInt64 = 1

    @Option(help: "Stop after this much simulated time (e.g. 3600, 90m, 2h, 7d); default: the scenario's duration, or forever.")
    var duration: String?

    @Option(help: "Serve every TCP device on this host instead of the configured one.")
    var bind: String?

    @Option(help: "Simulated step, seconds.")
    var step: Double = 1

    @Option(help: "Record the run (truth, served values, events) into this SQLite file.")
    var record: String?

    @Flag(help: "Do not serve Modbus (with --record: record a run without opening any port).")
    var noServe = false

    @Option(
        help: """
            DLE columns: reduced (the breakthrough front of the plant's column, placed at its DLE model's recovery; \
            fast) or column (each column stepped by the plant's dynamic column model).
            """)
    var dle: String = "reduced"

    @Option(
        name: .customLong("set"),
        help: "Override a process parameter: key=value[unit], as geolith estimate takes it. Repeatable.")
    var settings: [String] = []

    @Flag(
        help: """
            Do not serve: run the plant as fast as possible for --duration (default 2d, in whole DLE cycles after one \
            of start-up) and print its means against geolith estimate of the same file, as a Markdown table.
            """)
    var compareEstimate = false

    func validate() throws {
        if speed <= 0 || !speed.isFinite { throw ValidationError("--speed must be positive") }
        if step <= 0 || step > 60 { throw ValidationError("--step must be in (0, 60] seconds") }
        if noServe && record == nil { throw ValidationError("--no-serve without --record would do nothing") }
        for setting in settings where !setting.contains("=") {
            throw ValidationError("--set \(setting): expected key=value")
        }
    }

    /// A scenario that is neither shipped nor a readable file is a usage error with the nearest shipped names; a
    /// file with problems is invalid input; both say which.
    static func scenarioError(_ name: String, _ error: any Error) -> DeviceCommandError {
        let isFile = name.split(separator: "+").contains { FileManager.default.fileExists(atPath: String($0)) }
        if isFile { return DeviceCommandError(kind: .invalidFile, message: "\(error)") }
        let shipped = Scenario.shippedNames
        let words = name.split(separator: "+").map(String.init).filter { !shipped.contains($0) }
        let near = words.flatMap { NameSuggestions.nearest(to: $0, among: shipped) }
        return DeviceCommandError(kind: .unknownName, message: "no scenario \(words.map { "\"\($0)\"" }.joined(separator: ", "))"
            + (near.isEmpty ? "" : "; did you mean \(near.map { "\"\($0)\"" }.joined(separator: ", "))?")
            + " (shipped: \(shipped.joined(separator: ", ")); or give a scenario file)")
    }

    func run() async throws {
        let plant = try loadPlant(file)
        if compareEstimate { return try printEstimateComparison(plant) }
        let scenario = try Self.loadScenario(self.scenario)
        let seconds = try durationSeconds() ?? scenario.duration
        if plant.isMonitoringOnly { printDefaultFiguresNote(plant) }
        let design = try plantDesign(plant, settings: settings, columnResolved: dle == "column")
        print("DLE breakthrough: \(design.breakthrough.note)")
        let simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: seed, stepSize: step, design: design)
        let servers = SimulatorServers(plant: plant, host: bind)
        servers.publish(simulation)   // the initial state is in the stores before the first client connects
        if !noServe { try serve(servers) }
        let recorder = try record.map { try RunRecorder(path: $0, plant: plant, file: file, scenario: scenario, seed: seed, simulation: simulation) }
        printRunLine(scenario, seconds: seconds)
        try await simulateUntilStopped(simulation, for: seconds, servers: servers, recorder: recorder)
        try recorder?.finish()
        servers.stop()
        if let record { print("recorded into \(record)") }
    }

    /// The simulated plant of a description with `--set` overrides; bad overrides and unsolvable plants become
    /// validation errors.
    func plantDesign(_ plant: Plant, settings: [String], columnResolved: Bool) throws -> SimulatedPlantDesign {
        do {
            return try SimulatedPlantDesign(
                plant: plant, overrides: EstimateCommand.overrides(settings), columnResolved: columnResolved)
        } catch let error as ProcessParameterError {
            throw ValidationError("--set: \(error.message)")
        } catch let error as FlowsheetError {
            throw ValidationError("\(plant.id): \(error.message)")
        }
    }

    static func format(_ seconds: Double) -> String {
        let s = Int(seconds)
        return s >= 86_400 ? String(format: "%dd %02d:%02d:%02d", s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60)
            : String(format: "%02d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
    }
}
