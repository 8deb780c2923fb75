import ArgumentParser
import CommandSupport
import Foundation
import MonitorDaemon
import PlantConfig
import Simulator
import SimulatorRecording

/// The steps of `geolith simulate`'s `run()`: the scenario and duration it was given, the comparison with
/// `geolith estimate`, the Modbus servers, and the paced run with its progress line.
extension SimulateCommand {
    /// A shipped scenario or a scenario file (none: the empty scenario); an unknown name or a bad file is a
    /// command error that says which (``scenarioError(_:_:)``).
    static func loadScenario(_ name: String?) throws -> Scenario {
        do { return try name.map { try Scenario.load($0) } ?? .none } catch {
            throw scenarioError(name ?? "", error)
        }
    }

    /// `--duration` in simulated seconds (nil when not given), read as a scenario's `duration:` is.
    func durationSeconds() throws -> Double? {
        do {
            return try duration.map { try Scenario.parse("name: d\nduration: \($0)\nevents: []").duration! }
        } catch {
            throw ValidationError("--duration: \(error)")
        }
    }

    /// `--compare-estimate`: the plant's simulated means over `--duration` (default 2 days) against the steady
    /// state of `geolith estimate`, as a Markdown table.
    func printEstimateComparison(_ plant: Plant) throws {
        let days = try durationSeconds().map { $0 / 86_400 } ?? 2
        let design = try plantDesign(plant, settings: settings, columnResolved: dle == "column")
        let comparison = EstimateComparison(design, days: days, step: step)
        print(EstimateComparisonTable(plant: plant, comparison: comparison).markdown())
    }

    /// A description for monitoring only simulates with Geolith's default process figures: say so.
    func printDefaultFiguresNote(_ plant: Plant) {
        print("note: \(file) is for monitoring only (no \(plant.missingProcessSections.joined(separator: ", "))): "
            + "the simulated process uses Geolith's default figures")
    }

    /// Starts a Modbus server per device and says where each listens.
    func serve(_ servers: SimulatorServers) throws {
        for served in try servers.start() {
            print("serving \(served.device) on \(served.endpoint) unit \(served.unitID)")
        }
    }

    /// The line that says what runs: scenario, pace, seed and for how long.
    func printRunLine(_ scenario: Scenario, seconds: Double?) {
        print("scenario \(scenario.name): \(scenario.events.count) events; speed \(asFastAsPossible ? "as fast as possible" : "×\(speed)"); "
              + "seed \(seed); \(seconds.map { "for \(Self.format($0))" } ?? "until Ctrl-C")")
    }

    /// Runs the simulation at `--speed` for `seconds` (nil: until Ctrl-C or SIGTERM), recording each step,
    /// printing each scenario event as it begins and ends, publishing to the servers and showing a progress line
    /// (rewritten in place on a terminal, every 10 s otherwise).
    func simulateUntilStopped(_ simulation: PlantSimulation, for seconds: Double?, servers: SimulatorServers,
                              recorder: RunRecorder?) async throws {
        let speed: SimulationSpeed = asFastAsPossible ? .asFastAsPossible : .factor(self.speed)
        let interactive = isatty(STDOUT_FILENO) != 0
        do {
            _ = try await runUntilSignalled {
                nonisolated(unsafe) var lastProgress = ContinuousClock.now
                return try await SimulationRunner(speed: speed, clock: ContinuousClock()).run(simulation, for: seconds, everyStep: { simulation in
                    try recorder?.record(simulation)
                    for (event, started) in simulation.transitions {
                        print("\(interactive ? "\r" : "")\(Self.format(simulation.time)) \(started ? "begins" : "ends"): \(event.label)")
                    }
                }) { simulation in
                    servers.publish(simulation)
                    if ContinuousClock.now - lastProgress > .seconds(interactive ? 0.5 : 10) {
                        lastProgress = .now
                        Self.printProgress(simulation, interactive: interactive)
                    }
                }
            }
        } catch is CancellationError {
            print("\nstopped")
        }
    }

    /// Simulated time, production flow, DLE outlet lithium and product rate on one line.
    static func printProgress(_ simulation: PlantSimulation, interactive: Bool) {
        let line = "t = \(format(simulation.time))  flow \(String(format: "%.1f", simulation.plant[.productionFlow])) L/s  "
            + "Li out \(String(format: "%.1f", simulation.plant[.dleOutletLi])) mg/L  product \(String(format: "%.1f", simulation.plant[.productRate])) kg/h"
        if interactive { print("\r\(line)", terminator: "") } else { print(line) }
        fflush(nil)
    }
}
