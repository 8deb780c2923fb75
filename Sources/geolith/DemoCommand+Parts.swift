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

/// The parts `geolith demo` assembles in one process: the simulator on loopback, the history folder, the monitor
/// with its dashboard, and the paced run.
extension DemoCommand {
    /// The simulator's Modbus servers on free loopback ports, serving the initial state before anyone reads.
    func startSimulator(_ plant: Plant, serving simulation: PlantSimulation) throws -> SimulatorServers {
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        for served in try servers.start() { print("simulator: \(served.device) on \(served.endpoint)") }
        servers.publish(simulation)
        return servers
    }

    /// `--folder`, or a new temporary folder (removed when the demo stops: ``removeTemporaryHistory(_:)``).
    func historyFolder() throws -> String {
        let directory = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("geolith-demo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A temporary history goes when the demo stops, by Ctrl-C or SIGTERM as well as by --seconds.
    func removeTemporaryHistory(_ directory: String) {
        guard folder == nil else { return }
        try? FileManager.default.removeItem(atPath: directory)
        print("temporary history removed (give --folder DIR to keep it)")
    }

    /// The monitor polling the simulator into `historian`, the heap trimmer, and the dashboard on `--http` with a
    /// fresh operator token that it prints once the port is bound.
    func monitorGroup(_ plant: Plant, servers: SimulatorServers, historian: SQLiteHistorian, logger: Logger) -> ServiceGroup {
        let state = MonitorState(plant: servers.servedPlant(plant), historian: historian, softSensors: SoftSensors(plant: plant))
        var services = monitorServices(state: state, logger: logger) + [HeapTrimmer()]
        let token = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24)).lowercased()
        let host = http.listenHost
        services.append(buildApplication(state: state, configuration: HTTPConfiguration(host: host, port: http.port, tokens: [token: "demo-operator"])) { bound in
            print("dashboard: http://\(HostPort(host: host, port: bound))/   (operator token for acknowledge/shelve: \(token))")
            fflush(nil)
        })
        return ServiceGroup(configuration: .init(services: services, logger: logger))
    }

    /// Runs the simulation at `--speed` for `--seconds` of wall time (or until Ctrl-C or SIGTERM), printing each
    /// scenario event as it begins and ends.
    func simulateUntilStopped(_ simulation: PlantSimulation, servers: SimulatorServers) async throws {
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
    }

    /// Stops the monitor gracefully and leaves the history flushed and checkpointed.
    func stop(_ group: ServiceGroup, _ monitor: Task<Void, any Error>, historian: SQLiteHistorian) async throws {
        await group.triggerGracefulShutdown()
        _ = try? await monitor.value
        try historian.flush()
        try historian.checkpoint()
    }
}
