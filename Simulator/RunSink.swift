/// Where a simulation run is kept. ``RunRecorder`` decides what is recorded and when (every signal's true value,
/// every tag's true and served value, the scenario's events, the run's metadata); a sink stores it. The SQLite
/// historian is one sink (`SQLiteRunSink` in the `SimulatorRecording` target), so the simulator itself links no
/// database.
///
/// Times are milliseconds since 1970 UTC. A sink is called from one task at a time, in this order: `begin`, then
/// `declare` for every series, then `record` and `append` as the run goes, then `finish`.
public protocol RunSink: AnyObject, Sendable {
    /// Starts the run.
    func begin(_ run: SimulationRunInfo) throws
    /// Announces a series before its first point.
    func declare(_ series: RecordedSeries)
    /// A scenario event: planned (at the start of the run), beginning or ending.
    func record(_ event: ScenarioRecord)
    /// Points of several series, in time order per series.
    func append(_ points: [RecordedPoint]) throws
    /// Ends the run at `time` and writes everything still held.
    func finish(at time: Int64) throws
}

/// The metadata of a recorded simulation: enough to run it again.
public struct SimulationRunInfo: Sendable, Hashable {
    public var plant: String
    public var scenario: String
    public var seed: UInt64
    public var started: Int64
    /// The plant description's text.
    public var config: String
    public var version: String
    public var notes: String

    public init(plant: String, scenario: String, seed: UInt64, started: Int64, config: String, version: String, notes: String) {
        self.plant = plant
        self.scenario = scenario
        self.seed = seed
        self.started = started
        self.config = config
        self.version = version
        self.notes = notes
    }
}

/// A recorded series: a tag's served value, or a true value (a plant signal's, or a tag's before its sensor).
public struct RecordedSeries: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case tag, truth }

    public var name: String
    public var kind: Kind
    public var unit: String
    public var device: String

    public init(name: String, kind: Kind, unit: String = "", device: String = "") {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.device = device
    }
}

/// One value of one series at one simulated time.
public struct RecordedPoint: Sendable, Hashable {
    public var series: String
    public var time: Int64
    public var value: Double

    public init(series: String, time: Int64, value: Double) {
        self.series = series
        self.time = time
        self.value = value
    }
}

/// A scenario event as recorded: when, which event, what happened, and for an event that targets devices (a
/// communication fault) the devices it hits, so that replay gives their tags the qualities a live monitor saw.
public struct ScenarioRecord: Sendable, Hashable {
    /// An event that targets devices, and the devices it hits.
    public struct DeviceFault: Sendable, Hashable {
        public var kind: ScenarioEvent.Kind
        public var devices: [String]

        public init(kind: ScenarioEvent.Kind, devices: [String]) {
            self.kind = kind
            self.devices = devices
        }
    }

    public var time: Int64
    public var source: String
    public var message: String
    public var fault: DeviceFault?

    public init(time: Int64, source: String, message: String, fault: DeviceFault? = nil) {
        self.time = time
        self.source = source
        self.message = message
        self.fault = fault
    }
}
