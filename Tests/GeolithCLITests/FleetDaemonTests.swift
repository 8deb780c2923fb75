import Foundation
import Historian
import HistorianPostgres
import PostgresTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Plant daemons on simulators writing into one PostgreSQL database, as a fleet runs them: the fleet view shows
/// every plant, and a daemon killed with SIGKILL loses nothing it had reported acknowledged.
@Suite(.serialized, .enabled(if: PostgresCluster.available)) struct FleetDaemonTests {
    typealias Child = DaemonTests.Child

    /// A copy of the demo plant with its own id and free ports; the files are removed with the folder.
    static func plantFile(_ id: String, in folder: URL) throws -> URL {
        var text = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("PlantConfigs/demo.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "id: demo\n", with: "id: \(id)\n")
            .replacingOccurrences(of: "name: Geolith demo plant", with: "name: Plant \(id)")
        for port in ["15010", "15011", "15012"] { text = text.replacingOccurrences(of: "port: \(port)}", with: "port: \(try freePort())}") }
        let file = folder.appendingPathComponent("\(id).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func get(_ url: String) async throws -> (status: Int, body: Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    static func json(_ url: String) async throws -> Any {
        try JSONSerialization.jsonObject(with: try await get(url).body)
    }

    /// The port a daemon logged for its HTTP server (`url=http://127.0.0.1:PORT/`).
    static func port(_ child: Child) -> Int? {
        guard let range = child.text.range(of: "url=http://127.0.0.1:") else { return nil }
        return Int(child.text[range.upperBound...].prefix { $0.isNumber })
    }

    static func waitUntil(_ seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return try await condition()
    }

    @Test func threePlantDaemonsWriteIntoOneDatabaseAndTheFleetViewShowsThemAll() async throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.freshDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-fleet-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let passwordFile = folder.appendingPathComponent("password").path
        try cluster.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        var children: [Child] = []
        defer { for child in children where child.process.isRunning { child.signal(SIGKILL) } }
        let url = "\(database)"
        for id in ["fleet-a", "fleet-b", "fleet-c"] {
            let file = try Self.plantFile(id, in: folder)
            children.append(try Child(["simulate", file.path]))
            children.append(try Child(["monitor", file.path, "--db", url, "--password-file", passwordFile, "--spool",
                                       folder.appendingPathComponent("\(id).spool").path, "--batch-ms", "200",
                                       "--http", "127.0.0.1:0", "--log-level", "trace"]))
        }
        let fleet = try Child(["fleet", "--db", url, "--password-file", passwordFile, "--http", "127.0.0.1:0"])
        children.append(fleet)
        #expect(fleet.waitFor(30) { $0.contains("fleet overview") }, "\(fleet.text)")
        let base = "http://127.0.0.1:\(try #require(Self.port(fleet)))"
        // Every plant, its devices up, KPIs published and samples in the database within seconds.
        var plants: [[String: Any]] = []
        let complete = try await Self.waitUntil(90) {
            plants = (try await Self.json("\(base)/api/v1/plants") as? [[String: Any]]) ?? []
            return plants.count == 3 && plants.allSatisfy { plant in
                (plant["devicesUp"] as? Double) == 3 && (plant["devices"] as? Double) == 3
                    && ((plant["kpis"] as? [Any])?.isEmpty == false) && ((plant["historianLagSeconds"] as? Double).map { $0 < 10 } ?? false)
            }
        }
        #expect(complete, "\(plants)")
        #expect(plants.map { $0["id"] as? String } == ["fleet-a", "fleet-b", "fleet-c"])
        #expect(plants.allSatisfy { ($0["historian"] as? [String: Any])?["behind"] as? Bool == false })
        // Each plant's history, from the database, through the fleet's API.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let series = try await Self.json("\(base)/api/v1/plants/fleet-b/series") as? [[String: Any]] ?? []
        let tag = try #require(series.first { $0["kind"] as? String == "tag" }?["name"] as? String)
        let history = try await Self.json("\(base)/api/v1/plants/fleet-b/tags/\(tag)/history?from=\(now - 600_000)&to=\(now)&maxPoints=100")
        #expect(((history as? [String: Any])?["points"] as? [Any])?.isEmpty == false, "\(history)")
        let events = try await Self.json("\(base)/api/v1/plants/fleet-c/events") as? [[String: Any]] ?? []
        #expect(events.contains { ($0["message"] as? String)?.hasPrefix("loaded fleet-c") == true }, "\(events)")
        #expect(try await Self.get("\(base)/api/v1/plants/nowhere").status == 404)
        let page = String(decoding: try await Self.get("\(base)/").body, as: UTF8.self)
        #expect(page.contains("Geolith fleet") && page.contains("/api/v1/plants"))
        let metrics = String(decoding: try await Self.get("\(base)/metrics").body, as: UTF8.self)
        #expect(metrics.contains("geolith_fleet_plants{} 3") && metrics.contains("geolith_fleet_devices_up{plant=\"fleet-a\"} 3"))
        // A monitor's own API says where its historian is; no output of any daemon holds the password.
        let monitor = children[1]
        let status = try await Self.json("http://127.0.0.1:\(try #require(Self.port(monitor)))/api/v1/historian") as? [String: Any]
        #expect(status?["backend"] as? String == "postgresql" && status?["behind"] as? Bool == false, "\(status ?? [:])")
        for child in children { #expect(!child.text.contains(cluster.password)) }
        for child in children { child.signal(SIGTERM) }
        for child in children { #expect(child.waitForExit(30) == 0, "\(child.text.suffix(500))") }
    }

    /// The server is stopped so that the daemon spools, then the daemon is killed with SIGKILL: what it had reported
    /// acknowledged (on the server or in its spool) is all in the database once the spool is drained.
    @Test func killMinus9LosesNothingItReportedAcknowledged() async throws {
        let cluster = try PostgresCluster.start("kill")
        defer { cluster.destroy() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-kill-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.plantFile("killed", in: folder)
        let spool = folder.appendingPathComponent("killed.spool").path
        let simulator = try Child(["simulate", file.path])
        defer { if simulator.process.isRunning { simulator.signal(SIGKILL) } }
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = cluster.password
        let monitor = try Child(["monitor", file.path, "--db", cluster.url, "--spool", spool, "--batch-ms", "200",
                                 "--db-timeout", "1", "--http", "127.0.0.1:0"], environment: environment)
        defer { if monitor.process.isRunning { monitor.signal(SIGKILL) } }
        #expect(monitor.waitFor(30) { $0.contains("url=http://127.0.0.1:") }, "\(monitor.text)")
        let api = "http://127.0.0.1:\(try #require(Self.port(monitor)))/api/v1/historian"
        func status() async throws -> [String: Any] { try await Self.json(api) as? [String: Any] ?? [:] }
        #expect(try await Self.waitUntil(60) { (try await status()["committedSamples"] as? Double ?? 0) > 500 })
        try cluster.stop()
        var last: [String: Any] = [:]
        let spooling = try await Self.waitUntil(30) {
            last = try await status()
            return last["behind"] as? Bool == true && (last["spooledSamples"] as? Double ?? 0) > 100
        }
        #expect(spooling, "\(last)")
        let reported = try await status()["acknowledgedSamples"] as? Double ?? 0
        monitor.signal(SIGKILL)
        _ = monitor.waitForExit()
        try cluster.restart()
        // The spool the killed daemon left, drained by a historian of the same plant.
        var options = PostgresHistorian.Options()
        options.password = cluster.password
        options.spoolPath = spool
        let drainer = try PostgresHistorian(location: cluster.location, plant: "killed", options: options)
        defer { try? drainer.close() }
        let drained = await Self.waitUntil(60) { !drainer.status.behind }
        #expect(drained, "\(drainer.status)")
        let stored = Double(try cluster.psql("SELECT count(*) FROM samples_named WHERE plant = 'killed'")
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(stored >= reported && reported > 0, "reported \(reported) acknowledged, the database holds \(stored)")
    }
}
