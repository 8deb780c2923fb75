import Foundation
@testable import Historian
import PlantConfig
import RegisterVocabulary
import Testing

/// The spool a server's backend keeps while the server is away, and the `--db` values that name a backend.
@Suite struct HistorianSpoolTests {
    static func batch(_ sequence: Int64, samples: Int, writer: UUID = UUID()) -> HistorianBatch {
        var batch = HistorianBatch(writer: writer, sequence: sequence)
        batch.samples = (0..<samples).map { (i: Int) -> Sample in
            let value: Double = i % 5 == 0 ? .nan : Double(i) / 3
            let quality: Quality = i % 3 == 0 ? .bad(.exception, detail: 2) : .good
            return Sample(series: "S\(i % 7)", time: sequence * 1000 + Int64(i), value: value, quality: quality)
        }
        batch.series = [SeriesInfo(name: "S0", kind: .kpi, unit: "°C", device: "d")]
        batch.events = [JournalEvent(time: 5, kind: .alarm, source: "S0:HH", message: "raised: ä", detail: .text("{\"a\":1}"), user: "op")]
        batch.runs = [RunInfo(id: 9, kind: .monitor, plant: "p", started: 1, ended: 2, config: "id: p")]
        return batch
    }

    static func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-spool-\(UUID()).sqlite").path
    }

    @Test func aBatchSurvivesEncodingBitForBit() throws {
        let original = Self.batch(42, samples: 1000)
        let decoded = try HistorianBatch(decoding: try original.encoded())
        #expect(decoded.writer == original.writer && decoded.sequence == 42)
        #expect(decoded.samples.count == 1000)
        for (a, b) in zip(decoded.samples, original.samples) {
            #expect(a.series == b.series && a.time == b.time && a.quality == b.quality && a.value.bitPattern == b.value.bitPattern)
        }
        #expect(decoded.series == original.series && decoded.events == original.events && decoded.runs == original.runs)
        var truncated = try original.encoded()
        truncated.removeLast(10)
        #expect(throws: SpoolError.self) { try HistorianBatch(decoding: truncated) }
    }

    @Test func batchesComeOutInOrderAndSurviveReopening() throws {
        let path = Self.temporary()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let spool = try HistorianSpool(path: path, limitBytes: 1 << 30, identity: "plant a at x")
            for sequence in 1...5 { #expect(try spool.append(Self.batch(Int64(sequence), samples: 100))) }
            #expect(spool.totals.batches == 5 && spool.totals.samples == 500)
            try spool.close()
        }
        let spool = try HistorianSpool(path: path, limitBytes: 1 << 30, identity: "plant a at x")
        #expect(spool.totals.batches == 5, "what was spooled is there after reopening")
        let first = try spool.oldest(limit: 10, maxSamples: 250)
        #expect(first.map(\.batch.sequence) == [1, 2], "at most 250 samples: two batches of 100")
        try spool.remove(through: first.last!.id)
        #expect(try spool.oldest(limit: 10, maxSamples: 1_000_000).map(\.batch.sequence) == [3, 4, 5])
        #expect(spool.totals.batches == 3 && spool.totals.samples == 300)
        // A spool holding another plant's batches is refused, with what it holds.
        try spool.close()
        #expect {
            _ = try HistorianSpool(path: path, limitBytes: 1 << 30, identity: "plant b at x")
        } throws: { error in
            "\(error)".contains("3 batches for plant a at x, not plant b at x")
        }
    }

    @Test func aFullSpoolRefusesAndAcceptsAgainOnceDrained() throws {
        let path = Self.temporary()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let size = Int64(try Self.batch(1, samples: 1000).encoded().count)
        let spool = try HistorianSpool(path: path, limitBytes: 3 * size + size / 2, identity: "p")
        #expect(try (1...3).allSatisfy { try spool.append(Self.batch(Int64($0), samples: 1000)) })
        #expect(try !spool.append(Self.batch(4, samples: 1000)), "past the bound: refused")
        #expect(spool.totals.full && spool.totals.batches == 3)
        try spool.remove(through: try spool.oldest(limit: 1, maxSamples: 1).last!.id)
        #expect(!spool.totals.full)
        #expect(try spool.append(Self.batch(5, samples: 1000)))
    }

    @Test func dbValuesNameTheBackendAndPasswordsStayOutOfURLs() throws {
        #expect(try HistorianLocation(parsing: "plant.sqlite") == .sqlite(path: "plant.sqlite"))
        guard case .postgres(let server) = try HistorianLocation(parsing: "postgres://geo@db.example:6543/fleet?sslmode=require") else {
            Issue.record("not a server")
            return
        }
        #expect(server.host == "db.example" && server.port == 6543 && server.user == "geo" && server.database == "fleet" && server.tls == .require)
        #expect(server.description == "postgres://geo@db.example:6543/fleet?sslmode=require")
        #expect(try PostgresLocation(url: "postgresql://geo@h/").database == "geo", "the database defaults to the user's name")
        #expect(try PostgresLocation(url: "postgres://geo@%2Fvar%2Frun%2Fpostgresql/db").host == "/var/run/postgresql")
        #expect {
            _ = try HistorianLocation(parsing: "postgres://geo:s3cret@h/db")
        } throws: { error in
            let text = "\(error)"
            return text.contains("--password-file") && !text.contains("s3cret")
        }
        #expect(throws: HistorianLocationError.self) { try HistorianLocation(parsing: "postgres://geo@h:99999/db") }
        #expect(throws: HistorianLocationError.self) { try HistorianLocation(parsing: "postgres://geo@h/db?plant=x") }
        // The password: the first line of a file, else PGPASSWORD, else none.
        let file = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "pa ss\nsecond line\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try PostgresLocation.password(file: file, environment: ["PGPASSWORD": "env"]) == "pa ss")
        #expect(try PostgresLocation.password(file: nil, environment: ["PGPASSWORD": "env"]) == "env")
        #expect(try PostgresLocation.password(file: nil, environment: [:]) == nil)
        try "\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: HistorianLocationError.self) { try PostgresLocation.password(file: file, environment: [:]) }
    }
}
