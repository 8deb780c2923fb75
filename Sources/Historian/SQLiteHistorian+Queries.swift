import Foundation
import GRDB
import GRDBSQLite
import RegisterVocabulary

extension SQLiteHistorian {
    /// The id of a series, or nil if it was never stored.
    func seriesID(_ db: Database, _ name: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM series WHERE name = ?", arguments: [name])
    }

    /// Every series stored.
    public func series() throws -> [SeriesInfo] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, kind, unit, device FROM series ORDER BY name").map { row in
                SeriesInfo(name: row["name"], kind: SeriesKind(rawValue: row["kind"]) ?? .tag, unit: row["unit"], device: row["device"])
            }
        }
    }

    /// The raw samples of a series in [from, to], oldest first.
    public func samples(_ series: String, from: Int64, to: Int64, limit: Int) throws -> [Sample] {
        try database.read { db in
            guard let id = try seriesID(db, series) else { return [] }
            var samples: [Sample] = []
            try forEachSample(db, id, from: from, through: to, limit: limit) { time, value, quality in
                samples.append(Sample(series: series, time: time, value: value ?? .nan,
                                      quality: Quality(storageCode: quality) ?? .bad(.decodeError)))
            }
            return samples
        }
    }

    /// Calls `body` with the samples of one series in [from, through], oldest first, at most `limit`: the rows
    /// of `samples` and of `recent` merged in time order, `recent`'s where both hold a time (it is the newer
    /// write). Steps SQLite's C API on GRDB's statements: a row decoder per sample would cost more than what
    /// replay and history do with it.
    func forEachSample(
        _ db: Database, _ id: Int64, from: Int64, through: Int64, limit: Int = .max,
        _ body: (_ time: Int64, _ value: Double?, _ quality: Int64) throws -> Void
    ) throws {
        guard through >= from, limit > 0 else { return }
        let old = try RecentCursor.prepare(db, RecentCursor.seriesRange("samples"), id, from, through)
        defer { sqlite3_reset(old) }
        var new = try RecentCursor(db, layout: recentLayout, series: id, from: from, through: through)
        defer { new?.finish() }
        var hasOld = try Self.step(db, old)
        var hasNew = try new?.step(db) ?? false
        var emitted = 0
        while hasOld || hasNew, emitted < limit {
            let oldTime = hasOld ? sqlite3_column_int64(old, 0) : .max
            let newTime = hasNew ? sqlite3_column_int64(new!.handle, 0) : .max
            let fromNew = hasNew && newTime <= oldTime
            let handle = fromNew ? new!.handle : old
            try body(sqlite3_column_int64(handle, 0),
                     sqlite3_column_type(handle, 1) == SQLITE_NULL ? nil : sqlite3_column_double(handle, 1),
                     sqlite3_column_int64(handle, 2))
            emitted += 1
            if fromNew {
                if hasOld, oldTime == newTime { hasOld = try Self.step(db, old) }
                hasNew = try new!.step(db)
            } else {
                hasOld = try Self.step(db, old)
            }
        }
    }

    /// The latest sample of every series (of a kind).
    public func latest(kind: SeriesKind?) throws -> [Sample] {
        try database.read { db in
            let series = try Row.fetchAll(db, sql: """
                SELECT id, name FROM series WHERE (? IS NULL OR kind = ?) ORDER BY name
                """, arguments: [kind?.rawValue, kind?.rawValue])
            // The newest row of each series in `recent`, from one pass over it (it holds the last seconds only).
            var newest: [Int64: (time: Int64, value: Double?, quality: Int64)] = [:]
            if hasRecent {
                let rows = try Row.fetchCursor(db, sql: "SELECT series, time, value, quality FROM recent")
                while let row = try rows.next() {
                    let id: Int64 = row["series"], time: Int64 = row["time"]
                    if let known = newest[id], known.time >= time { continue }
                    newest[id] = (time, row["value"], row["quality"])
                }
            }
            return try series.compactMap { row -> Sample? in
                let id: Int64 = row["id"]
                var best = newest[id]
                if let old = try Row.fetchOne(db, sql: "SELECT time, value, quality FROM samples WHERE series = ? ORDER BY time DESC LIMIT 1",
                                              arguments: [id]),
                   best == nil || (old["time"] as Int64) > best!.time {   // `recent` wins a tie, as the newer write
                    best = (old["time"], old["value"], old["quality"])
                }
                guard let best else { return nil }
                return Sample(series: row["name"], time: best.time, value: best.value ?? .nan,
                              quality: Quality(storageCode: best.quality) ?? .bad(.decodeError))
            }
        }
    }

    /// Journal events in [from, to], newest first.
    public func events(from: Int64, to: Int64, kind: JournalEvent.Kind?, limit: Int) throws -> [JournalEvent] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, time, kind, source, message, detail, user FROM events
                WHERE time BETWEEN ? AND ? AND (? IS NULL OR kind = ?) ORDER BY time DESC, id DESC LIMIT ?
                """, arguments: [from, to, kind?.rawValue, kind?.rawValue, limit]).map { row in
                JournalEvent(time: row["time"], kind: row["kind"], source: row["source"], message: row["message"],
                             storedDetail: row["detail"], user: row["user"], id: row["id"])
            }
        }
    }

    /// Runs stored, oldest first.
    public func runs() throws -> [RunInfo] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id").map { row in
                RunInfo(id: row["id"], kind: RunInfo.Kind(rawValue: row["kind"]) ?? .monitor, plant: row["plant"],
                        scenario: row["scenario"], seed: row["seed"], started: row["started"], ended: row["ended"],
                        config: row["config"], version: row["version"], notes: row["notes"])
            }
        }
    }

    /// Rollups of a series: `width` 60,000 (1 min) or 3,600,000 (1 h) ms.
    public func rollups(_ series: String, width: Int64, from: Int64, to: Int64) throws -> [HistoryPoint] {
        try database.read { db in
            guard let id = try seriesID(db, series) else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT bucket, min, max, mean, count, worst FROM rollups
                WHERE series = ? AND width = ? AND bucket BETWEEN ? AND ? ORDER BY bucket
                """, arguments: [id, width, from, to]).map { row in
                // `worst` is the bucket's lowest quality status (NULL in rollups older than it: then unknown, shown good).
                let worst = (row["worst"] as Int64?).flatMap { Quality.Status(rawValue: UInt8(clamping: $0)) } ?? .good
                return HistoryPoint(time: row["bucket"], min: row["min"] ?? .nan, max: row["max"] ?? .nan, mean: row["mean"] ?? .nan,
                                    count: row["count"], quality: Quality(worst))
            }
        }
    }
}

extension SQLiteHistorian {
    /// Opens an existing historian or recording for reading only: nothing in the file changes.
    ///
    /// - Throws: an error naming the file when it does not exist or is not a Geolith historian.
    public static func open(readingAt path: String) throws -> SQLiteHistorian {
        guard FileManager.default.fileExists(atPath: path) else {
            throw HistorianFileError(path: path, message: "no such file")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let tables = try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
            guard ["series", "samples", "events", "runs"].allSatisfy(tables.contains) else {
                throw HistorianFileError(path: path, message: "not a Geolith historian or recording (tables series, samples, events, runs missing)")
            }
        } catch let error as HistorianFileError {
            throw error
        } catch {
            throw HistorianFileError(path: path, message: "cannot be read as SQLite: \(error)")
        }
        return try SQLiteHistorian(database: queue, batchInterval: .seconds(1), migrate: false)
    }

    /// The first and last sample times of a series, or nil when it has none.
    public func timeRange(_ series: String) throws -> ClosedRange<Int64>? {
        try database.read { db in
            guard let id = try seriesID(db, series) else { return nil }
            var firsts = [try Int64.fetchOne(db, sql: "SELECT MIN(time) FROM samples WHERE series = ?", arguments: [id])]
            var lasts = [try Int64.fetchOne(db, sql: "SELECT MAX(time) FROM samples WHERE series = ?", arguments: [id])]
            if var recent = try RecentCursor(db, layout: recentLayout, series: id, from: .min, through: .max) {
                defer { recent.finish() }
                // Oldest first: the first row is the series' first time in `recent`; the last row its last.
                if try recent.step(db) {
                    firsts.append(sqlite3_column_int64(recent.handle, 0))
                    var last = sqlite3_column_int64(recent.handle, 0)
                    while try recent.step(db) { last = sqlite3_column_int64(recent.handle, 0) }
                    lasts.append(last)
                }
            }
            guard let first = firsts.compactMap({ $0 }).min(), let last = lasts.compactMap({ $0 }).max() else { return nil }
            return first...last
        }
    }

    /// The samples of a series in [from, before), oldest first, plus at most `following` samples at or after
    /// `before` (replay interpolates across chunk ends with them).
    public func columns(_ series: String, from: Int64, before: Int64, following: Int) throws -> SampleColumns {
        try database.read { db in
            var columns = SampleColumns()
            guard let id = try seriesID(db, series) else { return columns }
            func add(_ time: Int64, _ value: Double?, _ quality: Int64) {
                columns.times.append(time)
                columns.values.append(value ?? .nan)
                columns.qualities.append(Quality(storageCode: quality) ?? .bad(.decodeError))
            }
            try forEachSample(db, id, from: from, through: before == .min ? .min : before - 1, add)
            if following > 0, before != .max {
                try forEachSample(db, id, from: before, through: .max, limit: following, add)
            }
            return columns
        }
    }
}

/// A file that cannot be opened as a historian.
public struct HistorianFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// One series' rows of `recent` in time order, stepped with SQLite's C API: one statement for a file keyed by
/// series (v3); for a file keyed by second (v4), one seek per second that `recent` holds within the range, or one
/// scan of the table when that would be more seeks than it has rows' worth (a range over years of odd times).
struct RecentCursor {
    private(set) var handle: OpaquePointer
    private var second: Int64
    private let lastSecond: Int64
    private let perSecond: Bool

    /// Nil when the file has no `recent` or it holds nothing in the range.
    init?(_ db: Database, layout: SQLiteHistorian.RecentLayout, series id: Int64, from: Int64, through: Int64) throws {
        switch layout {
        case .none:
            return nil
        case .bySeries:
            handle = try Self.prepare(db, Self.seriesRange("recent"), id, from, through)
            (second, lastSecond, perSecond) = (0, 0, false)
        case .bySecond:
            let bounds = try Row.fetchOne(db, sql: "SELECT (SELECT MIN(second) FROM recent) AS low, (SELECT MAX(second) FROM recent) AS high")
            guard let low = bounds?["low"] as Int64?, let high = bounds?["high"] as Int64? else { return nil }
            let first = max(low, SQLiteHistorian.second(from)), last = min(high, SQLiteHistorian.second(through))
            guard first <= last else { return nil }
            if last - first > 20_000 {
                handle = try Self.prepare(db, Self.seriesRange("recent"), id, from, through)
                (second, lastSecond, perSecond) = (0, 0, false)
            } else {
                handle = try Self.prepare(db, """
                    SELECT time, value, quality FROM recent WHERE series = ? AND time BETWEEN ? AND ? AND second = ? ORDER BY time
                    """, id, from, through)
                (second, lastSecond, perSecond) = (first, last, true)
                sqlite3_bind_int64(handle, 4, first)
            }
        }
    }

    /// One series' rows of `table` in [?2, ?3], oldest first.
    static func seriesRange(_ table: String) -> String {
        "SELECT time, value, quality FROM \(table) WHERE series = ? AND time BETWEEN ? AND ? ORDER BY time"
    }

    /// GRDB's cached statement for `sql`, reset, with the series and the range bound as ?1–?3.
    static func prepare(_ db: Database, _ sql: String, _ id: Int64, _ from: Int64, _ through: Int64) throws -> OpaquePointer {
        let handle = try db.cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, id)
        sqlite3_bind_int64(handle, 2, from)
        sqlite3_bind_int64(handle, 3, through)
        return handle
    }

    /// Moves to the next row; false at the end.
    mutating func step(_ db: Database) throws -> Bool {
        while true {
            if try SQLiteHistorian.step(db, handle) { return true }
            guard perSecond, second < lastSecond else { return false }
            second += 1
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 4, second)
        }
    }

    func finish() { sqlite3_reset(handle) }
}
