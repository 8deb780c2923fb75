import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel
import RegisterVocabulary
import Simulator

/// `geolith-bench simulate`: simulated time per wall second of the reduced plant model at 1 s steps.
struct BenchSimulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulated time per wall second at 1 s steps (target: a year in under 60 s on one core).")

    @Option(help: "Simulated days per run.")
    var days: Double = 30

    @Option(help: "Runs; the median is reported.")
    var runs: Int = 5

    @Option(help: "Tags measured by sensor models in each step.")
    var tags: Int = 48

    @Option(help: "The C peer (Benchmarks/modbus-c/build/modbus-c-bench) to measure requests served against a plain libmodbus server loop.")
    var cPeer: String?

    func run() async throws {
        let signals = PlantSignal.names(columns: 4)
        let tagList = (0..<tags).map { index in
            SimulatedTag(name: "T\(index)", device: "d\(index % 3)", table: .holding, address: index * 2,
                         dataType: .float32, unit: "1", range: -1e6...1e6, signal: nil)
                .with(signal: signals[index % signals.count])
        }
        var times: [Double] = []
        for run in 0..<runs {
            var simulation = try PlantSimulation(tags: tagList, seed: UInt64(run + 1))
            let wall = SimulatorBenchmark.timeSteps(&simulation, seconds: days * 86_400)
            times.append(wall)
        }
        times.sort()
        let median = times[times.count / 2]
        let rate = days * 86_400 / median
        print("plant: reduced DLE model, 4 columns, \(tags) tags with sensor models, 1 s steps")
        print(String(format: "simulated %.0f days per run, %d runs: median %.3f s wall", days, runs, median))
        print(String(format: "simulated seconds per wall second: %.0f (×%.0f real time)", rate, rate))
        print(String(format: "a simulated year takes %.1f s (target < 60 s)", 365 * 86_400 / rate))
        if let cPeer { try await measureServing(cPeer: cPeer) }
    }

    /// Requests served per second: the simulator's server of the demo plant (updated by a running
    /// simulation at ×600) against the plain libmodbus C server loop, both read by the C client.
    private func measureServing(cPeer: String) async throws {
        let plant = try PlantLoader.load(yaml: EmbeddedDemoPlant.yaml, file: "demo.yaml")
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        let served = try servers.start()
        defer { servers.stop() }
        guard case .tcp(_, let port) = served[0].endpoint else { return }
        let simulation = try PlantSimulation(plant: plant)
        let running = Task {
            try await SimulationRunner(speed: .factor(600), clock: ContinuousClock()).run(simulation, for: nil) { servers.publish($0) }
        }
        defer { running.cancel() }
        let bench = BenchModbus(requests: 20_000, runs: 3, cPeer: cPeer)
        let (cServer, cPort) = try bench.startCServer(cPeer)
        defer { kill(cServer.processIdentifier, SIGKILL) }
        var ours: [Double] = [], plain: [Double] = []
        for _ in 0..<3 {
            ours.append(try bench.cClient(cPeer, port: port, size: 10).rps)
            plain.append(try bench.cClient(cPeer, port: cPort, size: 10).rps)
        }
        let o = ours.sorted()[1], p = plain.sorted()[1]
        print(String(format: "Modbus requests served (C client, 10 registers, median of 3): simulator %.0f req/s while simulating at ×600, "
                     + "plain libmodbus C server %.0f req/s: %.2f× (target ≥ 0.8×)", o, p, o / p))
    }
}

extension SimulatedTag {
    /// The same tag bound to `signal`, in the signal's catalogue unit.
    func with(signal: String) -> SimulatedTag {
        var tag = self
        tag.signal = signal
        tag.unit = SignalCatalogue.definition(for: signal)?.displayUnit ?? "1"
        return tag
    }
}
