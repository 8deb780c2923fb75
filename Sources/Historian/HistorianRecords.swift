public import RegisterVocabulary

/// One value of a series at one time. Times are milliseconds since 1970-01-01 UTC.
public struct Sample: Sendable, Hashable {
    /// The series name: a tag name, a KPI name or a simulator signal (e.g. `truth:production.flow`).
    public var series: String
    public var time: Int64
    public var value: Double
    public var quality: Quality

    public init(series: String, time: Int64, value: Double, quality: Quality = .good) {
        self.series = series
        self.time = time
        self.value = value
        self.quality = quality
    }
}

/// What a series holds.
public enum SeriesKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A tag's value as the monitor (or the simulator's registers) had it.
    case tag
    /// A simulator's true value of a tag or signal.
    case truth
    /// A computed KPI.
    case kpi
}

/// A series' description.
public struct SeriesInfo: Sendable, Hashable, Codable {
    public var name: String
    public var kind: SeriesKind
    public var unit: String
    public var device: String

    public init(name: String, kind: SeriesKind = .tag, unit: String = "", device: String = "") {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.device = device
    }
}

/// A run: a monitor session, a simulation or a replay, with what it ran on.
public struct RunInfo: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case monitor, simulation, replay }
    public var id: Int64?
    public var kind: Kind
    public var plant: String
    public var scenario: String
    public var seed: Int64
    public var started: Int64
    public var ended: Int64?
    /// The plant description's text, so a recording can be replayed without the original file.
    public var config: String
    public var version: String
    public var notes: String

    public init(id: Int64? = nil, kind: Kind, plant: String, scenario: String = "", seed: Int64 = 0, started: Int64,
                ended: Int64? = nil, config: String = "", version: String = "", notes: String = "") {
        self.id = id
        self.kind = kind
        self.plant = plant
        self.scenario = scenario
        self.seed = seed
        self.started = started
        self.ended = ended
        self.config = config
        self.version = version
        self.notes = notes
    }
}

/// A point of a downsampled history: the bucket's time and its min, max, mean and worst quality.
public struct HistoryPoint: Sendable, Hashable, Codable {
    public var time: Int64
    public var min: Double
    public var max: Double
    public var mean: Double
    public var count: Int
    public var quality: Quality

    public init(time: Int64, min: Double, max: Double, mean: Double, count: Int, quality: Quality) {
        self.time = time
        self.min = min
        self.max = max
        self.mean = mean
        self.count = count
        self.quality = quality
    }
}

/// Samples of one series as columns, oldest first: what replay reads in bulk.
public struct SampleColumns: Sendable, Hashable {
    public var times: [Int64] = []
    public var values: [Double] = []
    public var qualities: [Quality] = []
    public init() {}
    public var count: Int { times.count }
}
