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
        let scenario: Scenario
        do { scenario = try Scenario.load(self.scenario) } catch { throw SimulateCommand.scenarioError(self.scenario, error) }
        let simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: 1)
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        for served in try servers.start() { print("simulator: \(served.device) on \(served.endpoint)") }
        defer { servers.stop() }
        servers.publish(simulation)   // serve the initial state before anyone reads
        let directory = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("geolith-demo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            // A temporary history goes when the demo stops, by Ctrl-C or SIGTERM as well as by --seconds.
            if folder == nil {
                try? FileManager.default.removeItem(atPath: directory)
                print("temporary history removed (give --folder DIR to keep it)")
            }
        }
        let historian = try SQLiteHistorian(path: directory + "/demo.sqlite")
        let state = MonitorState(plant: servers.servedPlant(plant), historian: historian, softSensors: SoftSensors(plant: plant))
        var services = monitorServices(state: state, logger: logger) + [HeapTrimmer()]
        let token = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24)).lowercased()
        let host = http.listenHost
        services.append(buildApplication(state: state, configuration: HTTPConfiguration(host: host, port: http.port, tokens: [token: "demo-operator"])) { bound in
            print("dashboard: http://\(HostPort(host: host, port: bound))/   (operator token for acknowledge/shelve: \(token))")
            fflush(nil)
        })
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        print("demo plant '\(plant.name)': \(plant.devices.count) devices, \(plant.allTags.count) tags; scenario \(scenario.name) at ×\(speed); history in \(directory)")
        fflush(nil)
        let monitor = Task { try await group.run() }
        do {
            _ = try await runUntilSignalled {
                try await SimulationRunner(speed: .factor(speed), clock: ContinuousClock())
                    .run(simulation, for: seconds.map { $0 * speed }, everyStep: { simulation in
                        for (event, started) in simulation.transitions {
                            print("\(SimulateCommand.format(simulation.time)) \(started ? "begins" : "ends"): \(event.label)")
                        }
                    }) { simulation in servers.publish(simulation) }
            }
        } catch is CancellationError {
            print("stopping")
        }
        await group.triggerGracefulShutdown()
        _ = try? await monitor.value
        try historian.flush()
        try historian.checkpoint()
    }
}
