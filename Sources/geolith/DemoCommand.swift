import ArgumentParser
import CommandSupport
import Foundation
import Historian
import Logging
import Monitor
import MonitorDaemon
import MonitorServer
import PlantConfig
import ServiceLifecycle
import Simulator

/// `geolith demo`: the demo plant on embedded defaults, in one process: the simulator serving its devices on
/// loopback, the monitor polling them into a historian in a temporary folder, and the dashboard.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo plant (embedded PlantConfigs/demo.yaml): simulator, monitor and dashboard in one process.")

    @Option(help: "Simulated seconds per wall second.")
    var speed: Double = 10

    @Option(help: "Scenario (shipped name or file).")
    var scenario: String = "sensor-faults"

    @Option(help: "Stop after this many wall seconds (default: until Ctrl-C).")
    var seconds: Double?

    @Option(help: "Dashboard address (host:port, [v6]:port, or :port for every interface; port 0 picks a free one).", transform: HostPort.init(parsing:))
    var http = HostPort(host: "127.0.0.1", port: 8080)

    @Option(help: "Folder for the historian (default: a temporary folder).")
    var folder: String?

    func run() async throws {
        HeapTrimmer.configureAllocator()
        LogfmtHandler.bootstrap(format: .logfmt, level: .notice)
        let logger = Logger(label: "geolith.demo")
        let plant = try PlantLoader.load(yaml: EmbeddedDemoPlant.yaml, file: "demo.yaml (embedded)")
        let scenario = try SimulateCommand.loadScenario(self.scenario)
        let simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: 1)
        let servers = try startSimulator(plant, serving: simulation)
        defer { servers.stop() }
        let directory = try historyFolder()
        defer { removeTemporaryHistory(directory) }
        let historian = try SQLiteHistorian(path: directory + "/demo.sqlite")
        let group = monitorGroup(plant, servers: servers, historian: historian, logger: logger)
        print("demo plant '\(plant.name)': \(plant.devices.count) devices, \(plant.allTags.count) tags; scenario \(scenario.name) at ×\(speed); history in \(directory)")
        fflush(nil)
        let monitor = Task { try await group.run() }
        try await simulateUntilStopped(simulation, servers: servers)
        try await stop(group, monitor, historian: historian)
    }
}
