import Foundation

/// The historian as the monitor, replay, export and the HTTP API use it, whatever holds the history: one SQLite
/// file (``SQLiteHistorian``, the embedded default) or a PostgreSQL server shared by a fleet of plants
/// (`PostgresHistorian` in the `HistorianPostgres` module).
///
/// Writing is buffered: ``declare(_:)``, ``append(_:)-(Sample)`` and ``record(_:)`` only fill a buffer, and
/// ``flush()`` stores it, every ``batchInterval``. What ``flush()`` returns from is *acknowledged*: committed to
/// the database, or (a server's backend, while it is down or slow) to a local spool that is written to the server
/// in order later. ``status`` says which. Times are milliseconds since 1970-01-01 UTC throughout.
///
/// Reads see what was flushed. A store holds one plant's history; ``FleetReader`` reads every plant of a shared
/// database.
public protocol HistoryStore: AnyObject, Sendable {
    /// How often the monitor flushes.
    var batchInterval: Duration { get }

    // MARK: Writing

    /// Declares a series (unit, device, kind); series seen only in samples are declared as tags.
    func declare(_ info: SeriesInfo)
    /// Buffers samples until the next flush.
    func append(_ samples: some Sequence<Sample>)
    /// Buffers a journal event until the next flush.
    func record(_ event: JournalEvent)
    /// Samples and events waiting for the next flush.
    var pending: Int { get }
    /// Stores everything buffered: committed, or spooled when the server cannot take it now.
    /// - Returns: the number of samples stored.
    @discardableResult func flush() throws -> Int
    /// Starts a run (a monitor session, a replay); returns its id.
    func beginRun(_ run: RunInfo) throws -> Int64
    func endRun(_ id: Int64, at time: Int64) throws
    /// Computes the 1-minute and 1-hour rollups of the buckets that overlap [from, to) and advances the mark up
    /// to which the minute rollups are complete (see ``SQLiteHistorian/updateRollups(from:to:inFlight:)``).
    func updateRollups(from: Int64, to: Int64, inFlight: Int64) throws
    /// Removes samples, rollups and events older than `time` (retention). A backend that partitions by day drops
    /// whole days, once all of a day is older than `time`.
    /// - Returns: the rows removed, as far as the backend counts them.
    @discardableResult func deleteOlder(than time: Int64) throws -> Int
    /// Periodic upkeep, about once a minute (the monitor's flusher calls it): PostgreSQL creates the partitions of
    /// the coming days ahead of time.
    func maintain(at time: Int64) throws
    /// The plant's live state for a fleet overview, written with the next flush (only the latest is kept).
    func publish(_ snapshot: PlantSnapshot)
    /// Whether everything acknowledged is in the database, and what waits in a spool.
    var status: HistorianStatus { get }
    /// Flushes what is buffered and releases the database; the store is not used afterwards.
    func close() throws

    // MARK: Reading

    /// Every series stored.
    func series() throws -> [SeriesInfo]
    /// The raw samples of a series in [from, to], oldest first, at most `limit`.
    func samples(_ series: String, from: Int64, to: Int64, limit: Int) throws -> [Sample]
    /// The history of a series in [from, to] downsampled to at most `maxPoints` buckets of equal width, each
    /// with min, max and mean (so spikes survive downsampling) and its worst quality. Bad values count in the
    /// quality but not in min/max/mean. Buckets of a minute or more read the whole minutes from the minute
    /// rollups and only the ends from the samples.
    func history(_ series: String, from: Int64, to: Int64, maxPoints: Int) throws -> [HistoryPoint]
    /// ``history(_:from:to:maxPoints:)`` without blocking the caller's thread (the HTTP API's).
    func history(of series: String, from: Int64, to: Int64, maxPoints: Int) async throws -> [HistoryPoint]
    /// The latest sample of every series (of a kind).
    func latest(kind: SeriesKind?) throws -> [Sample]
    /// Journal events in [from, to], newest first.
    func events(from: Int64, to: Int64, kind: JournalEvent.Kind?, limit: Int) throws -> [JournalEvent]
    /// Runs stored, oldest first.
    func runs() throws -> [RunInfo]
    /// Rollups of a series: `width` 60,000 (1 min) or 3,600,000 (1 h) ms.
    func rollups(_ series: String, width: Int64, from: Int64, to: Int64) throws -> [HistoryPoint]
    /// The first and last sample times of a series, or nil when it has none.
    func timeRange(_ series: String) throws -> ClosedRange<Int64>?
    /// The samples of a series in [from, before), oldest first, plus at most `following` samples at or after
    /// `before` (replay interpolates across chunk ends with them).
    func columns(_ series: String, from: Int64, before: Int64, following: Int) throws -> SampleColumns
}

extension HistoryStore {
    public func append(_ sample: Sample) { append(CollectionOfOne(sample)) }

    public func samples(_ series: String, from: Int64, to: Int64) throws -> [Sample] {
        try samples(series, from: from, to: to, limit: 1_000_000)
    }

    public func latest() throws -> [Sample] { try latest(kind: nil) }

    public func events(from: Int64, to: Int64, kind: JournalEvent.Kind? = nil) throws -> [JournalEvent] {
        try events(from: from, to: to, kind: kind, limit: 1000)
    }

    public func updateRollups(from: Int64, to: Int64) throws {
        try updateRollups(from: from, to: to, inFlight: 5_000)
    }

    public func columns(_ series: String, from: Int64, before: Int64) throws -> SampleColumns {
        try columns(series, from: from, before: before, following: 0)
    }

    /// CSV of a series in [from, to]: ISO 8601 UTC time, value, quality; the header names the unit.
    public func csv(_ series: String, from: Int64, to: Int64) throws -> String {
        let info = try self.series().first { $0.name == series }
        var lines = ["time,\(series)\(info.map { $0.unit.isEmpty ? "" : " [\($0.unit)]" } ?? ""),quality"]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for sample in try samples(series, from: from, to: to) {
            let time = formatter.string(from: Date(timeIntervalSince1970: Double(sample.time) / 1000))
            lines.append("\(time),\(sample.value.isNaN ? "" : String(sample.value)),\(sample.quality)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Samples of several series in [from, to] as long-form CSV, `time,series,value,quality`: time in ms
    /// since 1970 UTC, an empty value for NaN, the quality as text. `geolith replay` reads it back.
    public func longCSV(series names: [String], from: Int64, to: Int64) throws -> String {
        var out = "time,series,value,quality\n"
        for name in names {
            let columns = try columns(name, from: from, before: to == .max ? .max : to + 1, following: 0)
            for i in 0..<columns.count {
                let value = columns.values[i]
                out += "\(columns.times[i]),\(name),\(value.isNaN ? "" : String(value)),\(columns.qualities[i])\n"
            }
        }
        return out
    }
}
