import Foundation
import Monitor
import Testing

/// A real Prometheus server (Debian's prometheus package) scrapes a live monitor's /metrics on loopback.
@Suite(.serialized) struct PrometheusScrapeTests {
    static var prometheus: String? {
        ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (for programs that cannot be told to pick port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "no free port: errno \(errno)"])
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Polls `condition` every 200 ms until it returns a value or `timeout` seconds pass.
    static func waitFor<T>(_ timeout: Double, _ condition: () async throws -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if let value = try? await condition() { return value }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try? await condition()
    }

    static func json(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// The `data.result` of an instant query, or nil while it is empty.
    static func query(_ base: String, _ promql: String) async throws -> [[String: Any]]? {
        let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let body = try await LiveMonitor.get("\(base)/api/v1/query?query=\(encoded)").body
        guard let result = (json(body)?["data"] as? [String: Any])?["result"] as? [[String: Any]], !result.isEmpty
        else { return nil }
        return result
    }

    @Test(
        .enabled(if: prometheus != nil, "prometheus not installed (make test installs Debian's prometheus package)"),
        .timeLimit(.minutes(3)))
    func aRealPrometheusScrapesTheMonitorCleanly() async throws {
        let monitor = try await LiveMonitor()
        #expect(try await monitor.waitUntilDevicesUp(), "\(monitor.state.deviceStatuses)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-prometheus-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("prometheus.yml")
        try """
        global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: geolith
            static_configs: [{targets: ['127.0.0.1:\(monitor.port)']}]
        """.write(to: config, atomically: true, encoding: .utf8)
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.prometheus!)
        process.arguments = [
            "--config.file=\(config.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        let log = folder.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? handle.close()
            try? FileManager.default.removeItem(at: folder)
        }
        let base = "http://127.0.0.1:\(port)"
        var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        // The target is up, and its last scrape had no error.
        var target: [String: Any] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let body = (try? await LiveMonitor.get("\(base)/api/v1/targets").body) ?? ""
            target = ((Self.json(body)?["data"] as? [String: Any])?["activeTargets"] as? [[String: Any]])?.first ?? [:]
            if target["health"] as? String == "up" { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(target["health"] as? String == "up", "target: \(target); prometheus log:\n\(logText)")
        #expect(target["lastError"] as? String == "", "\(target)")

        // A geolith series is queryable, with the value the monitor holds.
        let result = try await Self.waitFor(30) { try await Self.query(base, #"geolith_tag_value{tag="PW1.FT101"}"#) }
        let sample = try #require(result?.first, "no geolith_tag_value in Prometheus; log:\n\(logText)")
        let labels = sample["metric"] as? [String: String] ?? [:]
        #expect(
            labels["job"] == "geolith" && labels["plant"] == "demo" && labels["device"] == "demo-wellhead"
                && labels["unit"] == "L/s")
        let scraped = Double(((sample["value"] as? [Any])?.last as? String) ?? "") ?? .nan
        let held = monitor.state.tagValues["PW1.FT101"]?.value ?? .nan
        #expect(abs(scraped - held) <= 0.01 * abs(held), "Prometheus \(scraped), monitor \(held)")
        // The latency histogram arrives as one: buckets, sum and count per device.
        let buckets = try await Self.waitFor(10) {
            try await Self.query(base, #"count by (device) (geolith_modbus_request_duration_seconds_bucket)"#)
        }
        #expect(buckets?.count == 3, "\(buckets ?? [])")
        #expect(try await Self.query(base, "geolith_tag_quality == 2") != nil, "good tags have quality 2")

        // Every sample of a scrape is a series of its own, and Prometheus holds each one: none was lost as a
        // duplicate (Prometheus drops a repeated series of a scrape without an error), out of order or out of bounds.
        let exposition = try await monitor.get("/metrics").body
        let series = exposition.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            String($0[..<$0.lastIndex(of: " ")!])
        }
        #expect(
            Set(series).count == series.count && series.count > 100,
            "\(series.count) samples, \(Set(series).count) distinct")
        let stored = try await Self.waitFor(15) { () async throws -> Int? in
            let result = try await Self.query(base, #"count({job="geolith",__name__=~"geolith_.+"})"#)
            let count = Int(((result?.first?["value"] as? [Any])?.last as? String) ?? "") ?? 0
            return count == series.count ? count : nil
        }
        #expect(
            stored == series.count, "Prometheus holds fewer geolith series than /metrics has samples (\(series.count))")
        // The Grafana dashboard's queries are valid PromQL against this server, on metrics the monitor exposes.
        let dashboard = try Data(
            contentsOf: MonitorServerTests.repository.appendingPathComponent("dashboards/grafana-geolith.json"))
        let panels =
            (try JSONSerialization.jsonObject(with: dashboard) as? [String: Any])?["panels"] as? [[String: Any]] ?? []
        let expressions = panels.flatMap {
            ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
        }
        #expect(expressions.count >= 10)
        for expression in expressions {
            let promql = expression.replacingOccurrences(of: "$plant", with: ".*").replacingOccurrences(
                of: "$tag", with: ".*")
            let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let answer = Self.json(try await LiveMonitor.get("\(base)/api/v1/query?query=\(encoded)").body)
            #expect(answer?["status"] as? String == "success", "\(expression): \(answer ?? [:])")
            let names = promql.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).filter {
                $0.hasPrefix("geolith_")
            }
            for name in names {
                let family = ["_bucket", "_sum", "_count"].reduce(String(name)) {
                    $1.isEmpty || !$0.hasSuffix($1) ? $0 : String($0.dropLast($1.count))
                }
                #expect(
                    exposition.contains("# TYPE \(family) "), "\(expression) uses \(name), which /metrics does not have"
                )
            }
        }
        let own = try await LiveMonitor.get("\(base)/metrics").body
        for counter in [
            "prometheus_target_scrapes_sample_duplicate_timestamp_total",
            "prometheus_target_scrapes_sample_out_of_order_total",
            "prometheus_target_scrapes_sample_out_of_bounds_total",
            "prometheus_target_scrapes_exceeded_sample_limit_total",
        ] {
            let line = own.split(separator: "\n").first { $0.hasPrefix(counter + " ") }
            #expect(line.map { $0.hasSuffix(" 0") } == true, "\(line ?? "\(counter) missing")")
        }
        await monitor.stop()
    }
}
