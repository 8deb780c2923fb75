import ArgumentParser
import Foundation
import Modbus
import PlantConfig
import Simulator

/// `geolith demo`: the demo plant on embedded defaults, in one process.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo plant (embedded PlantConfigs/demo.yaml): simulator and monitor in one process.")

    @Option(help: "Simulated seconds per wall second.")
    var speed: Double = 10

    @Option(help: "Scenario (shipped name or file).")
    var scenario: String = "sensor-faults"

    @Option(help: "Stop after this many wall seconds (default: until Ctrl-C).")
    var seconds: Double?

    func run() async throws {
        let plant = try PlantLoader.load(yaml: EmbeddedDemoPlant.yaml, file: "demo.yaml (embedded)")
        let scenario = try Scenario.load(self.scenario)
        let simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: 1)
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        for served in try servers.start() { print("simulator: \(served.device) on \(served.endpoint)") }
        defer { servers.stop() }
        print("demo plant '\(plant.name)': \(plant.devices.count) devices, \(plant.allTags.count) tags; scenario \(scenario.name) at ×\(speed)")
        print("read it:  geolith read PlantConfigs/demo.yaml --device demo-wellhead --endpoint <endpoint above>")
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
            print("stopped")
        }
    }
}
