import Foundation
import GRDB
import Historian
import Testing

/// The daemon against a careless user and a hostile file (issue 20, points 3, 4 and 5): reloads keep the HTTP
/// listener, `--http :PORT` listens everywhere and says so, `--db` refuses devices and directories, a clean stop
/// leaves the `.sqlite` file complete, and a rejected alias bomb costs neither time nor memory.
@Suite(.serialized) struct DaemonHardeningTests {
    typealias Child = DaemonTests.Child

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-\(UUID())-\(name)")
    }

    /// The demo plant with its devices on port 1 (nobody listens: they stay down, harmlessly).
    static func plantFile() throws -> (URL, String) {
        let config = temporary("plant.yaml")
        let text = try String(contentsOf: GeolithBinary.repositoryRoot.appendingPathComponent("PlantConfigs/demo.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "port: 150", with: "port: 1")
        try text.write(to: config, atomically: true, encoding: .utf8)
        return (config, text)
    }

    /// One HTTP GET on 127.0.0.1 over a plain socket: the status code, or nil when the connection is refused.
    static func status(port: Int, _ path: String) -> Int? { response(port: port, path)?.status }

    /// One HTTP GET on 127.0.0.1 over a plain socket, the path sent as it is (no client library rewrites it): the
    /// status and the body, or nil when the connection is refused or no answer comes within 5 s.
    static func response(port: Int, _ path: String) -> (status: Int, body: String)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 "), let status = Int(text.dropFirst(9).prefix(3)) else { return nil }
        return (status, text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? "")
    }

    /// The port in the daemon's `dashboard url=http://host:PORT/` line.
    static func port(in text: String) -> Int? {
        guard let range = text.range(of: "url=http://") ?? text.range(of: "url=\"http://") else { return nil }
        let rest = text[range.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        return Int(rest[rest.index(after: colon)...].prefix { $0.isNumber })
    }

    @Test func reloadsKeepTheHTTPListener() throws {
        let (config, _) = try Self.plantFile()
        let db = Self.temporary("reload.sqlite")
        defer { for path in [config.path, db.path, db.path + "-wal", db.path + "-shm"] { try? FileManager.default.removeItem(atPath: path) } }
        let child = try Child(["monitor", config.path, "--db", db.path, "--http", "127.0.0.1:0"])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(child.waitFor { Self.port(in: $0) != nil }, "\(child.text)")
        let port = try #require(Self.port(in: child.text))
        var answered = 0, refused = 0
        for reload in 1...10 {
            child.signal(SIGHUP)
            // Health polls while the reload happens: every one answered by the same listener.
            let deadline = Date().addingTimeInterval(10)
            while child.text.components(separatedBy: "configuration reloaded").count <= reload, Date() < deadline {
                if Self.status(port: port, "/healthz") == 200 { answered += 1 } else { refused += 1 }
            }
        }
        #expect(child.text.components(separatedBy: "configuration reloaded").count == 11, "\(child.text.suffix(2000))")
        #expect(refused == 0 && answered > 0, "\(answered) answered, \(refused) refused over 10 reloads")
        #expect(child.text.components(separatedBy: "msg=dashboard").count == 2, "the listener started once: \(child.text.suffix(2000))")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "\(child.text.suffix(1000))")
    }

    /// `GET /api/v1/tags` writes each tag's static parts once per loaded plant: after a SIGHUP with a new
    /// description and new limits, the list shows them.
    @Test func tagListAfterReloadShowsNewDescriptionsAndLimits() throws {
        let (config, text) = try Self.plantFile()
        let db = Self.temporary("reload-tags.sqlite")
        defer { for path in [config.path, db.path, db.path + "-wal", db.path + "-shm"] { try? FileManager.default.removeItem(atPath: path) } }
        let child = try Child(["monitor", config.path, "--db", db.path, "--http", "127.0.0.1:0"])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(child.waitFor { Self.port(in: $0) != nil }, "\(child.text)")
        let port = try #require(Self.port(in: child.text))
        func flowTag() throws -> [String: Any] {
            let body = try #require(Self.response(port: port, "/api/v1/tags")).body
            let tags = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
            return try #require(tags.first { $0["name"] as? String == "PW1.FT101" })
        }
        let before = try flowTag()
        #expect(before["description"] as? String == "Production brine flow")
        #expect((before["limits"] as? [String: Any])?["H"] as? Double == 31.2)
        let changed = text.replacingOccurrences(of: #"description: "Production brine flow","#, with: #"description: "Brine flow, reloaded","#)
            .replacingOccurrences(of: "low: 12.0, high: 31.2,", with: "low: 12.0, high: 30.5,")
        #expect(changed.contains("Brine flow, reloaded") && changed.contains("high: 30.5,"))
        try changed.write(to: config, atomically: true, encoding: .utf8)
        child.signal(SIGHUP)
        #expect(child.waitFor { $0.contains("configuration reloaded") }, "\(child.text.suffix(2000))")
        // The log line comes just before the new state is swapped in.
        #expect(Self.eventually { (try? flowTag())?["description"] as? String == "Brine flow, reloaded" }, "\(child.text.suffix(2000))")
        let after = try flowTag()
        #expect((after["limits"] as? [String: Any])?["H"] as? Double == 30.5)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "\(child.text.suffix(1000))")
    }

    @Test func emptyHostListensOnEveryInterfaceAndSaysSo() throws {
        let (config, _) = try Self.plantFile()
        let db = Self.temporary("all.sqlite")
        defer { for path in [config.path, db.path, db.path + "-wal", db.path + "-shm"] { try? FileManager.default.removeItem(atPath: path) } }
        let child = try Child(["monitor", config.path, "--db", db.path, "--http", ":0"])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(child.waitFor { Self.port(in: $0) != nil && $0.contains("all interfaces") }, "\(child.text)")
        #expect(child.text.contains("url=http://0.0.0.0:"), "\(child.text)")
        let port = try #require(Self.port(in: child.text))
        #expect(Self.status(port: port, "/healthz") == 200)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }

    @Test func dbRefusesDevicesAndDirectories() throws {
        let (config, _) = try Self.plantFile()
        defer { try? FileManager.default.removeItem(at: config) }
        // Exit statuses of their kind (docs/operator.md): 66 not a file, 73 cannot be created.
        for (db, what, status) in [("/dev/null", "character device", Int32(66)), (FileManager.default.temporaryDirectory.path, "directory", 66),
                                   ("/nonexistent-folder/x.sqlite", "does not exist", 73)] {
            let result = try GeolithBinary.run(["monitor", config.path, "--db", db, "--http", "off"])
            #expect(result.status == status, "\(db): \(result.stderr)")
            #expect(!result.stderr.contains("ExitCode"), "\(db): \(result.stderr)")
            #expect(result.stderr.contains(db) && result.stderr.contains(what), "\(db): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal") && !FileManager.default.fileExists(atPath: "/dev/null-wal"))
    }

    /// Polls `condition` until it holds or `deadline` passes.
    static func eventually(_ deadline: Duration = .seconds(10), every interval: Duration = .milliseconds(50),
                           _ condition: () -> Bool) -> Bool {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if condition() { return true }
            usleep(UInt32(interval / .microseconds(1)))
        }
        return condition()
    }

    @Test func aCleanStopLeavesTheSqliteFileComplete() throws {
        let (config, _) = try Self.plantFile()
        let db = Self.temporary("clean.sqlite")
        let copy = Self.temporary("copy.sqlite")
        defer {
            for path in [config.path, db.path, db.path + "-wal", db.path + "-shm", copy.path] { try? FileManager.default.removeItem(atPath: path) }
        }
        let child = try Child(["monitor", config.path, "--db", db.path, "--batch-ms", "100", "--http", "off"])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(child.waitFor { $0.contains("device down") }, "\(child.text)")
        // Samples committed (the bad ones of the down device, in the WAL) before the stop.
        #expect(Self.eventually { ((try? FileManager.default.attributesOfItem(atPath: db.path + "-wal")[.size] as? Int) ?? 0) > 0 },
                "nothing was written to \(db.path)-wal")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "\(child.text.suffix(1000))")
        // The .sqlite file alone, as a backup copying only it would take.
        try FileManager.default.copyItem(at: db, to: copy)
        let (samples, runs) = try DatabaseQueue(path: copy.path).read { db in
            (try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM recent)") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM runs WHERE ended IS NOT NULL") ?? 0)
        }
        #expect(samples > 0 && runs == 1, "samples \(samples), ended runs \(runs) in the .sqlite file alone")
        let wal = (try? FileManager.default.attributesOfItem(atPath: db.path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0, "the WAL is emptied: \(wal) bytes")
    }

    @Test func aRejectedAliasBombCostsNeitherTimeNorMemory() throws {
        let (config, good) = try Self.plantFile()
        let db = Self.temporary("bomb.sqlite")
        defer { for path in [config.path, db.path, db.path + "-wal", db.path + "-shm"] { try? FileManager.default.removeItem(atPath: path) } }
        let child = try Child(["monitor", config.path, "--db", db.path, "--http", "off"])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(child.waitFor { $0.contains("monitor starting") })
        // The baseline once the start-up has settled: two readings 200 ms apart within 1 MB.
        var last = Self.residentKilobytes(child.process.processIdentifier) ?? 0
        #expect(Self.eventually(every: .milliseconds(200)) {
            let now = Self.residentKilobytes(child.process.processIdentifier) ?? 0
            defer { last = now }
            return now > 0 && abs(now - last) < 1_000
        }, "the resident set did not settle")
        let before = try #require(Self.residentKilobytes(child.process.processIdentifier))
        // Ten nested anchors of nine aliases each: 9^10 ≈ 3.5 billion nodes once expanded.
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...10 {
            bomb += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        try (good + "\n" + bomb).write(to: config, atomically: true, encoding: .utf8)
        let start = Date()
        child.signal(SIGHUP)
        #expect(child.waitFor(10) { $0.contains("new configuration rejected") }, "\(child.text.suffix(1000))")
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(child.text.contains("aliases expand this document"), "\(child.text.suffix(1000))")
        let after = try #require(Self.residentKilobytes(child.process.processIdentifier))
        #expect(after - before < 20_000, "resident set \(before) kB before the rejected file, \(after) kB after")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }

    /// Every daemon's systemd unit raises the file limit above the connection limit with the reserve (issue 20,
    /// point 3: 1,100 idle connections under the default 1,024 once left the pollers no socket).
    @Test func everySystemdUnitRaisesTheFileLimit() throws {
        let folder = GeolithBinary.repositoryRoot.appendingPathComponent("deploy")
        let units = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".service") }.sorted()
        #expect(units == ["geolith-fleet.service", "geolith-monitor.service"])
        for unit in units {
            let text = try String(contentsOf: folder.appendingPathComponent(unit), encoding: .utf8)
            let limit = text.split(separator: "\n").first { $0.hasPrefix("LimitNOFILE=") }.flatMap { Int($0.dropFirst(12)) }
            // HTTPConfiguration's defaults: 256 connections, 64 descriptors reserved.
            let reserve = 64, connections = 256
            #expect((limit ?? 0) >= 4 * (connections + reserve), "\(unit): LimitNOFILE=\(String(describing: limit))")
        }
    }

    static func residentKilobytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
}
