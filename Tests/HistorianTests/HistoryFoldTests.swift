import Foundation
import GRDB
import Historian
import PlantConfig
import RegisterVocabulary
import Testing

/// `history` folds one index scan into buckets in Swift; it must give what the SQL `GROUP BY` it replaced gave.
@Suite struct HistoryFoldTests {
    /// The query `history` used before: SQLite groups and aggregates.
    typealias Point = (time: Int64, min: Double, max: Double, mean: Double, count: Int, quality: Quality)

    /// - Parameter minutes: samples in [lower, upper) join the bucket of their minute's start, as when history
    ///   reads those minutes from the rollups.
    static func reference(
        _ historian: SQLiteHistorian, _ series: String, from: Int64, to: Int64, maxPoints: Int, minutes: (Int64, Int64)? = nil
    ) throws -> [Point] {
        let width = max(1, (to - from + 1 + Int64(maxPoints) - 1) / Int64(maxPoints))
        let (lower, upper) = minutes ?? (0, 0)
        return try historian.database.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM series WHERE name = ?", arguments: [series])
            else { return [] }
            let usable = "CASE WHEN (quality & 255) > 0 THEN value END"
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT (CASE WHEN time >= ? AND time < ? THEN time / 60000 * 60000 ELSE time END - ?) / ? AS bucket,
                           MIN(\(usable)) AS lo, MAX(\(usable)) AS hi, AVG(\(usable)) AS mean,
                           COUNT(\(usable)) AS n, MIN(quality & 255) AS status
                    FROM (SELECT series, time, value, quality FROM samples
                          UNION ALL SELECT series, time, value, quality FROM recent) -- the tests write no time twice
                    WHERE series = ? AND time BETWEEN ? AND ?
                    GROUP BY bucket ORDER BY bucket
                    """, arguments: [lower, upper, from, width, id, from, to]
            ).map { row in
                let count: Int = row["n"]
                let status = Quality.Status(rawValue: UInt8(row["status"] as Int64)) ?? .bad
                return (
                    time: from + (row["bucket"] as Int64) * width, min: row["lo"] ?? Double.nan,
                    max: row["hi"] ?? Double.nan,
                    mean: row["mean"] ?? Double.nan, count: count, quality: Quality(status)
                )
            }
        }
    }

    static func expectEqual(_ folded: [HistoryPoint], _ expected: [Point], _ context: String) {
        #expect(folded.count == expected.count, "\(context)")
        for (a, b) in zip(folded, expected) {
            #expect(a.time == b.time && a.count == b.count && a.quality == b.quality, "\(context) at \(a.time)")
            #expect(a.min == b.min || (a.min.isNaN && b.min.isNaN))
            #expect(a.max == b.max || (a.max.isNaN && b.max.isNaN))
            #expect(abs(a.mean - b.mean) <= 1e-9 * max(1, abs(b.mean)) || (a.mean.isNaN && b.mean.isNaN), "\(a.mean) vs \(b.mean)")
        }
    }

    /// A day at 1 s with a stretch of bad values (a sentinel far below the rest): history of ≥ 1-minute buckets
    /// reads the whole minutes from the rollups and the ends from the samples, and gives what the samples
    /// would with minutes joined to the bucket of their start; bad values show in the quality, not in the
    /// values; a rollup without a worst quality (an older file) makes it read the samples.
    @Test func historyReadsWholeMinutesFromTheRollups() throws {
        let historian = try SQLiteHistorian.inMemory()
        var samples: [Sample] = []
        let start: Int64 = 1_767_225_600_000
        for i in 0..<86_400 {
            let bad = (30_000..<30_600).contains(i)
            samples.append(Sample(series: "T", time: start + Int64(i) * 1000, value: bad ? -9999 : 100 + Double(i % 600) / 10,
                                  quality: bad ? .bad(.sensorSentinel) : i % 977 == 0 ? .uncertain(.clamped) : .good))
        }
        historian.append(samples)
        try historian.flush()
        try historian.updateRollups(from: start, to: start + 86_400_000 + 10_000)
        let from = start + 12_345, to = start + 86_400_000 - 7_777
        let folded = try historian.history("T", from: from, to: to, maxPoints: 1000)
        let first = (from + 59_999) / 60_000 * 60_000, end = (to + 1) / 60_000 * 60_000
        Self.expectEqual(folded, try Self.reference(historian, "T", from: from, to: to, maxPoints: 1000, minutes: (first, end)), "rollups")
        #expect(folded.contains { $0.quality.status == .bad }, "the bad stretch shows")
        #expect(folded.allSatisfy { $0.min.isNaN || $0.min >= 100 }, "no sentinel among the values")
        // Narrow buckets (< 1 minute) and rollups without a worst quality read the samples.
        Self.expectEqual(try historian.history("T", from: from, to: from + 3_600_000, maxPoints: 1000),
                         try Self.reference(historian, "T", from: from, to: from + 3_600_000, maxPoints: 1000), "narrow")
        try historian.database.write { db in try db.execute(sql: "UPDATE rollups SET worst = NULL WHERE bucket = ?", arguments: [first + 600_000]) }
        Self.expectEqual(try historian.history("T", from: from, to: to, maxPoints: 1000),
                         try Self.reference(historian, "T", from: from, to: to, maxPoints: 1000), "fallback")
    }

    @Test(arguments: [1, 7, 1000, 10_000]) func foldMatchesGroupBy(maxPoints: Int) async throws {
        let historian = try SQLiteHistorian.inMemory()
        var random = SystemRandomNumberGenerator()
        // Irregular times, gaps, NaN (stored as NULL) and all three quality classes.
        var time: Int64 = 1_000
        var samples: [Sample] = []
        for i in 0..<20_000 {
            time += Int64.random(in: 1...(i % 5000 < 100 ? 60_000 : 2_000), using: &random)
            let value = i % 97 == 0 ? Double.nan : Double.random(in: -1e3...1e3, using: &random)
            let quality: Quality = i % 31 == 0 ? .bad(.timeout) : i % 17 == 0 ? .uncertain(.stale) : .good
            samples.append(Sample(series: "T", time: time, value: value, quality: quality))
        }
        historian.append(samples)
        try historian.flush()
        for (from, to) in [(Int64(0), time + 1), (5_000_000, 9_000_000), (time, time), (time + 1, time + 100_000)] {
            let folded = try historian.history("T", from: from, to: to, maxPoints: maxPoints)
            Self.expectEqual(folded, try Self.reference(historian, "T", from: from, to: to, maxPoints: maxPoints), "\(from)…\(to)")
        }
        // The async variant reads the same.
        let viaPool = try await historian.history(of: "T", from: 0, to: time + 1, maxPoints: maxPoints)
        #expect(
            viaPool.map(\.time) == (try historian.history("T", from: 0, to: time + 1, maxPoints: maxPoints)).map(\.time)
        )
    }
}
