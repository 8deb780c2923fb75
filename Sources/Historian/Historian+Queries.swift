import Foundation
import GRDB
import GRDBSQLite
public import PlantConfig

extension Historian {
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
    public func samples(_ series: String, from: Int64, to: Int64, limit: Int = 1_000_000) throws -> [Sample] {
        try database.read { db in
            guard let id = try seriesID(db, series) else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT time, value, quality FROM samples WHERE series = ? AND time BETWEEN ? AND ? ORDER BY time LIMIT ?
                """, arguments: [id, from, to, limit]).map { row in
                Sample(series: series, time: row["time"], value: row["value"] ?? .nan,
                       quality: Quality(storageCode: row["quality"]) ?? .bad(.decodeError))
            }
        }
    }

    /// The latest sample of every series (of a kind).
    public func latest(kind: SeriesKind? = nil) throws -> [Sample] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.name AS name, x.time AS time, x.value AS value, x.quality AS quality
                FROM series s JOIN samples x ON x.series = s.id
                WHERE (? IS NULL OR s.kind = ?)
                  AND x.time = (SELECT MAX(time) FROM samples WHERE series = s.id)
                ORDER BY s.name
                """, arguments: [kind?.rawValue, kind?.rawValue]).map { row in
                Sample(series: row["name"], time: row["time"], value: row["value"] ?? .nan,
                       quality: Quality(storageCode: row["quality"]) ?? .bad(.decodeError))
            }
        }
    }

    /// Journal events in [from, to], newest first.
    public func events(from: Int64, to: Int64, kind: String? = nil, limit: Int = 1000) throws -> [JournalEvent] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, time, kind, source, message, detail, user FROM events
                WHERE time BETWEEN ? AND ? AND (? IS NULL OR kind = ?) ORDER BY time DESC, id DESC LIMIT ?
                """, arguments: [from, to, kind, kind, limit]).map { row in
                JournalEvent(time: row["time"], kind: row["kind"], source: row["source"], message: row["message"],
                             detail: row["detail"], user: row["user"], id: row["id"])
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
}

extension Historian {
    /// Samples of several series in [from, to] as long-form CSV, `time,series,value,quality`: time in ms
    /// since 1970 UTC, an empty value for NaN, the quality as text. `geolith replay` reads it back.
    public func longCSV(series names: [String], from: Int64, to: Int64) throws -> String {
        var out = "time,series,value,quality\n"
        for name in names {
            let columns = try columns(name, from: from, before: to == .max ? .max : to + 1)
            for i in 0..<columns.count {
                let value = columns.values[i]
                out += "\(columns.times[i]),\(name),\(value.isNaN ? "" : String(value)),\(columns.qualities[i])\n"
            }
        }
        return out
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

extension Historian {
    /// Opens an existing historian or recording for reading only: nothing in the file changes.
    ///
    /// - Throws: an error naming the file when it does not exist or is not a Geolith historian.
    public static func open(readingAt path: String) throws -> Historian {
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
        return try Historian(database: queue, batchInterval: .seconds(1), migrate: false)
    }

    /// The first and last sample times of a series, or nil when it has none.
    public func timeRange(_ series: String) throws -> ClosedRange<Int64>? {
        try database.read { db in
            guard let id = try seriesID(db, series) else { return nil }
            guard let first = try Int64.fetchOne(db, sql: "SELECT MIN(time) FROM samples WHERE series = ?", arguments: [id]),
                  let last = try Int64.fetchOne(db, sql: "SELECT MAX(time) FROM samples WHERE series = ?", arguments: [id])
            else { return nil }
            return first...last
        }
    }

    /// The samples of a series in [from, before), oldest first, plus at most `following` samples at or after
    /// `before` (replay interpolates across chunk ends with them). Reads with SQLite's C API on GRDB's
    /// statement: a row decoder per sample would cost more than the replay's whole pipeline.
    public func columns(_ series: String, from: Int64, before: Int64, following: Int = 0) throws -> SampleColumns {
        try database.read { db in
            var columns = SampleColumns()
            guard let id = try seriesID(db, series) else { return columns }
            func read(_ sql: String, _ a: Int64, _ b: Int64) throws {
                let statement = try db.cachedStatement(sql: sql)
                let handle = statement.sqliteStatement
                sqlite3_reset(handle)
                sqlite3_bind_int64(handle, 1, id)
                sqlite3_bind_int64(handle, 2, a)
                sqlite3_bind_int64(handle, 3, b)
                while true {
                    let code = sqlite3_step(handle)
                    if code == SQLITE_DONE { break }
                    guard code == SQLITE_ROW else {
                        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                    columns.times.append(sqlite3_column_int64(handle, 0))
                    columns.values.append(sqlite3_column_type(handle, 1) == SQLITE_NULL ? .nan : sqlite3_column_double(handle, 1))
                    columns.qualities.append(Quality(storageCode: sqlite3_column_int64(handle, 2)) ?? .bad(.decodeError))
                }
                sqlite3_reset(handle)
            }
            try read("SELECT time, value, quality FROM samples WHERE series = ? AND time >= ? AND time < ? ORDER BY time", from, before)
            if following > 0 {
                try read("SELECT time, value, quality FROM samples WHERE series = ? AND time >= ? ORDER BY time LIMIT ?", before, Int64(following))
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
