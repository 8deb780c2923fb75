import ArgumentParser
import CommandSupport
import Foundation
import Historian
import HistorianPostgres
import PlantConfig

/// `geolith-bench historian`: historian ingest (samples/s) with batching, against a plain SQLite C loop
/// inserting the same rows in the same layout in the same run.
struct BenchHistorian: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "historian",
        abstract: "Historian ingest in samples/s against a plain SQLite C insert loop (targets ≥ 0.5× and ≥ 500,000/s), or into PostgreSQL against psql's COPY (--db postgres://…, target ≥ 0.7×).")

    @Option(help: "Samples per run.")
    var samples: Int = 1_000_000

    @Option(help: "Tags the samples are spread over (interleaved in time, as a poller produces them).")
    var tags: Int = 1000

    @Option(help: "Samples per transaction (a flush).")
    var batch: Int = 100_000

    @Option(help: "Runs; the median is reported.")
    var runs: Int = 3

    @Option(help: "The C peer (Benchmarks/sqlite-c/build/sqlite-c-bench).")
    var cPeer: String?

    @Option(help: "A PostgreSQL database (postgres://user@host:port/db): measure ingest there against psql's COPY of the same rows.")
    var db: String?

    @Option(help: "PostgreSQL: file whose first line is the password (else PGPASSWORD).")
    var passwordFile: String?

    @Option(help: .hidden)
    var crashTest: String?

    @Option(help: .hidden)
    var spool: String?

    func run() async throws {
        if let crashTest { return try writeUntilKilled(crashTest) }
        if let db {
            guard case .postgres(let location) = try HistorianLocation(parsing: db) else {
                throw ValidationError("--db must be a postgres:// URL (the SQLite figures need no --db)")
            }
            return try await runPostgres(location)
        }
        var ours: [Double] = [], plain: [Double] = []
        for _ in 0..<runs {
            ours.append(try measureOurs())
            if let cPeer { plain.append(try measureC(cPeer)) }
        }
        let o = ours.sorted()[runs / 2]
        print("\(samples) samples over \(tags) tags, \(batch) per transaction, WAL, synchronous=NORMAL, median of \(runs)")
        print(String(format: "historian (GRDB): %.0f samples/s", o))
        if !plain.isEmpty {
            let p = plain.sorted()[runs / 2]
            print(String(format: "plain SQLite C loop: %.0f samples/s; ratio %.2f× (targets ≥ 0.5× and ≥ 500,000/s)", p, o / p))
        }
    }

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-bench-\(UUID()).sqlite").path
    }

    func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func measureOurs() throws -> Double {
        let path = temporaryPath()
        defer { remove(path) }
        let historian = try SQLiteHistorian(path: path)
        let names = (0..<tags).map { "T\($0)" }
        for name in names { historian.declare(SeriesInfo(name: name)) }
        try historian.flush()
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        var time: Int64 = 0
        var pending: [Sample] = []
        pending.reserveCapacity(batch)
        while written < samples {
            for tag in 0..<tags where written < samples {
                pending.append(Sample(series: names[tag], time: time * 1000, value: Double(tag) + Double(time)))
                written += 1
            }
            time += 1
            if pending.count >= batch || written == samples {
                historian.append(pending)
                pending.removeAll(keepingCapacity: true)
                try historian.flush()
            }
        }
        let elapsed = start.duration(to: clock.now)
        return Double(samples) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    private func measureC(_ peer: String) throws -> Double {
        let path = temporaryPath()
        defer { remove(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: peer)
        process.arguments = [path, String(samples), String(tags), String(batch)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard let field = output.split(separator: " ").first(where: { $0.hasPrefix("rate=") }),
              let rate = Double(field.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ValidationError("the C peer printed: \(output)")
        }
        return rate
    }

    /// For the crash test: writes batches of 10,000 samples, flushing every batch and printing the total
    /// acknowledged (committed, or for PostgreSQL in the spool), until killed. `path` is a SQLite file or, with
    /// --spool, a PostgreSQL URL (the plant `crash-test`).
    private func writeUntilKilled(_ path: String) throws {
        var writing = Historians.Writing()
        writing.spoolPath = spool
        writing.passwordFile = passwordFile
        let historian = try Historians.open(try HistorianLocation(parsing: path), plant: "crash-test", writing: writing)
        var total = 0
        var time: Int64 = 0
        while true {
            // 1,000 series, 10 samples each: small batches, which land in `recent` and move every 15 flushes.
            historian.append((0..<10_000).map { Sample(series: "T\($0 % 1000)", time: time + Int64($0 / 1000), value: Double($0)) })
            time += 10
            total += try historian.flush()
            print("flushed \(total)")
            fflush(nil)
        }
    }
}
