import Foundation
import GRDB
import GRDBSQLite

extension SQLiteHistorian {
    /// The history of a series in [from, to] downsampled to at most `maxPoints` buckets of equal width, each
    /// with min, max and mean (so spikes survive downsampling) and its worst quality. Bad values count in
    /// the quality but not in min/max/mean.
    public func history(_ series: String, from: Int64, to: Int64, maxPoints: Int) throws -> [HistoryPoint] {
        precondition(maxPoints > 0 && to >= from, "history needs maxPoints > 0 and from ≤ to")
        return try database.read { db in try history(db, series, from: from, to: to, maxPoints: maxPoints) }
    }

    /// ``history(_:from:to:maxPoints:)`` read on GRDB's reader queue, so that the caller's thread (the
    /// cooperative pool, for the HTTP API) is not blocked while SQLite reads.
    public func history(of series: String, from: Int64, to: Int64, maxPoints: Int) async throws -> [HistoryPoint] {
        precondition(maxPoints > 0 && to >= from, "history needs maxPoints > 0 and from ≤ to")
        return try await database.read { db in try self.history(db, series, from: from, to: to, maxPoints: maxPoints) }
    }

    /// One index range scan in key (time) order, folded into buckets as the rows come. SQLite's `GROUP BY`
    /// over the computed bucket sorted every row first, about three times the CPU (CHANGELOG.md, "History
    /// queries").
    ///
    /// When every bucket spans a minute or more, the whole minutes of the range that the minute rollups
    /// hold complete are read from them (1,440 rows for a day instead of 86,400 samples) and only the ends
    /// from the samples. A rollup minute joins the bucket its start falls in, so bucket edges there are
    /// exact to the minute: a bucket is then 1 to 2 minutes different in what it covers, never more.
    private func history(
        _ db: Database, _ series: String, from: Int64, to: Int64, maxPoints: Int
    ) throws -> [HistoryPoint] {
        // Clamped to the valid times, the span and the bucket arithmetic below cannot overflow.
        let bounds = HistoryBounds.time
        let from = min(max(from, bounds.lowerBound), bounds.upperBound)
        let to = min(max(to, bounds.lowerBound), bounds.upperBound)
        guard from <= to else { return [] }
        let width = max(1, (to - from + 1 + Int64(maxPoints) - 1) / Int64(maxPoints))
        guard let id = try seriesID(db, series) else { return [] }
        var fold = HistoryFold(from: from, width: width)
        let minute: Int64 = 60_000
        if width >= minute, let mark = try Self.rolledUp(db) {
            let first = (from + minute - 1) / minute * minute
            let end = min(mark, (to + 1) / minute * minute)
            if end > first,
               try Int.fetchOne(db, sql: """
                   SELECT COUNT(*) FROM rollups WHERE series = ? AND width = 60000 AND bucket >= ? AND bucket < ? AND worst IS NULL
                   """, arguments: [id, first, end]) == 0 {
                try foldSamples(db, id, from: from, through: first - 1, into: &fold)
                try foldRollups(db, id, from: first, before: end, into: &fold)
                try foldSamples(db, id, from: end, through: to, into: &fold)
                return fold.finish()
            }
        }
        try foldSamples(db, id, from: from, through: to, into: &fold)
        return fold.finish()
    }

    private func foldSamples(_ db: Database, _ id: Int64, from: Int64, through to: Int64, into fold: inout HistoryFold) throws {
        try forEachSample(db, id, from: from, through: to) { time, value, quality in
            fold.add(at: time, value, status: quality & 255)
        }
    }

    private func foldRollups(_ db: Database, _ id: Int64, from: Int64, before end: Int64, into fold: inout HistoryFold) throws {
        let statement = try db.cachedStatement(sql: """
            SELECT bucket, min, max, mean, count, worst FROM rollups
            WHERE series = ? AND width = 60000 AND bucket >= ? AND bucket < ? ORDER BY bucket
            """)
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, id)
        sqlite3_bind_int64(handle, 2, from)
        sqlite3_bind_int64(handle, 3, end)
        defer { sqlite3_reset(handle) }
        while try Self.step(db, handle) {
            let count = Int(sqlite3_column_int64(handle, 4))
            fold.merge(at: sqlite3_column_int64(handle, 0), low: sqlite3_column_double(handle, 1),
                       high: sqlite3_column_double(handle, 2), mean: sqlite3_column_double(handle, 3), count: count,
                       status: sqlite3_column_int64(handle, 5))
        }
    }

    /// Steps a statement: true on a row, false when done.
    static func step(_ db: Database, _ handle: OpaquePointer) throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return false }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return true
    }
}
