import Foundation
public import Historian
public import PlantConfig

/// Records a simulation into a historian file: every signal's true value, every tag's true and served
/// value, scenario events, and the run's metadata (plant description, scenario, seed, version), in the same
/// schema the monitor's historian uses, so the same tools read both.
///
/// Times are simulated time after `epoch` (ms since 1970 UTC; by default 2026-01-01T00:00:00Z, so the same
/// seed and scenario give the same file whatever the wall clock).
public final class RunRecorder: Sendable {
    public static let defaultEpoch: Int64 = 1_767_225_600_000   // 2026-01-01T00:00:00Z
    public let historian: SQLiteHistorian
    public let runID: Int64
    public let epoch: Int64
    /// Simulated seconds between two recorded points.
    public let interval: Double
    private let signalNames: [String]
    private let tagNames: [String]
    private let last = LockedDouble(-.infinity)
    /// The devices serving each signal, to name the devices of communication faults that target a signal.
    private let devicesBySignal: [String: [String]]

    public init(path: String, plant: Plant, file: String, scenario: Scenario, seed: UInt64, simulation: borrowing PlantSimulation,
                epoch: Int64 = RunRecorder.defaultEpoch, interval: Double = 1, version: String = "0.1.0") throws {
        historian = try SQLiteHistorian(path: path)
        self.epoch = epoch
        self.interval = interval
        let config = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        runID = try historian.beginRun(RunInfo(kind: .simulation, plant: plant.id, scenario: scenario.name, seed: Int64(bitPattern: seed),
                                               started: epoch + Int64(simulation.time * 1000), config: config, version: version,
                                               notes: "step \(simulation.stepSize) s"))
        var servers: [String: Set<String>] = [:]
        for device in plant.devices {
            for tag in device.tags { if let signal = tag.signal { servers[signal, default: []].insert(device.name) } }
        }
        devicesBySignal = servers.mapValues { $0.sorted() }
        signalNames = PlantSignal.names(columns: simulation.plant.design.columns)
        tagNames = simulation.tags.map(\.name)
        for name in signalNames { historian.declare(SeriesInfo(name: "signal:\(name)", kind: .truth)) }
        for tag in simulation.tags {
            historian.declare(SeriesInfo(name: tag.name, kind: .tag, unit: tag.unit, device: tag.device))
            historian.declare(SeriesInfo(name: "truth:\(tag.name)", kind: .truth, unit: tag.unit, device: tag.device))
        }
        for event in scenario.events {
            historian.record(JournalEvent(time: epoch + Int64(event.at * 1000), kind: .scenario, source: scenario.name,
                                          message: "planned: \(event.label)"))
        }
    }

    /// Records the simulation's state if `interval` has passed since the last record, and its events.
    public func record(_ simulation: borrowing PlantSimulation) throws {
        let time = epoch + Int64((simulation.time * 1000).rounded())
        for (event, started) in simulation.transitions {
            historian.record(JournalEvent(time: time, kind: .scenario, source: event.label, message: "\(started ? "begins" : "ends"): \(event.label)",
                                          detail: commFault(event).map(JournalEvent.Detail.commFault) ?? .none))
        }
        guard simulation.time - last.value >= interval - 1e-9 else { return }
        last.value = simulation.time
        var samples: [Sample] = []
        samples.reserveCapacity(signalNames.count + 2 * tagNames.count)
        for (index, name) in signalNames.enumerated() {
            samples.append(Sample(series: "signal:\(name)", time: time, value: simulation.plant.values[index]))
        }
        for (index, name) in tagNames.enumerated() {
            samples.append(Sample(series: name, time: time, value: simulation.served[index]))
            samples.append(Sample(series: "truth:\(name)", time: time, value: simulation.truth[index]))
        }
        historian.append(samples)
        if historian.pending > 50_000 { try historian.flush() }
    }

    /// A communication fault as JSON for replay: `{"fault": kind, "devices": [...], ...}`; nil for other events.
    ///
    /// Replay reads it to give the affected tags the qualities a live monitor would have seen (the recording
    /// holds values, and a communication fault happens between the registers and the monitor).
    func commFault(_ event: ScenarioEvent) -> JournalEvent.CommFault? {
        guard let target = event.deviceTarget else { return nil }
        let devices: [String]
        switch target {
        case .device(let name): devices = [name]
        case .servingSignal(let signal): devices = devicesBySignal[signal] ?? []
        }
        switch event.kind {
        case .noResponse: return JournalEvent.CommFault(fault: .noResponse, devices: devices)
        case .lateResponse(_, let delay): return JournalEvent.CommFault(fault: .lateResponse, devices: devices, delay: delay)
        case .exception(_, let table, let range, let code):
            return JournalEvent.CommFault(fault: .exception, devices: devices, table: table, from: range.lowerBound,
                                          to: range.upperBound, code: code)
        case .dropConnections: return JournalEvent.CommFault(fault: .dropConnections, devices: devices)
        case .restart: return JournalEvent.CommFault(fault: .restart, devices: devices)
        default: return nil
        }
    }

    /// Ends the run and writes everything.
    public func finish(at simulatedTime: Double? = nil) throws {
        try historian.flush()
        try historian.endRun(runID, at: epoch + Int64(((simulatedTime ?? last.value) * 1000).rounded()))
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
