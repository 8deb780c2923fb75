import Foundation
import Historian
@testable import HistorianPostgres
import PlantConfig
import PostgresTestSupport
import Testing

/// What only the PostgreSQL backend does: versioned migrations, partitions by plant and day, batches stored once,
/// authentication, and reading a plant that is not there. (The spool under an outage: ``PostgresOutageTests``.)
@Suite(.enabled(if: PostgresCluster.available)) struct PostgresHistorianTests {
    static func options(_ cluster: PostgresCluster, spool: String?) -> PostgresHistorian.Options {
        var options = PostgresHistorian.Options()
        options.password = cluster.password
        options.spoolPath = spool
        return options
    }

    static func spoolPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-spool-\(UUID()).sqlite").path
    }

    @Test func migrationsAreVersionedAndRunOnceAtStart() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.freshDatabase()
        // A database an older Geolith made (version 1 only), with a plant in it.
        let sessions = try PostgresSessions(location: database, password: cluster.password, timeout: .seconds(10))
        defer { sessions.close() }
        #expect(try PostgresSchema.migrate(sessions, upTo: 1) == [1])
        _ = try cluster.psql("INSERT INTO plants (key) VALUES ('old')", database: database.database)
        #expect(try cluster.psql("SELECT to_regclass('plant_status') IS NULL", database: database.database) == "t\n")
        // Opening migrates what is missing, once.
        let spool = Self.spoolPath()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let first = try PostgresHistorian(location: database, plant: "new", options: Self.options(cluster, spool: spool))
        try first.close()
        let applied = try cluster.psql("SELECT version, applied FROM schema_migrations ORDER BY version", database: database.database)
        #expect(applied.split(separator: "\n").map { $0.split(separator: "|")[0] } == ["1", "2", "3"])
        let again = try PostgresHistorian(location: database, plant: "new", options: Self.options(cluster, spool: spool))
        try again.close()
        #expect(try cluster.psql("SELECT version, applied FROM schema_migrations ORDER BY version", database: database.database) == applied)
        #expect(try cluster.psql("SELECT string_agg(key, ',' ORDER BY key) FROM plants", database: database.database) == "new,old\n")
    }

    /// The day partitions of a plant's samples: today and the days ahead at start, old days when written to, dropped
    /// (and only those, and only that plant's) by retention.
    @Test func partitionsByPlantAndDayAreCreatedAheadAndDroppedByRetention() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.freshDatabase()
        let spools = [Self.spoolPath(), Self.spoolPath()]
        defer { for spool in spools { try? FileManager.default.removeItem(atPath: spool) } }
        let a = try PostgresHistorian(location: database, plant: "a", options: Self.options(cluster, spool: spools[0]))
        let b = try PostgresHistorian(location: database, plant: "b", options: Self.options(cluster, spool: spools[1]))
        defer { try? a.close(); try? b.close() }
        func partitions(_ plant: String) throws -> [String] {
            try cluster.psql("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                JOIN plants k ON p.relname = 'samples_p' || k.id WHERE k.key = '\(plant)' ORDER BY 1
                """, database: database.database).split(separator: "\n").map { String($0.split(separator: "_d").last!) }
        }
        let today = PostgresPartitions.day(of: Int64(Date().timeIntervalSince1970 * 1000))
        let ahead = (today...(today + 2)).map(PostgresPartitions.dayName)
        #expect(try partitions("a") == ahead)
        let day: Int64 = 86_400_000
        for store in [a, b] {
            store.append((0..<3).map { Sample(series: "X", time: (today - 10 + Int64($0)) * day + 3_600_000, value: Double($0)) })
            try store.flush()
        }
        let old = ((today - 10)...(today - 8)).map(PostgresPartitions.dayName)
        #expect(try partitions("a") == old + ahead)
        // Retention up to the middle of the second old day: the first day goes, the second (not all older) stays.
        try a.deleteOlder(than: (today - 9) * day + 43_200_000)
        #expect(try partitions("a") == Array(old.dropFirst()) + ahead)
        #expect(try partitions("b") == old + ahead, "another plant's partitions are left alone")
        #expect(try a.samples("X", from: 0, to: .max).count == 2 && (try b.samples("X", from: 0, to: .max).count) == 3)
        // Upkeep a week on creates that week's days ahead.
        try a.maintain(at: (today + 7) * day)
        #expect(try partitions("a").suffix(3) == ((today + 7)...(today + 9)).map(PostgresPartitions.dayName))
    }

    /// A batch the server committed but the writer did not hear of (a timeout, a kill before the spool forgot it) is
    /// sent again: it is stored once, events and all.
    @Test func aBatchSentAgainIsStoredOnce() throws {
        let cluster = try PostgresCluster.shared()
        let spool = Self.spoolPath()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let historian = try PostgresHistorian(location: cluster.location, plant: "again-\(UUID().uuidString.prefix(8))",
                                              options: Self.options(cluster, spool: spool))
        defer { try? historian.close() }
        var batch = HistorianBatch(writer: UUID(), sequence: 1)
        batch.samples = (0..<10).map { Sample(series: "A", time: Int64($0) * 1000, value: 1) }
        batch.events = [JournalEvent(time: 5, kind: .device, source: "d", message: "up")]
        var next = HistorianBatch(writer: batch.writer, sequence: 2)
        next.samples = [Sample(series: "A", time: 10_000, value: 2)]
        try historian.write([batch], snapshot: nil)
        try historian.write([batch, next], snapshot: nil)   // the first again, and a new one
        try historian.write([batch], snapshot: nil)
        #expect(try historian.samples("A", from: 0, to: .max).map(\.time) == (0...10).map { Int64($0) * 1000 })
        #expect(try historian.events(from: 0, to: .max).count == 1)
    }

    @Test func aWrongPasswordOrPlantIsAClearError() throws {
        let cluster = try PostgresCluster.shared()
        var options = PostgresHistorian.Options()
        options.password = "not-the-password"
        #expect {
            _ = try PostgresHistorian(location: cluster.location, plant: "x", options: options)
        } throws: { error in
            let text = PostgresHistorianError.describe(error)
            return text.contains("password authentication failed") && !text.contains("not-the-password")
        }
        let spool = Self.spoolPath()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let writer = try PostgresHistorian(location: cluster.location, plant: "known-\(UUID().uuidString.prefix(6))",
                                           options: Self.options(cluster, spool: spool))
        try writer.close()
        #expect {
            _ = try PostgresHistorian(location: cluster.location, plant: "unknown", options: Self.options(cluster, spool: nil))
        } throws: { error in
            "\(error)".contains("no plant \"unknown\"") && "\(error)".contains(writer.plantKey)
        }
    }
}
