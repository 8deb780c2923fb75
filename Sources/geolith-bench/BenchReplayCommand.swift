import ArgumentParser
import CommandSupport
import Foundation
import Historian
import Monitor
import PlantConfig
import Simulator
import SimulatorRecording

/// `geolith-bench replay`: how fast a recorded week replays through the monitor's pipeline.
struct BenchReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay speed of a recorded week at 1 s, in × real time (target ≥ 10,000×), median of several runs.",
        discussion: """
            Records the demo plant (embedded PlantConfigs/demo.yaml, scenario normal-week, 1 s steps) for --days into
            --run (kept and reused when it exists), then replays it as fast as possible --runs times into a new
            historian each time: decoding, quality, alarms, soft sensors and truth KPIs, historian writes included.
            Beside it, the peer: reading the same tag and signal samples from the file with a plain SQLite loop and
            nothing else, the floor any replay of that file stands on.
            """)

    @Option(help: "The recording to replay (made if missing).")
    var run: String = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-bench-week.sqlite").path

    @Option(help: "Recorded days when the recording is made.")
    var days: Double = 7

    @Option(help: "Replays; the median is reported.")
    var runs: Int = 3

    @Flag(help: "Replay without writing a historian, to see what the writes cost.")
    var withoutHistorian = false

    func validate() throws {
        guard days > 0 && days <= 60 else { throw ValidationError("--days must be in (0, 60]") }
        guard (1...20).contains(runs) else { throw ValidationError("--runs must be 1...20") }
    }

    func run() async throws {
        let plant = try PlantLoader.load(yaml: EmbeddedDemoPlant.yaml, file: "demo.yaml (embedded)")
        if !FileManager.default.fileExists(atPath: run) {
            let scenario = try Scenario.load("normal-week")
            let simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: 1)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-bench-demo-\(UUID()).yaml").path
            try EmbeddedDemoPlant.yaml.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let recorder = try RunRecorder(path: run, plant: plant, file: file, scenario: scenario, seed: 1, simulation: simulation)
            print("recording \(days) days of the demo plant into \(run) …")
            let start = ContinuousClock.now
            _ = try await SimulationRunner(speed: .asFastAsPossible, clock: ContinuousClock())
                .run(simulation, for: days * 86_400, everyStep: { try recorder.record($0) }) { _ in }
            try recorder.finish()
            print(String(format: "recorded in %.1f s", (ContinuousClock.now - start).seconds))
        }
        let recorded = try RecordedRun.open(path: run)
        let span = Double(recorded.end - recorded.start) / 1000
        print(String(format: "bench replay: %@, %.2f days recorded, %d tags, %d runs", run, span / 86_400, plant.allTags.count, runs))

        // The peer: every tag and signal sample of the file, read in the same chunks, nothing done with them.
        let names = plant.allTags.map(\.name).filter(recorded.seriesNames.contains) + recorded.seriesNames.filter { $0.hasPrefix("signal:") }.sorted()
        var peer: [Double] = []
        var samples = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            samples = 0
            var chunk = recorded.start
            while chunk <= recorded.end {
                for name in names { samples += try recorded.columns(name, from: chunk, before: chunk + 600_000).count }
                chunk += 600_000
            }
            peer.append((ContinuousClock.now - start).seconds)
        }

        var times: [Double] = []
        var summary: ReplaySummary?
        for index in 0..<runs {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-bench-replay-\(UUID()).sqlite").path
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: output + suffix) } }
            let historian = withoutHistorian ? nil : try SQLiteHistorian(path: output)
            let state = MonitorState(plant: plant, historian: historian, softSensors: SoftSensors(plant: plant), publishesLiveUpdates: false)
            let result = try await Replay(run: recorded, state: state, softSensors: SoftSensors(plant: plant)).run()
            times.append(result.wallSeconds)
            summary = result
            print(String(format: "  run %d: %.2f s, %.0f× real time (reading the run %.2f s, waiting for historian writes and rollups %.2f s)",
                         index + 1, result.wallSeconds, span / result.wallSeconds, result.readSeconds, result.writeWaitSeconds))
        }
        let median = times.sorted()[times.count / 2], peerMedian = peer.sorted()[peer.count / 2]
        if let summary {
            print(String(format: "replay%@ median %.2f s = %.0f× real time (target ≥ 10,000×); %d tag values, %d scans, %d ticks; %.2f M values/s",
                         withoutHistorian ? " (no historian writes)" : "", median, span / median, summary.values, summary.scans, summary.ticks, Double(summary.values) / median / 1e6))
        }
        print(String(format: "peer, reading the %d samples only: median %.2f s = %.0f× real time; replay / peer time %.2f×",
                     samples, peerMedian, span / peerMedian, median / peerMedian))
    }
}
