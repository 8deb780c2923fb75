import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Testing

/// An operator's first description: only `id`, `name` and `devices`. `check-config` passes it and says what is off;
/// `monitor` polls it, serves it and stores it; the process model refuses it, saying why.
@Suite(.serialized) struct MonitoringOnlyCLITests {
    /// The demo plant's description with its Modbus ports moved to free ones, and its devices alone.
    static func descriptions() throws -> (full: String, devicesOnly: String) {
        var text = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("PlantConfigs/demo.yaml"),
                              encoding: .utf8)
        for port in 15010...15012 { text = text.replacingOccurrences(of: "port: \(port)", with: "port: \(try DocRunner.freePort())") }
        let devices = text[text.range(of: "\ndevices:\n")!.lowerBound...]
        return (text, "id: wellhead-meters\nname: Devices only\n" + devices)
    }

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-\(UUID())-\(name)")
    }

    static func get(_ url: URL) -> (status: Int, body: String)? {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String)?
        URLSession.shared.dataTask(with: url) { data, response, _ in
            if let response = response as? HTTPURLResponse {
                result = (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self))
            }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return result
    }

    @Test func checkConfigPassesItAndSaysWhatIsOff() throws {
        let file = Self.temporary("devices.yaml")
        try Self.descriptions().devicesOnly.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try GeolithBinary.run(["check-config", file.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(": OK: Devices only (wellhead-meters): 3 devices, 49 tags"), "\(result.stdout)")
        #expect(result.stdout.contains("monitoring only: no site, brine, wells, process"), "\(result.stdout)")
        #expect(result.stdout.contains("soft sensors: 12 of 14 on"), "\(result.stdout)")
        #expect(result.stdout.contains("projected_product, refining_utilisation (needs the process: section"), "\(result.stdout)")
    }

    @Test func theProcessModelRefusesItSayingWhy() throws {
        let file = Self.temporary("devices.yaml")
        try Self.descriptions().devicesOnly.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try GeolithBinary.run(["estimate", file.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("monitoring only"), "\(result.stderr)")
        #expect(!result.stderr.contains("Error Domain"), "\(result.stderr)")
    }

    @Test func monitorPollsServesAndStoresIt() throws {
        let (full, devicesOnly) = try Self.descriptions()
        let plantFile = Self.temporary("demo.yaml"), file = Self.temporary("devices.yaml"), db = Self.temporary("m.sqlite")
        try full.write(to: plantFile, atomically: true, encoding: .utf8)
        try devicesOnly.write(to: file, atomically: true, encoding: .utf8)
        defer {
            for url in [plantFile, file] { try? FileManager.default.removeItem(at: url) }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db.path + suffix) }
        }
        let simulator = try DaemonTests.Child(["simulate", plantFile.path])
        defer { if simulator.process.isRunning { simulator.signal(SIGKILL) } }
        #expect(simulator.waitFor { $0.contains("demo-refinery on tcp://") }, "\(simulator.text)")
        let monitor = try DaemonTests.Child(["monitor", file.path, "--db", db.path, "--http", "127.0.0.1:0", "--batch-ms", "100"])
        defer { if monitor.process.isRunning { monitor.signal(SIGKILL) } }
        #expect(monitor.waitFor { $0.contains("dashboard url=") }, "\(monitor.text)")
        // Said once at start: what the description leaves off.
        #expect(monitor.text.contains("monitoring only"), "\(monitor.text)")
        #expect(monitor.text.contains("soft sensors: 12 of 14 on"), "\(monitor.text)")
        let url = try #require(monitor.text.firstMatch(of: /url=(http:\/\/127\.0\.0\.1:\d+\/)/).map { String($0.1) })
        // Polled and served: the flow meter's value reaches the API with good quality.
        let deadline = Date().addingTimeInterval(20)
        var tag = ""
        while Date() < deadline {
            tag = Self.get(URL(string: url + "api/v1/tags/PW1.FT101")!)?.body ?? ""
            if tag.contains("\"quality\":{\"good\":true,") { break }
            usleep(200_000)
        }
        #expect(tag.contains("\"quality\":{\"good\":true,"), "\(tag)\n\(monitor.text)")
        let plant = Self.get(URL(string: url + "api/v1/plant")!)
        #expect(plant?.status == 200)
        #expect(plant?.body.contains("\"site\":null") == true, "\(plant?.body ?? "")")
        monitor.signal(SIGTERM)
        #expect(monitor.waitForExit() == 0, "\(monitor.text)")
        simulator.signal(SIGINT)
        _ = simulator.waitForExit()
        // Stored: the historian holds the flow meter's samples.
        let stored = try DatabaseQueue(path: db.path).read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM samples WHERE series = s.id) + (SELECT COUNT(*) FROM recent WHERE series = s.id)
                FROM series s WHERE s.name = 'PW1.FT101'
                """) ?? 0
        }
        #expect(stored > 0)
    }
}
