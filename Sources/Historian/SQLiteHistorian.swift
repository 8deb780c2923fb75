import Foundation
public import GRDB
import GRDBSQLite
import RegisterVocabulary
import Synchronization

/// The embedded historian (``HistoryStore``): samples, journal events, KPIs and runs in one SQLite file (WAL),
/// written in batches.
///
/// Appends go to a buffer; `flush()` writes the buffer in one transaction. Call it every `batchInterval`
/// (`run()` does): the interval bounds what a crash can lose (≤ 1 s by default), and everything flushed is
/// durable (WAL with `synchronous = NORMAL` survives a process kill; a power cut may lose the last
/// transactions, never corrupt the file). Samples are keyed (series, time) in a WITHOUT ROWID table so that
/// the history of one tag over a range is one index range scan; each batch is sorted by that key first.
///
/// Small batches land in `recent` first and move to `samples` in one statement every ``mergeEvery`` flushes
/// (and before rollups and retention). A commit writes every B-tree page it changes to the WAL, whole, and the
/// checkpoint writes it again: once each series fills pages of its own, a batch written to `samples` changes
/// one page per series, many times the bytes of the samples themselves (figures in CHANGELOG.md, "Historian
/// writes"). `recent` is keyed by second first, so a flush appends to a key range of its own, and `samples`
/// takes each series' rows of a minute at once. Reads merge the two in time order (`recent` wins a tie, as the newer write); a crash leaves
/// `recent` committed, and the next open moves it.
///
/// The same schema holds the monitor's history and the simulator's recordings (`runs`, `kind = truth`).
public final class SQLiteHistorian: HistoryStore {
    public let database: any DatabaseWriter
    /// How often `run()` flushes.
    public let batchInterval: Duration
    private let buffer = Mutex<Buffer>(Buffer())
    private let seriesIDs = Mutex<[String: Int64]>([:])
    /// The arrays of the last flush, emptied with their capacity kept, for the next batch. A batch of a large
    /// plant holds 10,000 samples a second; growing a new buffer for each (by doubling, from whichever
    /// poller thread appended, in that thread's malloc arena) left freed blocks of up to 1 MB spread over
    /// glibc's arenas. Reused, the arrays are allocated once; but kept at the size of the largest batch ever,
    /// each flush that waited for a move or a slow disk raised the resident set for good (CHANGELOG.md, "Monitor
    /// memory"), so an array more than 2.5 times the typical batch is dropped and a new one of twice that size
    /// kept instead.
    private let scratch = Mutex<Scratch>(Scratch())
    /// The typical batch: samples per flush, smoothed (exponentially, over about ten flushes).
    private let typicalBatch = Mutex<Double>(0)
    /// Flushes since `recent` was last moved to `samples`, and the rows it holds.
    private let recentState = Mutex<RecentState>(RecentState())
    private let moves = Mutex<MoveStatistics>(MoveStatistics())
    /// Samples written since the file was opened, and the newest sample time written (for ``status``).
    let stored = Mutex<(samples: Int, newest: Int64?)>((0, nil))
    /// How the file's `recent` table is keyed: by second (schema v4), by series (v3, a file opened read-only) or
    /// none (older).
    let recentLayout: RecentLayout
    var hasRecent: Bool { recentLayout != .none }

    enum RecentLayout: Sendable { case none, bySeries, bySecond }

    /// Flushes between moves of `recent` to `samples` (the minute rollups move it too). A flush appends to
    /// `recent` in the key range of its second; each move changes one or two pages per series of `samples`
    /// (those holding its newest rows): the longer between moves, the more rows each changed page takes.
    public static let mergeEvery = 60
    /// Batches of at least this many samples go to `samples` directly (a bulk write changes each series'
    /// pages once for many rows already); `recent` is moved first, so a newer write always lands last.
    public static let directBatch = 50_000
    /// Batches with at least this many samples per series go to `samples` directly too: a replay's chunk or
    /// a simulator's recording fills a good part of a page per series already, and moving it later would
    /// write it twice.
    public static let directRowsPerSeries = 16
    /// Rows in `recent` past which a flush moves it whatever the count of flushes (a plant of more than
    /// 16,000 tags at 1 s): the move sorts them into `samples`' order, in SQLite's sorter (bounded memory).
    public static let recentLimit = 1_000_000

    private struct RecentState {
        var flushes = 0
        var rows = 0
    }

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
    ///
    /// An existing file is checked first, read-only: its WAL (``HistorianWAL``: would SQLite drop committed
    /// transactions?), then `PRAGMA quick_check`; a damaged file is left as it was. Device files, directories
    /// and missing folders are refused.
    /// - Throws: ``HistorianError`` naming the file, the cause and what to do.
    public convenience init(path: String, batchInterval: Duration = .seconds(1)) throws {
        try Self.checkPath(path)
        let existing = FileManager.default.fileExists(atPath: path)
        if existing {
            try Self.checkBeforeOpen(path)
            // Before the pool opens: opening one writes (GRDB creates and drops a table to make sure the WAL
            // exists), and a damaged file must not be written to before it is found damaged.
            try Self.quickCheck(path)
        }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Debian builds SQLite with SECURE_DELETE, which overwrites every freed page with zeros: each move of
            // `recent` freed its pages, and zeroing them wrote them to the WAL once more. Nothing here is secret.
            try db.execute(sql: "PRAGMA secure_delete = OFF")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try self.init(database: pool, batchInterval: batchInterval)
        } catch {
            throw HistorianError.sqlite(error, path: path, operation: "open")
        }
    }

    /// A historian in memory, for tests and tools.
    public static func inMemory() throws -> SQLiteHistorian {
        try SQLiteHistorian(database: DatabaseQueue(), batchInterval: .seconds(1))
    }

    public convenience init(database: any DatabaseWriter, batchInterval: Duration) throws {
        try self.init(database: database, batchInterval: batchInterval, migrate: true)
    }

    init(database: any DatabaseWriter, batchInterval: Duration, migrate: Bool) throws {
        self.database = database
        self.batchInterval = batchInterval
        if migrate { try Self.migrator.migrate(database) }
        recentLayout = try database.read { db in
            guard try db.tableExists("recent") else { return .none }
            return try db.columns(in: "recent").contains { $0.name == "second" } ? .bySecond : .bySeries
        }
        if migrate, hasRecent {
            // What a crash left in `recent` (committed, so kept) moves now.
            try moveRecent()
        }
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
        // Small batches land in `recent` (see the type's comment).
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE recent (
                    series INTEGER NOT NULL, time INTEGER NOT NULL, value REAL, quality INTEGER NOT NULL,
                    PRIMARY KEY (series, time)) WITHOUT ROWID;
                """)
        }
        // `recent` keyed by second first: a batch's rows then fall in the key range of its own second or two, so a
        // flush appends a few dozen fresh pages instead of changing every page the table has (keyed by series, each
        // page held a few series' rows and every batch added to all of them). What v3 left in it moves first.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO samples (series, time, value, quality)
                SELECT series, time, value, quality FROM recent ORDER BY series, time;
                DROP TABLE recent;
                CREATE TABLE recent (
                    second INTEGER NOT NULL, series INTEGER NOT NULL, time INTEGER NOT NULL, value REAL,
                    quality INTEGER NOT NULL, PRIMARY KEY (second, series, time)) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    /// The second of a time in ms (floor division): `recent`'s leading key.
    static func second(_ time: Int64) -> Int64 {
        time >= 0 ? time / 1000 : -((-(time + 1)) / 1000) - 1
    }

    /// Moves `recent` into `samples` (a newer write of the same series and time replaces the older).
    static func moveRecent(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO samples (series, time, value, quality)
            SELECT series, time, value, quality FROM recent ORDER BY series, time
            """)
        try db.execute(sql: "DELETE FROM recent")
    }

    /// Moves what `recent` holds into `samples` within the caller's transaction, if it holds anything.
    func moveRecentIfAny(_ db: Database) throws {
        guard hasRecent else { return }
        // The table, not the count kept here, says: a rolled-back transaction leaves the count wrong.
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM recent)") == true {
            try Self.moveRecent(db)
        }
        recentState.withLock { $0 = RecentState() }
    }

    /// Moves every sample from `recent` to `samples` now: ``flush()`` does it every ``mergeEvery`` flushes.
    public func compact() throws {
        try moveRecent()
    }

    /// Moves `recent` into `samples` in two statements outside a transaction. Inside one, SQLite copies every
    /// page a multi-row statement changes to a statement journal first (a temporary file past 64 KiB), so a
    /// move of 10,000 series wrote 40 MB there besides the WAL. Outside, a crash between the two statements
    /// leaves the same rows in both tables, which reads merge as one and the next move replaces.
    func moveRecent() throws {
        guard hasRecent else { return }
        let start = ContinuousClock.now
        let rows = recentState.withLock { $0.rows }
        try database.writeWithoutTransaction { db in try moveRecentIfAny(db) }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        moves.withLock { stats in
            stats.count += 1
            stats.rows += rows
            stats.seconds += seconds
            stats.longest = max(stats.longest, seconds)
        }
    }

    /// Moves of `recent` to `samples` so far (``flush()``'s, the rollups' and retention's): how many, the rows
    /// flushes had put in `recent` for them, and the time they took, in total and the longest.
    public struct MoveStatistics: Sendable, Hashable {
        public var count = 0
        public var rows = 0
        public var seconds = 0.0
        public var longest = 0.0
    }

    public var moveStatistics: MoveStatistics { moves.withLock { $0 } }

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
            let typical = typicalBatch.withLock { typical in
                typical = typical == 0 ? Double(samples.count) : 0.9 * typical + 0.1 * Double(samples.count)
                return typical
            }
            // Both arrays are uniquely referenced here again, so emptying them keeps their storage.
            Self.empty(&samples, typical: typical)
            Self.empty(&rows, typical: typical)
            scratch.withLock { $0 = Scratch(samples: samples, rows: rows) }
        }
        guard !samples.isEmpty || !events.isEmpty || !series.isEmpty else { return 0 }
        var known = seriesIDs.withLock { $0 }
        var due = false
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
            var seriesInBatch = rows.isEmpty ? 0 : 1
            for i in rows.indices.dropFirst() where rows[i].0 != rows[i - 1].0 { seriesInBatch += 1 }
            let direct = !hasRecent || rows.count >= Self.directBatch || rows.count >= Self.directRowsPerSeries * seriesInBatch
            if direct { try moveRecentIfAny(db) }
            let bySecond = !direct && recentLayout == .bySecond
            // The rows in `recent`'s key order: second, series, time.
            if bySecond {
                rows.sort { (Self.second($0.1.time), $0.0, $0.1.time) < (Self.second($1.1.time), $1.0, $1.1.time) }
            }
            let insert = try db.cachedStatement(sql: bySecond
                ? "INSERT OR REPLACE INTO recent (series, time, value, quality, second) VALUES (?, ?, ?, ?, ?)"
                : "INSERT OR REPLACE INTO \(direct ? "samples" : "recent") (series, time, value, quality) VALUES (?, ?, ?, ?)")
            let handle = insert.sqliteStatement
            for (id, sample) in rows {
                sqlite3_bind_int64(handle, 1, id)
                sqlite3_bind_int64(handle, 2, sample.time)
                if sample.value.isNaN { sqlite3_bind_null(handle, 3) } else { sqlite3_bind_double(handle, 3, sample.value) }
                sqlite3_bind_int64(handle, 4, sample.quality.storageCode)
                if bySecond { sqlite3_bind_int64(handle, 5, Self.second(sample.time)) }
                let code = sqlite3_step(handle)
                sqlite3_reset(handle)
                guard code == SQLITE_DONE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            let insertEvent = try db.cachedStatement(sql: "INSERT INTO events (time, kind, source, message, detail, user) VALUES (?, ?, ?, ?, ?, ?)")
            for event in events {
                try insertEvent.execute(arguments: [event.time, event.kind.rawValue, event.source, event.message, event.detail.stored, event.user])
            }
            if !direct, !rows.isEmpty {
                due = recentState.withLock { state in
                    state.flushes += 1
                    state.rows += rows.count
                    return state.flushes >= Self.mergeEvery || state.rows >= Self.recentLimit
                }
            }
            return rows.count
        }
        if due { try moveRecent() }
        seriesIDs.withLock { $0 = known }
        let newest = rows.last.map { _ in rows.lazy.map(\.1.time).max()! }
        stored.withLock { stored in
            stored.samples += written
            if let newest { stored.newest = max(stored.newest ?? newest, newest) }
        }
        return written
    }

    /// Empties a batch array for the next flush, keeping its storage unless it is more than 2.5 times the
    /// typical batch (and 4,096 elements): then a new one of twice the typical batch replaces it. A batch of two
    /// seconds (a flush that took longer than the interval) fits; the backlog of a minute's move of `recent`
    /// (three seconds, measured) is given back after its flush.
    static func empty<Element>(_ array: inout [Element], typical: Double) {
        if array.capacity > max(4_096, Int(2.5 * typical)) {
            array = []
            array.reserveCapacity(Int(2 * typical))
        } else {
            array.removeAll(keepingCapacity: true)
        }
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
