import Foundation
import GRDB
import Historian
import Testing

/// The daemon as operators run it: refuses invalid configs, survives SIGHUP with a broken config, stops
/// cleanly on SIGTERM, and loses at most one batch when killed with SIGKILL during heavy ingest.
@Suite(.serialized) struct DaemonTests {
    /// A running `geolith` process whose stderr and stdout are collected as they come.
    final class Child: @unchecked Sendable {   // Safe: `output` is only touched under `lock`.
        let process = Process()
        private let lock = NSLock()
        private var output = ""

        /// Starts `executable` (the geolith binary unless told otherwise) in `directory` (the repository root unless told
        /// otherwise).
        init(_ arguments: [String], executable: URL = GeolithBinary.url, environment: [String: String]? = nil,
             directory: URL = GeolithBinary.repositoryRoot) throws {
            process.executableURL = executable
            process.arguments = arguments
            if let environment { process.environment = environment }
            process.currentDirectoryURL = directory
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.output += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var text: String { lock.withLock { output } }

        /// Waits until the output satisfies `condition`, at most `timeout` seconds.
        func waitFor(_ timeout: TimeInterval = 20, _ condition: (String) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if condition(text) { return true }
                usleep(20_000)
            }
            return condition(text)
        }

        func waitForExit(_ timeout: TimeInterval = 20) -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            return process.isRunning ? nil : process.terminationStatus
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }
    }

    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-\(UUID())-\(name)")
    }

    @Test func refusesToStartOnAnInvalidConfigListingEveryError() throws {
        let config = temporary("bad.yaml")
        try "id: x\nname: y\ndevices: [{name: d, endpoint: {protocol: tcp, host: h, port: 99999}}]\nbogus: 1\n"
            .write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }
        let result = try GeolithBinary.run(["monitor", config.path, "--db", temporary("x.sqlite").path])
        #expect(result.status == 65, "an invalid description exits 65 in every command")
        // Errors go to standard error, every one of them.
        #expect(result.stderr.contains("port"), "\(result.stderr)")
        #expect(result.stderr.contains("bogus"), "\(result.stderr)")
    }

    @Test func sighupWithABrokenConfigKeepsTheRunningOneThenSigtermFlushes() throws {
        let config = temporary("plant.yaml")
        let good = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("PlantConfigs/demo.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "port: 150", with: "port: 1")   // nobody listens: devices stay down, harmlessly
        try good.write(to: config, atomically: true, encoding: .utf8)
        let db = temporary("monitor.sqlite")
        defer {
            try? FileManager.default.removeItem(at: config)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db.path + suffix) }
        }
        let child = try Child(["monitor", config.path, "--db", db.path, "--batch-ms", "100", "--http", "127.0.0.1:0"])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }   // never leave a daemon behind
        #expect(child.waitFor { $0.contains("monitor starting") })
        try good.replacingOccurrences(of: "type: float32", with: "type: float33").write(to: config, atomically: true, encoding: .utf8)
        child.signal(SIGHUP)
        #expect(child.waitFor { $0.contains("new configuration rejected") }, "\(child.text)")
        #expect(child.process.isRunning)
        try good.write(to: config, atomically: true, encoding: .utf8)
        child.signal(SIGHUP)
        #expect(child.waitFor { $0.contains("configuration reloaded") }, "\(child.text)")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "\(child.text)")
        #expect(child.text.contains("historian flushed"))
        let events = try DatabaseQueue(path: db.path).read { try String.fetchAll($0, sql: "SELECT message FROM events WHERE kind = 'config'") }
        #expect(events.count == 2 && events[1].hasPrefix("reloaded"), "\(events)")
    }

    @Test func killDuringHeavyIngestLosesAtMostOneBatch() throws {
        let db = temporary("crash.sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db.path + suffix) } }
        let child = try Child(["historian", "--crash-test", db.path], executable: GeolithBinary.benchURL)
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(child.waitFor { $0.components(separatedBy: "flushed").count > 20 }, "\(child.text.suffix(300))")
        child.signal(SIGKILL)
        _ = child.waitForExit()
        // Everything the writer reported as committed before the kill is there, and the file is sound.
        let reported = child.text.split(separator: "\n").compactMap { line -> Int? in
            line.hasPrefix("flushed ") ? Int(line.dropFirst(8)) : nil
        }.max() ?? 0
        let queue = try DatabaseQueue(path: db.path)
        // Batches of 10,000 land in `recent` first: what the kill left there is committed and counts.
        let (integrity, count) = try queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM samples) + (SELECT COUNT(*) FROM recent)") ?? 0)
        }
        #expect(integrity == "ok")
        #expect(count >= reported, "committed \(reported), found \(count)")
        #expect(count <= reported + 10_000, "at most the batch in flight beyond what was reported")
        // Opening it as a historian moves `recent` into `samples`, losing nothing.
        try queue.close()
        _ = try SQLiteHistorian(path: db.path)
        let moved = try DatabaseQueue(path: db.path).read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM samples") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recent") ?? -1)
        }
        #expect(moved == (count, 0), "samples and recent after reopening: \(moved), \(count) committed")
    }
}
