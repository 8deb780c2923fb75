import Foundation
public import PlantConfig

/// Records a simulation into a sink (``RunSink``; the historian file of `SimulatorRecording`): every signal's
/// true value, every tag's true and served value, scenario events, and the run's metadata (plant description,
/// scenario, seed, version).
///
/// Times are simulated time after `epoch` (ms since 1970 UTC; by default 2026-01-01T00:00:00Z, so the same
/// seed and scenario give the same file whatever the wall clock).
public final class RunRecorder: Sendable {
    public static let defaultEpoch: Int64 = 1_767_225_600_000   // 2026-01-01T00:00:00Z
    public let sink: any RunSink
    public let epoch: Int64
    /// Simulated seconds between two recorded points.
    public let interval: Double
    private let signalNames: [String]
    private let tagNames: [String]
    private let last = LockedDouble(-.infinity)
    /// The devices serving each signal, to name the devices of communication faults that target a signal.
    private let devicesBySignal: [String: [String]]

    public init(sink: any RunSink, plant: Plant, file: String, scenario: Scenario, seed: UInt64, simulation: borrowing PlantSimulation,
                epoch: Int64 = RunRecorder.defaultEpoch, interval: Double = 1, version: String = "0.1.0") throws {
        self.sink = sink
        self.epoch = epoch
        self.interval = interval
        let config = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        try sink.begin(SimulationRunInfo(plant: plant.id, scenario: scenario.name, seed: seed, started: epoch + Int64(simulation.time * 1000),
                                         config: config, version: version, notes: "step \(simulation.stepSize) s"))
        var servers: [String: Set<String>] = [:]
        for device in plant.devices {
            for tag in device.tags { if let signal = tag.signal { servers[signal, default: []].insert(device.name) } }
        }
        devicesBySignal = servers.mapValues { $0.sorted() }
        signalNames = PlantSignal.names(columns: simulation.plant.design.columns)
        tagNames = simulation.tags.map(\.name)
        for name in signalNames { sink.declare(RecordedSeries(name: "signal:\(name)", kind: .truth)) }
        for tag in simulation.tags {
            sink.declare(RecordedSeries(name: tag.name, kind: .tag, unit: tag.unit, device: tag.device))
            sink.declare(RecordedSeries(name: "truth:\(tag.name)", kind: .truth, unit: tag.unit, device: tag.device))
        }
        for event in scenario.events {
            sink.record(ScenarioRecord(time: epoch + Int64(event.at * 1000), source: scenario.name, message: "planned: \(event.label)"))
        }
    }

    /// Records the simulation's state if `interval` has passed since the last record, and its events.
    public func record(_ simulation: borrowing PlantSimulation) throws {
        let time = epoch + Int64((simulation.time * 1000).rounded())
        for (event, started) in simulation.transitions {
            sink.record(ScenarioRecord(time: time, source: event.label, message: "\(started ? "begins" : "ends"): \(event.label)",
                                       fault: deviceFault(event)))
        }
        guard simulation.time - last.value >= interval - 1e-9 else { return }
        last.value = simulation.time
        var samples: [RecordedPoint] = []
        samples.reserveCapacity(signalNames.count + 2 * tagNames.count)
        for (index, name) in signalNames.enumerated() {
            samples.append(RecordedPoint(series: "signal:\(name)", time: time, value: simulation.plant.values[index]))
        }
        for (index, name) in tagNames.enumerated() {
            samples.append(RecordedPoint(series: name, time: time, value: simulation.served[index]))
            samples.append(RecordedPoint(series: "truth:\(name)", time: time, value: simulation.truth[index]))
        }
        try sink.append(samples)
    }

    /// The devices an event hits, for events that target devices (communication faults); nil for other events.
    ///
    /// Replay reads them to give the affected tags the qualities a live monitor would have seen (the recording
    /// holds values, and a communication fault happens between the registers and the monitor).
    func deviceFault(_ event: ScenarioEvent) -> ScenarioRecord.DeviceFault? {
        guard let target = event.deviceTarget else { return nil }
        switch target {
        case .device(let name): return ScenarioRecord.DeviceFault(kind: event.kind, devices: [name])
        case .servingSignal(let signal): return ScenarioRecord.DeviceFault(kind: event.kind, devices: devicesBySignal[signal] ?? [])
        }
    }

    /// Ends the run and writes everything.
    public func finish(at simulatedTime: Double? = nil) throws {
        try sink.finish(at: epoch + Int64(((simulatedTime ?? last.value) * 1000).rounded()))
    }
}

/// A Double behind a lock. Safe: every access holds the lock.
private final class LockedDouble: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Double
    init(_ value: Double) { stored = value }
    var value: Double {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
