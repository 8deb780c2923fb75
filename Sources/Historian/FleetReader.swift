/// Every plant of a database that several monitors write to: what `geolith fleet` serves.
public protocol FleetReader: Sendable {
    /// Every plant, by id.
    func plants() async throws -> [PlantOverview]
    /// A plant's history for reading (nil when the database has no such plant).
    func store(forPlant id: String) async throws -> (any HistoryStore)?
    /// Whether the database answers.
    func isReachable() async -> Bool
}

/// One plant of a fleet as the database has it.
public struct PlantOverview: Sendable, Hashable {
    /// The plant description's `id`.
    public var id: String
    /// The newest sample time committed, ms UTC (nil before the first sample).
    public var lastSampleTime: Int64?
    /// When the plant's monitor last wrote to the database, ms UTC.
    public var lastWrite: Int64?
    /// Series stored.
    public var series: Int
    /// The plant's live state as its monitor last published it.
    public var snapshot: PlantSnapshot?

    public init(id: String, lastSampleTime: Int64?, lastWrite: Int64?, series: Int, snapshot: PlantSnapshot?) {
        self.id = id
        self.lastSampleTime = lastSampleTime
        self.lastWrite = lastWrite
        self.series = series
        self.snapshot = snapshot
    }

    /// How far the database's history lags behind `now`, ms: time since the newest sample committed.
    public func lag(at now: Int64) -> Int64? {
        lastSampleTime.map { max(0, now - $0) }
    }
}
