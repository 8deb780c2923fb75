import ArgumentParser
import CommandSupport
import Foundation
import Historian
import HistorianPostgres

/// `geolith-bench historian --db postgres://…`: the same rows into PostgreSQL four ways, each into a plant of its
/// own (fresh partitions, same table layout), in the same batches: the historian by `COPY` (text, the only form
/// postgres-nio offers) and by one `INSERT … SELECT FROM unnest(…)` of binary arrays per batch, and psql's own `COPY`
/// of the same rows from files, text (the peer) and binary; then the SQLite backend on the same rows.
extension BenchHistorian {
    struct PostgresFigures {
        var copy: [Double] = [], insert: [Double] = [], psqlText: [Double] = [], psqlBinary: [Double] = [], sqlite: [Double] = []
    }

    func runPostgres(_ location: PostgresLocation) async throws {
        let password = try PostgresLocation.password(file: passwordFile)
        let psql = try Self.psqlPath()
        let day = Int64(Date().timeIntervalSince1970 * 1000) / 86_400_000 * 86_400_000
        var figures = PostgresFigures()
        for run in 0..<runs {
            figures.copy.append(try measurePostgresHistorian(location, password: password, start: day, ingest: .copy))
            figures.insert.append(try measurePostgresHistorian(location, password: password, start: day, ingest: .insert))
            figures.psqlText.append(try measurePsql(psql, location, password: password, start: day, binary: false))
            figures.psqlBinary.append(try measurePsql(psql, location, password: password, start: day, binary: true))
            figures.sqlite.append(try measureOurs())
            print("run \(run + 1) of \(runs) done")
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let ours = median(figures.copy), peer = median(figures.psqlText)
        print("\(samples) samples over \(tags) tags, \(batch) per transaction, into \(location) (a fresh plant per method), median of \(runs)")
        print(String(format: "historian → PostgreSQL by COPY (text, the default): %.0f samples/s", ours))
        print(String(format: "historian → PostgreSQL by INSERT … SELECT FROM unnest (binary arrays): %.0f samples/s (%.2f× COPY)",
                     median(figures.insert), median(figures.insert) / ours))
        print(String(format: "psql COPY of the same rows (text, one \\copy per batch): %.0f samples/s; historian/psql %.2f× (target ≥ 0.7×)",
                     peer, ours / peer))
        print(String(format: "psql COPY binary of the same rows: %.0f samples/s; historian/psql binary %.2f×",
                     median(figures.psqlBinary), ours / median(figures.psqlBinary)))
        print(String(format: "historian → SQLite (same rows): %.0f samples/s; PostgreSQL/SQLite %.2f×", median(figures.sqlite),
                     ours / median(figures.sqlite)))
    }

    /// A plant of its own with every tag declared; returns its key.
    private func benchPlant(_ location: PostgresLocation, password: String?, spool: String,
                            ingest: PostgresHistorian.Options.Ingest = .copy) throws -> (String, PostgresHistorian) {
        let key = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        var options = PostgresHistorian.Options()
        options.ingest = ingest
        options.password = password
        options.spoolPath = spool
        options.timeout = .seconds(120)
        let historian = try PostgresHistorian(location: location, plant: key, options: options)
        for tag in 0..<tags { historian.declare(SeriesInfo(name: "T\(tag)")) }
        try historian.flush()
        return (key, historian)
    }

    private func measurePostgresHistorian(_ location: PostgresLocation, password: String?, start: Int64,
                                          ingest: PostgresHistorian.Options.Ingest) throws -> Double {
        let spool = temporaryPath()
        defer { remove(spool) }
        let (_, historian) = try benchPlant(location, password: password, spool: spool, ingest: ingest)
        defer { try? historian.close() }
        let names = (0..<tags).map { "T\($0)" }
        let clock = ContinuousClock()
        let begin = clock.now
        var pending: [Sample] = []
        pending.reserveCapacity(batch)
        for i in 0..<samples {
            pending.append(Sample(series: names[i % tags], time: start + Int64(i / tags) * 1000, value: Double(i % tags) + Double(i / tags)))
            if pending.count >= batch || i == samples - 1 {
                historian.append(pending)
                pending.removeAll(keepingCapacity: true)
                try historian.flush()
            }
        }
        let seconds = (clock.now - begin) / .seconds(1)
        guard !historian.status.behind, historian.status.committedSamples == samples else {
            throw ValidationError("the historian did not commit every sample: \(historian.status)")
        }
        return Double(samples) / seconds
    }

    /// The plant's id and its series' ids by tag number, for the peers that write rows themselves.
    private func ids(_ location: PostgresLocation, password: String?, spool: String) throws -> (plant: Int32, series: [Int32]) {
        let (key, historian) = try benchPlant(location, password: password, spool: spool)
        try historian.close()
        let output = try runPsql(try Self.psqlPath(), location, password: password, arguments: ["-qAtX", "-c", """
            SELECT s.plant, s.id, s.name FROM series s JOIN plants p ON p.id = s.plant WHERE p.key = '\(key)'
            """])
        var plant: Int32 = 0
        var series = [Int32](repeating: 0, count: tags)
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "|")
            guard fields.count == 3, let p = Int32(fields[0]), let id = Int32(fields[1]), let tag = Int(fields[2].dropFirst()) else { continue }
            plant = p
            series[tag] = id
        }
        return (plant, series)
    }

    /// A row's time as `timestamptz` text: the day's date and the time of day to the millisecond.
    private static func timeText(_ ms: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ms / 1000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%03d+00", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, Int(ms % 1000))
    }

    private func measurePsql(_ psql: String, _ location: PostgresLocation, password: String?, start: Int64, binary: Bool) throws -> Double {
        let spool = temporaryPath()
        defer { remove(spool) }
        let (plant, series) = try ids(location, password: password, spool: spool)
        // One file per batch, written before timing; one \copy each, as the historian's transactions.
        var files: [String] = []
        defer { for file in files { try? FileManager.default.removeItem(atPath: file) } }
        var written = 0
        while written < samples {
            let end = min(samples, written + batch)
            let path = temporaryPath() + (binary ? ".bin" : ".tsv")
            files.append(path)
            var data = Data()
            if binary { data.append(contentsOf: Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [UInt8](repeating: 0, count: 8)) }
            for i in written..<end {
                let time = start + Int64(i / tags) * 1000, value = Double(i % tags) + Double(i / tags)
                if binary {
                    Self.field(&data, Int16(5), length: nil)
                    Self.field(&data, plant)
                    Self.field(&data, series[i % tags])
                    Self.field(&data, (time - 946_684_800_000) * 1000)
                    Self.field(&data, value.bitPattern)
                    Self.field(&data, Int32(2))
                } else {
                    data.append(contentsOf: Array("\(plant)\t\(series[i % tags])\t\(Self.timeText(time))\t\(value)\t2\n".utf8))
                }
            }
            if binary { Self.field(&data, Int16(-1), length: nil) }
            try data.write(to: URL(fileURLWithPath: path))
            written = end
        }
        let script = files.map { "\\copy samples (plant, series, time, value, quality) FROM '\($0)'" + (binary ? " WITH (FORMAT binary)" : "") }
            .joined(separator: "\n") + "\n"
        let scriptPath = temporaryPath() + ".psql"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let clock = ContinuousClock()
        let begin = clock.now
        _ = try runPsql(psql, location, password: password, arguments: ["-qX", "-v", "ON_ERROR_STOP=1", "-f", scriptPath])
        return Double(samples) / ((clock.now - begin) / .seconds(1))
    }

    /// A big-endian integer, preceded by its length (a COPY binary field) unless `length` is nil.
    private static func field<T: FixedWidthInteger>(_ data: inout Data, _ value: T, length: Int32? = Int32(MemoryLayout<T>.size)) {
        if let length { withUnsafeBytes(of: length.bigEndian) { data.append(contentsOf: $0) } }
        withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) }
    }

    static func psqlPath() throws -> String {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        for candidate in versions.reversed().map({ "/usr/lib/postgresql/\($0)/bin/psql" }) + ["/usr/bin/psql", "/usr/local/bin/psql"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw ValidationError("psql not found: install Debian's postgresql-client")
    }

    func runPsql(_ psql: String, _ location: PostgresLocation, password: String?, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-h", location.host, "-p", String(location.port), "-U", location.user, "-d", location.database] + arguments
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("psql failed (status \(process.terminationStatus))") }
        return String(decoding: data, as: UTF8.self)
    }
}
