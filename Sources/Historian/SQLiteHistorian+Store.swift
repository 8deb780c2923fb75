import GRDB
import Synchronization

/// What ``HistoryStore`` asks beyond reading and writing, for one SQLite file: every flush is committed to the file,
/// so the historian is never behind; there is no spool and nothing to prepare ahead.
extension SQLiteHistorian {
    public var status: HistorianStatus {
        let (samples, newest) = stored.withLock { ($0.samples, $0.newest) }
        return HistorianStatus(backend: "sqlite", location: database.path, acknowledgedSamples: samples, committedSamples: samples,
                               lastCommittedTime: newest)
    }

    /// Nothing to do: SQLite needs no partitions or other upkeep ahead of time.
    public func maintain(at time: Int64) throws {}

    /// A single plant's file has no fleet overview: the snapshot is not kept.
    public func publish(_ snapshot: PlantSnapshot) {}

    /// Flushes what is buffered and checkpoints the WAL into the file (``checkpoint()``), so that the `.sqlite`
    /// file alone holds everything. The file stays open until the last reference goes.
    public func close() throws {
        try flush()
        try checkpoint()
    }
}
