import Foundation
public import GRDB
import GRDBSQLite
import PlantConfig
import Synchronization

/// The historian: samples, journal events, KPIs and runs in one SQLite file (WAL), written in batches.
///
/// Appends go to a buffer; `flush()` writes the buffer in one transaction. Call it every `batchInterval`
/// (`run()` does): the interval bounds what a crash can lose (≤ 1 s by default), and everything flushed is
/// durable (WAL with `synchronous = NORMAL` survives a process kill; a power cut may lose the last
/// transactions, never corrupt the file). Samples are keyed (series, time) in a WITHOUT ROWID table so that
/// the history of one tag over a range is one index range scan; each batch is sorted by that key first.
///
/// The same schema holds the monitor's history and the simulator's recordings (`runs`, `kind = truth`).
public final class Historian: Sendable {
    public let database: any DatabaseWriter
    /// How often `run()` flushes.
    public let batchInterval: Duration
    private let buffer = Mutex<Buffer>(Buffer())
    private let seriesIDs = Mutex<[String: Int64]>([:])
    /// The arrays of the last flush, emptied with their capacity kept, for the next batch. A batch of a large
    /// plant holds 10,000 samples a second; growing a new buffer for each (by doubling, from whichever
    /// poller thread appended, in that thread's malloc arena) left freed blocks of up to 1 MB spread over
    /// glibc's arenas. Reused, the two arrays are allocated once and keep the size of the largest batch.
    private let scratch = Mutex<Scratch>(Scratch())

    private struct Scratch {
        var samples: [Sample] = []
        var rows: [(Int64, Sample)] = []
    }

    private struct Buffer {
        var samples: [Sample] = []
        var events: [JournalEvent] = []
        var series: [String: SeriesInfo] = [:]
    }

    /// Opens (or creates) a historian file.
    public convenience init(path: String, batchInterval: Duration = .seconds(1)) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try self.init(database: pool, batchInterval: batchInterval)
    }

    /// A historian in memory, for tests and tools.
    public static func inMemory() throws -> Historian {
        try Historian(database: DatabaseQueue(), batchInterval: .seconds(1))
    }

    public convenience init(database: any DatabaseWriter, batchInterval: Duration) throws {
        try self.init(database: database, batchInterval: batchInterval, migrate: true)
    }

    init(database: any DatabaseWriter, batchInterval: Duration, migrate: Bool) throws {
        self.database = database
        self.batchInterval = batchInterval
        if migrate { try Self.migrator.migrate(database) }
        let known = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM series").map { ($0["name"] as String, $0["id"] as Int64) }
        }
        seriesIDs.withLock { $0 = Dictionary(known, uniquingKeysWith: { first, _ in first }) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE series (
                    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                    unit TEXT NOT NULL DEFAULT '', device TEXT NOT NULL DEFAULT '');
                CREATE TABLE samples (
                    series INTEGER NOT NULL, time INTEGER NOT NULL, value REAL, quality INTEGER NOT NULL,
                    PRIMARY KEY (series, time)) WITHOUT ROWID;
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
                    message TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}', user TEXT);
                CREATE INDEX events_time ON events(time);
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, plant TEXT NOT NULL, scenario TEXT NOT NULL,
                    seed INTEGER NOT NULL, started INTEGER NOT NULL, ended INTEGER, config TEXT NOT NULL,
                    version TEXT NOT NULL, notes TEXT NOT NULL);
                CREATE TABLE rollups (
                    series INTEGER NOT NULL, width INTEGER NOT NULL, bucket INTEGER NOT NULL,
                    min REAL, max REAL, mean REAL, count INTEGER NOT NULL,
                    PRIMARY KEY (series, width, bucket)) WITHOUT ROWID;
                """)
        }
        // Rollups keep the worst quality of their bucket (bad values included), so history can be read from
        // them; `meta` holds how far the minute rollups are complete. Rollups of older files have no worst
        // quality (NULL): history reads the samples where it meets one.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE rollups ADD COLUMN worst INTEGER;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    // MARK: - Writing

    /// Declares a series (unit, device, kind); series seen only in samples are declared as tags.
    public func declare(_ info: SeriesInfo) {
        buffer.withLock { $0.series[info.name] = info }
    }

    /// Buffers samples until the next flush.
    public func append(_ samples: some Sequence<Sample>) {
        buffer.withLock { $0.samples.append(contentsOf: samples) }
    }

    public func append(_ sample: Sample) {
        buffer.withLock { $0.samples.append(sample) }
    }

    /// Buffers a journal event until the next flush.
    public func record(_ event: JournalEvent) {
        buffer.withLock { $0.events.append(event) }
    }

    /// Bytes SQLite has allocated in this process, over every connection (page caches, statements, schema):
    /// `sqlite3_memory_used()`.
    public static var sqliteMemoryUsed: Int64 { sqlite3_memory_used() }

    /// Samples and events waiting for the next flush.
    public var pending: Int { buffer.withLock { $0.samples.count + $0.events.count } }

    /// Writes everything buffered in one transaction.
    /// - Returns: the number of samples written.
    @discardableResult
    public func flush() throws -> Int {
        var spare = scratch.withLock { scratch in
            defer { scratch = Scratch() }
            return scratch
        }
        var (samples, events, series) = buffer.withLock { buffer in
            defer { buffer = Buffer(samples: spare.samples) }
            return (buffer.samples, buffer.events, buffer.series)
        }
        var rows = spare.rows
        spare = Scratch()
        defer {
            // Both arrays are uniquely referenced here again, so emptying them keeps their storage.
            samples.removeAll(keepingCapacity: true)
            rows.removeAll(keepingCapacity: true)
            scratch.withLock { $0 = Scratch(samples: samples, rows: rows) }
        }
        guard !samples.isEmpty || !events.isEmpty || !series.isEmpty else { return 0 }
        var known = seriesIDs.withLock { $0 }
        let written = try database.write { db -> Int in
            for info in series.values {
                try db.execute(sql: """
                    INSERT INTO series (name, kind, unit, device) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, unit = excluded.unit, device = excluded.device
                    """, arguments: [info.name, info.kind.rawValue, info.unit, info.device])
                known[info.name] = try Int64.fetchOne(db, sql: "SELECT id FROM series WHERE name = ?", arguments: [info.name])
            }
            rows.reserveCapacity(samples.count)
            for sample in samples {
                if known[sample.series] == nil {
                    try db.execute(sql: "INSERT OR IGNORE INTO series (name, kind) VALUES (?, 'tag')", arguments: [sample.series])
                    known[sample.series] = try Int64.fetchOne(db, sql: "SELECT id FROM series WHERE name = ?", arguments: [sample.series])
                }
                rows.append((known[sample.series]!, sample))
            }
            // Sorted by the key, a batch walks each series' B-tree leaf once instead of jumping between series.
            rows.sort { ($0.0, $0.1.time) < ($1.0, $1.1.time) }
            // The hot loop binds with SQLite's C API on GRDB's prepared statement: building GRDB's boxed
            // `StatementArguments` per row halved the ingest rate (measured by `geolith bench historian`).
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO samples (series, time, value, quality) VALUES (?, ?, ?, ?)")
            let handle = insert.sqliteStatement
            for (id, sample) in rows {
                sqlite3_bind_int64(handle, 1, id)
                sqlite3_bind_int64(handle, 2, sample.time)
                if sample.value.isNaN { sqlite3_bind_null(handle, 3) } else { sqlite3_bind_double(handle, 3, sample.value) }
                sqlite3_bind_int64(handle, 4, sample.quality.storageCode)
                let code = sqlite3_step(handle)
                sqlite3_reset(handle)
                guard code == SQLITE_DONE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            let insertEvent = try db.cachedStatement(sql: "INSERT INTO events (time, kind, source, message, detail, user) VALUES (?, ?, ?, ?, ?, ?)")
            for event in events {
                try insertEvent.execute(arguments: [event.time, event.kind, event.source, event.message, event.detail, event.user])
            }
            return rows.count
        }
        seriesIDs.withLock { $0 = known }
        return written
    }

    /// Flushes every `batchInterval` until cancelled, then flushes once more.
    public func run() async throws {
        do {
            while true {
                try await Task.sleep(for: batchInterval)
                try flush()
            }
        } catch is CancellationError {
            try flush()
        }
    }

    /// Starts a run; returns its id.
    public func beginRun(_ run: RunInfo) throws -> Int64 {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO runs (kind, plant, scenario, seed, started, ended, config, version, notes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.kind.rawValue, run.plant, run.scenario, run.seed, run.started, run.ended, run.config,
                                 run.version, run.notes])
            return db.lastInsertedRowID
        }
    }

    public func endRun(_ id: Int64, at time: Int64) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE runs SET ended = ? WHERE id = ?", arguments: [time, id])
        }
    }
}
