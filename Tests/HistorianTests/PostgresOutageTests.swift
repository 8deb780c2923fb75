import Foundation
import Historian
import HistorianPostgres
import PlantConfig
import PostgresTestSupport
import Synchronization
import Testing

/// The server goes away while a plant writes: batches go to the spool, the historian says it is behind, and when
/// the server is back the spool drains in order; every sample arrives once. A full spool refuses batches and says
/// so; nothing crashes.
@Suite(.serialized, .enabled(if: PostgresCluster.available)) struct PostgresOutageTests {
    /// Writes 50 series × 1 sample every 100 ms (times 1 s apart), flushing each time, until stopped.
    final class Writer: Sendable {
        let historian: any HistoryStore
        let series = 50
        private let written = Atomic<Int>(0)
        private let stopping = Atomic<Bool>(false)
        private let finished = DispatchSemaphore(value: 0)

        init(_ historian: any HistoryStore) { self.historian = historian }

        var batches: Int { written.load(ordering: .relaxed) }

        func start() {
            Thread { [self] in
                var step = 0
                while !stopping.load(ordering: .relaxed) {
                    historian.append((0..<series).map { Sample(series: "S\($0)", time: 1_767_225_600_000 + Int64(step) * 1000, value: Double(step)) })
                    _ = try? historian.flush()
                    step += 1
                    written.store(step, ordering: .relaxed)
                    usleep(100_000)
                }
                finished.signal()
            }.start()
        }

        func stop() {
            stopping.store(true, ordering: .relaxed)
            finished.wait()
        }
    }

    static func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    /// PostgreSQL stopped for 30 s during ingest and started again.
    @Test func theServerStoppedFor30SecondsLosesNothingAndDrainsInOrder() throws {
        let cluster = try PostgresCluster.start("outage")
        defer { cluster.destroy() }
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-outage-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: spool + suffix) } }
        var options = PostgresHistorian.Options()
        options.password = cluster.password
        options.spoolPath = spool
        options.timeout = .seconds(2)
        let historian = try PostgresHistorian(location: cluster.location, plant: "outage", options: options)
        defer { try? historian.close() }
        let writer = Writer(historian)
        writer.start()
        #expect(Self.waitUntil(10) { writer.batches >= 20 })
        #expect(!historian.status.behind)

        try cluster.stop()
        let stopped = Date()
        #expect(Self.waitUntil(10) { historian.status.behind && historian.status.spooledSamples > 0 }, "\(historian.status)")
        Thread.sleep(until: stopped.addingTimeInterval(30))
        let spooled = historian.status.spooledSamples
        #expect(spooled >= 20 * writer.series * 10, "about 30 s of batches wait in the spool: \(historian.status)")
        try cluster.restart()

        // While it drains, the server holds a prefix of every series: batches arrive in order, none skipped.
        func counts() throws -> [(count: Int, span: Int)] {
            try cluster.psql("""
                SELECT count(*), (extract(epoch FROM max(time) - min(time)))::int FROM samples_named
                WHERE plant = 'outage' GROUP BY series ORDER BY series
                """).split(separator: "\n").map { line in
                let fields = line.split(separator: "|")
                return (Int(fields[0])!, Int(fields[1])!)
            }
        }
        var observations = 0
        let drained = try Self.waitUntil(60) {
            let seen = try counts()
            observations += 1
            #expect(seen.allSatisfy { $0.count == $0.span + 1 }, "a gap in what the server holds while draining: \(seen.prefix(3))")
            return !historian.status.behind
        }
        #expect(drained, "the spool drained: \(historian.status)")
        writer.stop()
        try historian.flush()
        let total = writer.batches * writer.series
        let status = historian.status
        #expect(status.acknowledgedSamples == total && status.committedSamples == total && status.droppedSamples == 0, "\(status)")
        let final = try counts()
        #expect(final.count == writer.series && final.allSatisfy { $0.count == writer.batches && $0.span == writer.batches - 1 },
                "every sample once: \(final.prefix(3)), \(writer.batches) batches")
        #expect(observations > 1)
    }

    /// No server at all and a small spool: batches are refused once it is full, counted, and nothing crashes.
    @Test func aFullSpoolRefusesBatchesAndCountsThem() throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-full-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: spool + suffix) } }
        var options = PostgresHistorian.Options()
        options.spoolPath = spool
        options.spoolLimitBytes = 64 * 1024
        options.timeout = .seconds(1)
        // A port nobody listens on (the cluster script's way of finding one, without starting a server).
        let location = try PostgresLocation(url: "postgres://geolith@127.0.0.1:9/geolith?sslmode=disable")
        let historian = try PostgresHistorian(location: location, plant: "nowhere", options: options)
        defer { try? historian.close() }
        #expect(historian.status.behind, "unreachable at start: spooling")
        var acknowledged = 0
        for step in 0..<40 {
            historian.append((0..<100).map { Sample(series: "S\($0)", time: Int64(step) * 1000, value: 1) })
            acknowledged += try historian.flush()
        }
        let status = historian.status
        #expect(status.spoolFull && status.droppedSamples > 0 && status.spoolBytes <= 64 * 1024, "\(status)")
        #expect(status.acknowledgedSamples == acknowledged && acknowledged + status.droppedSamples == 4000)
        #expect(status.spooledSamples == acknowledged && status.committedSamples == 0)
        #expect(status.lastError != nil)
    }
}
