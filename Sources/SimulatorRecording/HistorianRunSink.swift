public import Historian
public import PlantConfig
public import Simulator
import Synchronization

/// Keeps a simulation run in a historian (``HistoryStore``: the SQLite file, or a PostgreSQL database), in the
/// schema the monitor's historian uses, so the same tools (export, replay, the HTTP API) read both: the run's
/// metadata in `runs`, series declared as tags and truths, points as samples, scenario events in the journal with
/// the devices a communication fault hits as their detail.
public final class HistorianRunSink: RunSink {
    public let store: any HistoryStore
    /// Points held before the store writes them: a long run at a small step would otherwise grow the batch.
    public let flushAfter: Int
    private let runID = Mutex<Int64?>(nil)

    public init(store: any HistoryStore, flushAfter: Int = 50_000) {
        self.store = store
        self.flushAfter = flushAfter
    }

    /// A sink into a SQLite historian file (created if missing).
    public convenience init(path: String) throws {
        self.init(store: try SQLiteHistorian(path: path))
    }

    public func begin(_ run: SimulationRunInfo) throws {
        let id = try store.beginRun(RunInfo(kind: .simulation, plant: run.plant, scenario: run.scenario, seed: Int64(bitPattern: run.seed),
                                            started: run.started, config: run.config, version: run.version, notes: run.notes))
        runID.withLock { $0 = id }
    }

    public func declare(_ series: RecordedSeries) {
        store.declare(SeriesInfo(name: series.name, kind: series.kind == .tag ? .tag : .truth, unit: series.unit, device: series.device))
    }

    public func record(_ event: ScenarioRecord) {
        store.record(JournalEvent(time: event.time, kind: .scenario, source: event.source, message: event.message,
                                  detail: event.fault.flatMap(Self.commFault).map(JournalEvent.Detail.commFault) ?? .none))
    }

    public func append(_ points: [RecordedPoint]) throws {
        store.append(points.lazy.map { Sample(series: $0.series, time: $0.time, value: $0.value) })
        if store.pending > flushAfter { try store.flush() }
    }

    public func finish(at time: Int64) throws {
        try store.flush()
        guard let id = runID.withLock({ $0 }) else { return }
        try store.endRun(id, at: time)
    }

    /// A communication fault as the journal's detail, which replay reads; nil for other events.
    static func commFault(_ fault: ScenarioRecord.DeviceFault) -> JournalEvent.CommFault? {
        let devices = fault.devices
        switch fault.kind {
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
}

extension RunRecorder {
    /// Records into a SQLite historian file (created if missing).
    public convenience init(path: String, plant: Plant, file: String, scenario: Scenario, seed: UInt64,
                            simulation: borrowing PlantSimulation, epoch: Int64 = RunRecorder.defaultEpoch, interval: Double = 1,
                            version: String = "0.1.0") throws {
        try self.init(sink: HistorianRunSink(path: path), plant: plant, file: file, scenario: scenario, seed: seed,
                      simulation: simulation, epoch: epoch, interval: interval, version: version)
    }
}
