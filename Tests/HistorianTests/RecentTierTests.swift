import Foundation
import GRDB
import Historian
import PlantConfig
import Testing

/// Small batches land in `recent` and move to `samples` every `mergeEvery` flushes: every read sees both,
/// in time order, the newer write winning; a crash loses nothing of either.
@Suite struct RecentTierTests {
    func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-recent-\(UUID()).sqlite").path
    }

    func rowCounts(_ historian: SQLiteHistorian) throws -> (samples: Int, recent: Int) {
        try historian.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM samples") ?? -1, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recent") ?? -1)
        }
    }

    /// Writes `count` flushes of one sample each of series A and B at 1 s.
    func write(_ historian: SQLiteHistorian, seconds: Range<Int>, value: (Int) -> Double = Double.init) throws {
        for second in seconds {
            historian.append(["A", "B"].map { Sample(series: $0, time: Int64(second) * 1000, value: value(second)) })
            try historian.flush()
        }
    }

    @Test func smallBatchesGoToRecentAndMoveEveryMergeEveryFlushes() throws {
        let historian = try SQLiteHistorian.inMemory()
        try write(historian, seconds: 0..<(SQLiteHistorian.mergeEvery - 1))
        #expect(try rowCounts(historian) == (0, 2 * (SQLiteHistorian.mergeEvery - 1)))
        try write(historian, seconds: (SQLiteHistorian.mergeEvery - 1)..<SQLiteHistorian.mergeEvery)
        #expect(try rowCounts(historian) == (2 * SQLiteHistorian.mergeEvery, 0))
        // Many samples per series (a replay's chunk) go straight to samples; one fewer per series does not.
        historian.append((0..<(SQLiteHistorian.directRowsPerSeries - 1)).map { Sample(series: "D", time: Int64($0), value: 0) })
        try historian.flush()
        #expect(try rowCounts(historian) == (2 * SQLiteHistorian.mergeEvery, SQLiteHistorian.directRowsPerSeries - 1))
        historian.append((0..<SQLiteHistorian.directRowsPerSeries).map { Sample(series: "E", time: Int64($0), value: 0) })
        try historian.flush()
        #expect(try rowCounts(historian) == (2 * SQLiteHistorian.mergeEvery + 2 * SQLiteHistorian.directRowsPerSeries - 1, 0))
    }

    @Test func readsMergeBothTablesInTimeOrder() throws {
        let historian = try SQLiteHistorian.inMemory()
        try write(historian, seconds: 0..<SQLiteHistorian.mergeEvery)          // moved to samples
        try write(historian, seconds: SQLiteHistorian.mergeEvery..<(SQLiteHistorian.mergeEvery + 5))   // still in recent
        let counts = try rowCounts(historian)
        #expect(counts.samples > 0 && counts.recent > 0, "\(counts)")
        let all = Array(0..<(SQLiteHistorian.mergeEvery + 5)).map { Int64($0) * 1000 }
        #expect(try historian.samples("A", from: 0, to: .max).map(\.time) == all)
        #expect(try historian.samples("A", from: 0, to: .max, limit: 3).map(\.time) == Array(all.prefix(3)))
        #expect(try historian.timeRange("B") == 0...all.last!)
        let latest = try historian.latest()
        #expect(latest.map(\.series) == ["A", "B"] && latest.allSatisfy { $0.time == all.last! })
        // Replay's columns: a range across both tables and the samples that follow it.
        let split = Int64(SQLiteHistorian.mergeEvery) * 1000
        let columns = try historian.columns("A", from: split - 2000, before: split + 1000, following: 2)
        #expect(columns.times == [split - 2000, split - 1000, split, split + 1000, split + 2000])
        // History of the whole range counts every sample once.
        let points = try historian.history("A", from: 0, to: all.last!, maxPoints: 4)
        #expect(points.reduce(0) { $0 + $1.count } == all.count)
        #expect(points.last?.max == Double(SQLiteHistorian.mergeEvery + 4))
    }

    @Test func theNewerWriteOfATimeWinsInEveryTable() throws {
        let historian = try SQLiteHistorian.inMemory()
        try write(historian, seconds: 0..<SQLiteHistorian.mergeEvery)           // 0… in samples
        historian.append(Sample(series: "A", time: 3000, value: -1))        // rewritten, in recent
        try historian.flush()
        #expect(try historian.samples("A", from: 3000, to: 3000).map(\.value) == [-1])
        #expect(try historian.samples("A", from: 0, to: .max).count == SQLiteHistorian.mergeEvery)
        try historian.compact()
        #expect(try rowCounts(historian).recent == 0)
        #expect(try historian.samples("A", from: 3000, to: 3000).map(\.value) == [-1])
        // A bulk batch goes to samples directly after moving recent, so it still lands last.
        historian.append(Sample(series: "A", time: 4000, value: -2))
        try historian.flush()
        historian.append((0..<SQLiteHistorian.directBatch).map { Sample(series: "C", time: Int64($0), value: 0) }
                         + [Sample(series: "A", time: 4000, value: -3)])
        try historian.flush()
        #expect(try rowCounts(historian).recent == 0)
        #expect(try historian.samples("A", from: 4000, to: 4000).map(\.value) == [-3])
    }

    @Test func rollupsAndRetentionSeeWhatRecentHolds() throws {
        let historian = try SQLiteHistorian.inMemory()
        try write(historian, seconds: 0..<5)
        #expect(try rowCounts(historian).recent == 10)
        try historian.updateRollups(from: 0, to: 60_000, inFlight: 0)
        let minute = try historian.rollups("A", width: 60_000, from: 0, to: 0)
        #expect(minute.map(\.count) == [5] && minute.first?.max == 4)
        try write(historian, seconds: 5..<8)
        #expect(try historian.deleteOlder(than: 6000) >= 12)
        #expect(try historian.samples("B", from: 0, to: .max).map(\.time) == [6000, 7000])
    }

    @Test func whatACrashLeavesInRecentIsReadAndMovedOnReopening() throws {
        let path = temporaryFile()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let writer = try SQLiteHistorian(path: path)
            try write(writer, seconds: 0..<4)
            #expect(try rowCounts(writer) == (0, 8))
        }   // no compact, no close: as a kill leaves it
        let reader = try SQLiteHistorian.open(readingAt: path)
        #expect(try reader.samples("A", from: 0, to: .max).map(\.value) == [0, 1, 2, 3])
        let reopened = try SQLiteHistorian(path: path)
        #expect(try rowCounts(reopened) == (8, 0))
        #expect(try reopened.samples("B", from: 0, to: .max).map(\.value) == [0, 1, 2, 3])
    }

    @Test func aFileWithoutRecentIsReadFromSamplesAlone() throws {
        // A historian written before `recent` existed: schema v2, opened read-only.
        let path = temporaryFile()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let writer = try SQLiteHistorian(path: path)
            writer.append((0..<SQLiteHistorian.directBatch).map { Sample(series: "A", time: Int64($0), value: 1) })
            try writer.flush()
            try writer.database.write { db in try db.execute(sql: "DROP TABLE recent") }
        }
        let reader = try SQLiteHistorian.open(readingAt: path)
        #expect(try reader.samples("A", from: 0, to: 9).count == 10)
        #expect(try reader.timeRange("A") == 0...Int64(SQLiteHistorian.directBatch - 1))
    }

    /// `recent` is keyed by second (floor of ms / 1000): times before 1970, within one second and far apart
    /// read back in order, whether a read seeks second by second or scans (a range of more than 20,000 s).
    @Test func recentReadsInTimeOrderAcrossSecondsNegativeTimesAndWideRanges() throws {
        let historian = try SQLiteHistorian.inMemory()
        let times: [Int64] = [-5_001, -1_000, -999, -1, 0, 1, 999, 1_000, 86_400_000, 1_000_000_000]
        for (i, time) in times.enumerated().reversed() {   // written newest first: the key, not the order, decides
            historian.append(Sample(series: "A", time: time, value: Double(i)))
            try historian.flush()
        }
        #expect(try rowCounts(historian) == (0, times.count))
        #expect(try historian.samples("A", from: .min, to: .max).map(\.time) == times)       // scanned
        #expect(try historian.samples("A", from: -1_000, to: 1_000).map(\.time) == [-1_000, -999, -1, 0, 1, 999, 1_000])
        #expect(try historian.samples("A", from: -998, to: -2).isEmpty)
        #expect(try historian.timeRange("A") == -5_001...1_000_000_000)
        #expect(try historian.latest().first?.time == 1_000_000_000)
        try historian.compact()
        #expect(try rowCounts(historian) == (times.count, 0))
        #expect(try historian.samples("A", from: .min, to: .max).map(\.value) == times.indices.map(Double.init))
    }

    /// A file of schema v3 (`recent` keyed by series) holding rows: read-only, its rows are read as they are;
    /// opened for writing, the migration moves them to `samples` and keys `recent` by second.
    @Test func aVersion3RecentIsReadAndMigrated() throws {
        let path = temporaryFile()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let writer = try SQLiteHistorian(path: path)
            try write(writer, seconds: 0..<3)
            try writer.compact()
            try writer.database.write { db in
                try db.execute(sql: """
                    DROP TABLE recent;
                    CREATE TABLE recent (
                        series INTEGER NOT NULL, time INTEGER NOT NULL, value REAL, quality INTEGER NOT NULL,
                        PRIMARY KEY (series, time)) WITHOUT ROWID;
                    INSERT INTO recent (series, time, value, quality)
                        SELECT series, time + 3000, value + 3, quality FROM samples;
                    INSERT OR REPLACE INTO recent (series, time, value, quality)
                        SELECT series, 2000, -1, quality FROM samples WHERE time = 2000;
                    DELETE FROM grdb_migrations WHERE identifier = 'v4';
                    """)
            }
        }
        let reader = try SQLiteHistorian.open(readingAt: path)
        #expect(try reader.samples("A", from: 0, to: .max).map(\.value) == [0, 1, -1, 3, 4, 5])
        #expect(try reader.timeRange("B") == 0...5_000)
        let migrated = try SQLiteHistorian(path: path)
        #expect(try rowCounts(migrated) == (12, 0))
        #expect(try migrated.samples("B", from: 0, to: .max).map(\.value) == [0, 1, -1, 3, 4, 5])
        let columns = try migrated.database.read { db in try db.columns(in: "recent").map(\.name) }
        #expect(columns.first == "second")
        try write(migrated, seconds: 6..<7)
        #expect(try rowCounts(migrated) == (12, 2))
        #expect(try migrated.samples("A", from: 0, to: .max).count == 7)
    }
}
