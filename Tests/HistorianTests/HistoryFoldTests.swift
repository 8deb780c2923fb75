import Foundation
import GRDB
import Historian
import PlantConfig
import Testing

/// `history` folds one index scan into buckets in Swift; it must give what the SQL `GROUP BY` it replaced gave.
@Suite struct HistoryFoldTests {
    /// The query `history` used before: SQLite groups and aggregates.
    typealias Point = (time: Int64, min: Double, max: Double, mean: Double, count: Int, quality: Quality)

    static func reference(
        _ historian: Historian, _ series: String, from: Int64, to: Int64, maxPoints: Int
    ) throws -> [Point] {
        let width = max(1, (to - from + 1 + Int64(maxPoints) - 1) / Int64(maxPoints))
        return try historian.database.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM series WHERE name = ?", arguments: [series])
            else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT (time - ?) / ? AS bucket, MIN(value) AS lo, MAX(value) AS hi, AVG(value) AS mean,
                           COUNT(value) AS n, MIN(quality & 255) AS status
                    FROM samples WHERE series = ? AND time BETWEEN ? AND ?
                    GROUP BY bucket ORDER BY bucket
                    """, arguments: [from, width, id, from, to]
            ).map { row in
                let count: Int = row["n"]
                let status = Quality.Status(rawValue: UInt8(row["status"] as Int64)) ?? .bad
                return (
                    time: from + (row["bucket"] as Int64) * width, min: row["lo"] ?? Double.nan,
                    max: row["hi"] ?? Double.nan,
                    mean: row["mean"] ?? Double.nan, count: count,
                    quality: count == 0 ? Quality.bad(.commFailure) : Quality(status)
                )
            }
        }
    }

    @Test(arguments: [1, 7, 1000, 10_000]) func foldMatchesGroupBy(maxPoints: Int) async throws {
        let historian = try Historian.inMemory()
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
            let expected = try Self.reference(historian, "T", from: from, to: to, maxPoints: maxPoints)
            #expect(folded.count == expected.count, "\(from)…\(to)")
            for (a, b) in zip(folded, expected) {
                #expect(a.time == b.time && a.count == b.count && a.quality == b.quality)
                #expect(a.min == b.min || (a.min.isNaN && b.min.isNaN))
                #expect(a.max == b.max || (a.max.isNaN && b.max.isNaN))
                #expect(
                    abs(a.mean - b.mean) <= 1e-9 * max(1, abs(b.mean)) || (a.mean.isNaN && b.mean.isNaN),
                    "\(a.mean) vs \(b.mean)")
            }
        }
        // The async variant reads the same.
        let viaPool = try await historian.history(of: "T", from: 0, to: time + 1, maxPoints: maxPoints)
        #expect(
            viaPool.map(\.time) == (try historian.history("T", from: 0, to: time + 1, maxPoints: maxPoints)).map(\.time)
        )
    }
}
