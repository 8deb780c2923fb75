import Foundation
import GRDB
import PlantConfig

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

    /// The history of a series in [from, to] downsampled to at most `maxPoints` buckets of equal width, each
    /// with min, max and mean (so spikes survive downsampling) and its worst quality. Bad values count in
    /// the quality but not in min/max/mean.
    public func history(_ series: String, from: Int64, to: Int64, maxPoints: Int) throws -> [HistoryPoint] {
        precondition(maxPoints > 0 && to >= from, "history needs maxPoints > 0 and from ≤ to")
        let width = max(1, (to - from + 1 + Int64(maxPoints) - 1) / Int64(maxPoints))
        return try database.read { db in
            guard let id = try seriesID(db, series) else { return [] }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT (time - ?) / ? AS bucket, MIN(value) AS lo, MAX(value) AS hi, AVG(value) AS mean,
                       COUNT(value) AS n, MIN(quality & 255) AS status
                FROM samples WHERE series = ? AND time BETWEEN ? AND ?
                GROUP BY bucket ORDER BY bucket
                """, arguments: [from, width, id, from, to])
            var points: [HistoryPoint] = []
            while let row = try rows.next() {
                let status = Quality.Status(rawValue: UInt8(row["status"] as Int64)) ?? .bad
                let count: Int = row["n"]
                points.append(HistoryPoint(time: from + (row["bucket"] as Int64) * width, min: row["lo"] ?? .nan,
                                           max: row["hi"] ?? .nan, mean: row["mean"] ?? .nan, count: count,
                                           quality: count == 0 ? .bad(.commFailure) : Quality(status)))
            }
            return points
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
                SELECT bucket, min, max, mean, count FROM rollups
                WHERE series = ? AND width = ? AND bucket BETWEEN ? AND ? ORDER BY bucket
                """, arguments: [id, width, from, to]).map { row in
                HistoryPoint(time: row["bucket"], min: row["min"] ?? .nan, max: row["max"] ?? .nan, mean: row["mean"] ?? .nan,
                             count: row["count"], quality: .good)
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
