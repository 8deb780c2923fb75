import ArgumentParser
import CommandSupport
import Foundation
import Historian
import Logging
import Monitor
import MonitorServer
import PlantConfig
import RegisterVocabulary
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `geolith-bench http`: requests/s and latency percentiles of the HTTP API under a concurrent load generator
/// (`wrk`) on loopback, while the poller runs a plant of many tags served by a child process.
struct BenchHTTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract:
            "HTTP API requests/s and p99 latency under wrk while polling N tags "
            + "(target: a day of 1 s history → 1,000 points, p99 < 20 ms).",
        discussion: """
            Builds the plant of `geolith-bench monitor` (its devices in a child process), prefills the historian with
            86,400 samples (one day at 1 s) of one tag, serves the API on 127.0.0.1 and runs wrk against the
            current values (/api/v1/tags), that tag's day of history downsampled to 1,000 points, and /metrics.
            Each endpoint is run --runs times; medians are printed. Needs wrk (`make bench-http` installs it).
            """)

    @Option(help: "Tags in total.")
    var tags: Int = 10_000

    @Option(help: "Devices.")
    var devices: Int = 20

    @Option(help: "Seconds per wrk run.")
    var seconds: Int = 10

    @Option(help: "wrk runs per endpoint (the median is reported).")
    var runs: Int = 3

    @Option(help: "Concurrent connections of the loaded runs (a second set of runs uses one connection).")
    var connections: Int = 4

    @Option(help: "wrk threads.")
    var threads: Int = 1

    @Option(help: "The wrk executable.")
    var wrk: String = "/usr/bin/wrk"

    func validate() throws {
        guard (1...100_000).contains(tags), (1...200).contains(devices), (1...600).contains(seconds),
            (1...20).contains(runs),
            (1...256).contains(connections), (1...16).contains(threads), threads <= connections
        else {
            throw ValidationError(
                "tags 1…100000, devices 1…200, seconds 1…600, runs 1…20, connections 1…256, "
                    + "threads 1…16 ≤ connections")
        }
        guard FileManager.default.isExecutableFile(atPath: wrk) else {
            throw ValidationError(
                "no wrk at \(wrk): install it (`make bench-http` does: apt-get install wrk) or pass --wrk")
        }
    }

    /// The monitor's services and its HTTP API on a free loopback port: the group, its running task and the port.
    static func startMonitor(_ state: MonitorState) async -> (ServiceGroup, Task<Void, any Error>, Int) {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        var services = monitorServices(state: state, logger: logger)
        services.append(
            buildApplication(state: state, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0)) {
                continuation.yield($0)
                continuation.finish()
            })
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        let task = Task { try await group.run() }
        var port = 0
        for await value in bound { port = value }
        return (group, task, port)
    }

    /// The historian's series that gets a day of history, and the day's window (ms UTC).
    static let historyTag = "d0.t0"

    func run() async throws {
        BenchPrograms.logErrorsOnly()
        let (child, ports) = try BenchMonitor.startDeviceServers(tags: tags, devices: devices)
        defer { kill(child.processIdentifier, SIGKILL) }
        let plant = BenchMonitor.plant(tags: tags, devices: devices, ports: ports)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-bench-http-\(UUID()).sqlite")
            .path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let historian = try SQLiteHistorian(path: path)
        let to = Int64(Date().timeIntervalSince1970) * 1000
        let from = to - 86_400_000
        try Self.prefill(historian, series: Self.historyTag, from: from, to: to)
        let state = MonitorState(plant: plant, historian: historian)
        let (group, task, port) = await Self.startMonitor(state)
        defer { task.cancel() }
        // Wait until the poller has read every tag once, so the load runs against a plant at work.
        let deadline = ContinuousClock.now + .seconds(30)
        while state.tagValues.values.filter(\.quality.isGood).count < tags, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        let base = "http://127.0.0.1:\(port)"
        let history = "\(base)/api/v1/tags/\(Self.historyTag)/history?from=\(from)&to=\(to)&maxPoints=1000"
        let points = try await Self.pointCount(history)
        print(
            "\(tags) tags on \(devices) devices at 1 s scans (devices in a child process); "
                + "historian prefilled with 86,400 samples of \(Self.historyTag)"
        )
        print("API on \(base); the history endpoint returns \(points) points for the day")
        print("wrk \(threads) thread(s), \(seconds) s per run, \(runs) runs per line, medians of each figure:")
        let script = try Self.writeScript()
        defer { try? FileManager.default.removeItem(atPath: script) }
        // The monitor's own CPU while idle (polling), to take out of the CPU per request.
        let idle0 = BenchMonitor.cpuSeconds()
        let idleStart = ContinuousClock.now
        try await Task.sleep(for: .seconds(3))
        let idleRate = (BenchMonitor.cpuSeconds() - idle0) / ((ContinuousClock.now - idleStart) / .seconds(1))
        print(
            String(
                format: "monitor CPU while polling, before the load: %.1f %% of a core; load average %@",
                100 * idleRate,
                Self.loadAverage()))
        let overruns0 = state.deviceStatuses.reduce(0) { $0 + $1.overruns }
        for (name, url) in [
            ("current values /api/v1/tags", "\(base)/api/v1/tags"), ("history, 1 day → 1,000 points", history),
            ("/metrics", "\(base)/metrics"),
        ] {
            for concurrency in [1, connections] where concurrency == 1 || connections > 1 {
                var results: [WrkResult] = []
                for _ in 0..<runs {
                    let cpu0 = BenchMonitor.cpuSeconds()
                    let start = ContinuousClock.now
                    var result = try runWrk(url: url, connections: concurrency, script: script)
                    let wall = (ContinuousClock.now - start) / .seconds(1)
                    let requests = result.requestsPerSecond * Double(seconds)
                    result.cpuPerRequest =
                        requests > 0 ? (BenchMonitor.cpuSeconds() - cpu0 - idleRate * wall) / requests * 1000 : .nan
                    results.append(result)
                }
                print(WrkResult.median(results).line(name: name, connections: concurrency))
            }
        }
        print("load average at the end: \(Self.loadAverage()) (other processes on the machine count: see Benchmarks/README.md)")
        let statuses = state.deviceStatuses
        let jitter = statuses.flatMap(\.jitter).sorted()
        let good = state.tagValues.values.filter(\.quality.isGood).count
        print(
            String(
                format:
                    "poller meanwhile: %d of %d tags good at the end, %d scan overruns, "
                        + "scan-start jitter p99 %.1f ms (last 512 scans per device)",
                good, tags, statuses.reduce(0) { $0 + $1.overruns } - overruns0,
                jitter.isEmpty ? 0 : jitter[jitter.count * 99 / 100] * 1000))
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// One day of one tag at 1 s: a slow sine with noise, written in one transaction, and rolled up.
    static func prefill(_ historian: any HistoryStore, series: String, from: Int64, to: Int64) throws {
        var random = SystemRandomNumberGenerator()
        historian.append(
            stride(from: from, to: to, by: 1000).map { time in
                let phase = Double(time - from) / 86_400_000 * 2 * .pi
                return Sample(
                    series: series, time: time,
                    value: 100 + 10 * sin(phase) + Double.random(in: -0.5...0.5, using: &random),
                    quality: .good)
            })
        try historian.flush()
        // The minute and hour rollups the monitor's flusher would have made over that day, once a minute.
        try historian.updateRollups(from: from, to: to)
    }

    /// /proc/loadavg's 1, 5 and 15 minute figures.
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(
            separator: " ")
    }

    static func pointCount(_ url: String) async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        guard let body = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let points = body["points"] as? [Any]
        else {
            throw ValidationError("the history endpoint answered: \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return points.count
    }
}
