import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig

/// `geolith-bench hostile`: the monitor daemon, as operators run it (a child process under a file limit of 1,024),
/// polling a plant while stalled live-stream clients and a flood of idle connections press on its HTTP server.
/// Prints the monitor's resident set, the API's answers and the tags' quality through the run; exits 1 when a
/// tag is not good at the end, a probe of the API went unanswered, or the resident set grew past its bound.
struct BenchHostile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostile",
        abstract: "Soak the monitor under stalled SSE clients and idle connections: RSS bound, every tag good, the API answering.",
        discussion: """
            The flood is kept up: idle connections the monitor closes (header timeout, eviction) are opened again each
            second, stalled streams it disconnects (stall timeout, the client limit) too. The bound on the resident
            set is the baseline plus the live-stream queues (64 clients × 2,048 updates) and the connections' buffers:
            --rss-bound-mb (default 64).
            """)

    @Option(help: "Tags in total.") var tags: Int = 2_000
    @Option(help: "Devices.") var devices: Int = 20
    @Option(help: "Live-stream clients that never read.") var stalled: Int = 200
    @Option(help: "Idle TCP connections to the HTTP port.") var idle: Int = 1_100
    @Option(help: "Seconds under the flood (after the monitor has every tag good).") var seconds: Int = 60
    @Option(help: "The monitor's file limit (ulimit -n).") var fileLimit: Int = 1_024
    @Option(help: "Allowed growth of the monitor's resident set over its baseline, MB.") var rssBoundMb: Double = 64

    func validate() throws {
        guard (1...100_000).contains(tags), (1...200).contains(devices), (0...5_000).contains(stalled), (0...20_000).contains(idle),
              (1...86_400).contains(seconds), (64...1_048_576).contains(fileLimit), rssBoundMb > 0 else {
            throw ValidationError("tags 1…100000, devices 1…200, stalled 0…5000, idle 0…20000, seconds 1…86400, file limit ≥ 64")
        }
    }

    func run() async throws {
        let tags = (self.tags / devices) * devices   // whole devices
        // This process opens the flood: its own file limit must hold it.
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = min(limit.rlim_max, rlim_t(stalled + idle + 256))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard Int(limit.rlim_cur) >= stalled + idle + 64 else {
            throw ValidationError("this process may open \(limit.rlim_cur) files; the flood needs \(stalled + idle + 64)")
        }
        let keeper = try DeviceServerKeeper(tags: tags, devices: devices)
        let ports = keeper.ports
        defer { keeper.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-bench-hostile-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = RawHTTP.freePort()
        let log = folder.appendingPathComponent("monitor.log")
        let monitor = try startMonitor(in: folder, ports: ports, http: port, log: log)
        defer { kill(monitor.processIdentifier, SIGKILL) }
        let pid = monitor.processIdentifier
        print("monitor pid \(pid) on 127.0.0.1:\(port), file limit \(fileLimit); \(tags) tags on \(devices) devices at 1 s")
        // Every tag good before the flood starts.
        let ready = ContinuousClock.now + .seconds(60)
        var baseline = RawHTTP.goodTags(port: port)
        while baseline.good < tags, ContinuousClock.now < ready {
            try await Task.sleep(for: .milliseconds(500))
            baseline = RawHTTP.goodTags(port: port)
        }
        guard baseline.good == tags else {
            print("the monitor never had every tag good (\(baseline.good) of \(tags)); its log:\n"
                  + ((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(2000))
            throw ExitCode(1)
        }
        try await Task.sleep(for: .seconds(2))
        let rss0 = ProcessMemory.residentMegabytes(pid: pid) ?? 0
        print(String(format: "baseline: every tag good, RSS %.1f MB; flood: %d stalled streams, %d idle connections, %d s",
                     rss0, stalled, idle, seconds))
        var flood = Flood(port: port, stalled: stalled, idle: idle)
        flood.refill()
        var latencies: [Double] = [], unanswered = 0, minGood = tags, rssMax = rss0, reopened = 0
        let cpu0 = ProcessMemory.cpuSeconds(pid: pid) ?? 0
        let start = ContinuousClock.now
        // One probe a second at most: reopening what the monitor closed can take longer than a second.
        var probes = 0, nextReport = max(1, seconds / 10)
        while ContinuousClock.now - start < .seconds(seconds) {
            try await Task.sleep(until: start + .seconds(probes + 1), clock: .continuous)
            probes += 1
            reopened += flood.refill()
            let probe = RawHTTP.goodTags(port: port)
            if let latency = probe.latency { latencies.append(latency) } else { unanswered += 1 }
            minGood = min(minGood, probe.good)
            let rss = ProcessMemory.residentMegabytes(pid: pid) ?? 0
            rssMax = max(rssMax, rss)
            let elapsed = Int((ContinuousClock.now - start) / .seconds(1))
            if elapsed >= nextReport {
                nextReport += max(1, seconds / 10)
                print(String(format: "%4d s  RSS %6.1f MB  tags good %5d  /api/v1/tags %@  open: %d streams, %d idle; reopened so far %d",
                             elapsed, rss, probe.good, probe.latency.map { String(format: "%.0f ms", $0 * 1000) } ?? "no answer",
                             flood.openStreams, flood.openIdle, reopened))
            }
        }
        let cpu = ((ProcessMemory.cpuSeconds(pid: pid) ?? 0) - cpu0) / Double(seconds) * 100
        flood.close()
        try await Task.sleep(for: .seconds(2))
        let end = RawHTTP.goodTags(port: port)
        let rssEnd = ProcessMemory.residentMegabytes(pid: pid) ?? 0
        latencies.sort()
        func quantile(_ q: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(q * Double(latencies.count)))] * 1000 }
        print(String(format: "RSS: baseline %.1f MB, peak %.1f MB (+%.1f, bound +%.0f), after the flood %.1f MB; monitor CPU %.1f %% of a core",
                     rss0, rssMax, rssMax - rss0, rssBoundMb, rssEnd, cpu))
        print(String(format: "API: %d of %d probes answered, /api/v1/tags p50 %.0f ms, p99 %.0f ms, max %.0f ms; connections reopened %d",
                     latencies.count, probes, quantile(0.5), quantile(0.99), quantile(1), reopened))
        print("tags good: at least \(minGood) of \(tags) through the flood, \(end.good) at the end")
        guard unanswered == 0, end.good == tags, rssMax - rss0 <= rssBoundMb, monitor.isRunning else {
            print("FAILED; the monitor's log ends:\n" + ((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(2000))
            throw ExitCode(1)
        }
        print("ok")
    }

    /// `geolith monitor` (the one beside this program) on the synthetic plant, as operators run it, under the file
    /// limit, its log in `log`.
    func startMonitor(in folder: URL, ports: [Int], http port: Int, log: URL) throws -> Process {
        let plantFile = folder.appendingPathComponent("plant.yaml")
        try Self.yaml(tags: tags, devices: devices, ports: ports).write(to: plantFile, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let monitor = Process()
        monitor.executableURL = URL(fileURLWithPath: "/bin/sh")
        monitor.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" monitor \"$1\" --db \"$2\" --http 127.0.0.1:\(port) --log-level warning",
                             BenchPrograms.geolith.path, plantFile.path, folder.appendingPathComponent("h.sqlite").path]
        monitor.standardOutput = try FileHandle(forWritingTo: log)
        monitor.standardError = monitor.standardOutput
        try monitor.run()
        return monitor
    }

    /// The synthetic plant of `bench monitor` as a plant description file.
    static func yaml(tags: Int, devices: Int, ports: [Int]) -> String {
        var text = "id: bench\nname: bench\nsite: {name: bench, country: FR}\n"
            + "brine: {temperature: 150, tds: 100, composition: {Li: 180}, sources: [bench]}\ndevices:\n"
        for d in 0..<devices {
            text += "  - name: d\(d)\n    endpoint: {protocol: tcp, host: 127.0.0.1, port: \(ports[d])}\n    unit_id: 1\n"
                + "    timeouts: {response: 500ms, byte: 100ms, connect: 1s}\n    scan_groups: [{name: fast, period: 1s}]\n    tags:\n"
            for t in 0..<(tags / devices) {
                text += "      - {name: d\(d).t\(t), table: input, address: \(2 * t), type: float32, unit: bar, range: [0, 1000]}\n"
            }
        }
        return text
    }
}
