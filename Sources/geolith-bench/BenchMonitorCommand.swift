import ArgumentParser
import CommandSupport
import Foundation
import Historian
import Logging
import Modbus
import Monitor
import MonitorDaemon
import PlantConfig
import ProcessModel
import RegisterVocabulary
import ServiceLifecycle
import Simulator

/// `geolith-bench monitor`: a plant of many tags on many devices at 1 s scans; the monitor's CPU (% of one
/// core), memory and scan jitter, with the devices served by a child process so only the monitor is measured.
struct BenchMonitor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Monitor CPU, RSS and scan jitter for N tags on M devices at 1 s scans (targets: < 10 % of a core, < 100 MB, p99 < 20 ms).")

    @Option(help: "Tags in total.")
    var tags: Int = 10_000

    @Option(help: "Devices.")
    var devices: Int = 20

    @Option(help: """
        Measured seconds (after a 5 s warm-up). 120 or more is a soak: RSS and what holds it through the run, and the \
        growth from minute 1 to the end (3600 for the hour-long soak).
        """)
    var seconds: Int = 30

    @Option(help: "Soak: print a row every N seconds (default 300 for runs of 30 min or more, else 60).")
    var reportEvery: Int?

    @Option(help: .hidden)
    var serve: Int?

    func validate() throws {
        guard (1...100_000).contains(tags), (1...200).contains(devices), (5...86_400).contains(seconds) else {
            throw ValidationError("tags 1…100000, devices 1…200, seconds 5…86400")
        }
        if let reportEvery, !(10...86_400).contains(reportEvery) {
            throw ValidationError("--report-every 10…86400 seconds")
        }
    }

    /// A synthetic plant: `tags / devices` float32 input registers per device, one 1 s scan group.
    static func plant(tags: Int, devices: Int, ports: [Int]) -> Plant {
        let perDevice = tags / devices
        let unit = EngineeringUnit.named("bar")!
        let location = SourceLocation(file: "bench", line: 0, column: 0)
        return Plant(id: "bench", name: "bench", site: Site(name: "bench", country: "FR"),
                     brine: BrineSpec(temperature: 150, tds: 100, composition: [:], sources: []), wells: [], process: nil,
                     devices: (0..<devices).map { d in
                         Device(name: "d\(d)", description: "", endpoint: .tcp(host: "127.0.0.1", port: ports[d]), unitID: 1,
                                timeouts: Timeouts(response: .milliseconds(500), byte: .milliseconds(100), connect: .seconds(1)),
                                maxRegistersPerRequest: 125, maxBitsPerRequest: 2000, maxGap: 0, closeAfterPoll: false,
                                scanGroups: [ScanGroup(name: "fast", period: .seconds(1))],
                                tags: (0..<perDevice).map { t in
                                    Tag(name: "d\(d).t\(t)", description: "", table: .input, address: 2 * t, dataType: .float32,
                                        wordOrder: .abcd, length: 1, scale: 1, offset: 0, unit: unit, range: 0...1000, sentinel: nil,
                                        alarms: nil, signal: nil, scanGroup: "fast", deadband: nil, writable: false, location: location)
                                },
                                location: location)
                     },
                     source: location)
    }

    /// Starts this executable as `bench monitor --serve`: a child process serving `devices` devices of the plant
    /// with changing values on loopback. The caller kills it.
    /// - Returns: the child and its devices' ports.
    static func startDeviceServers(tags: Int, devices: Int) throws -> (Process, [Int]) {
        let child = Process()
        child.executableURL = BenchPrograms.bench
        child.arguments = ["monitor", "--serve", String(devices), "--tags", String(tags), "--devices", String(devices)]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        var text = ""
        while !text.contains("\n") {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let ports = text.split(separator: "\n").first?.split(separator: " ").dropFirst().compactMap { Int($0) } ?? []
        guard ports.count == devices else {
            kill(child.processIdentifier, SIGKILL)
            throw ValidationError("the device server printed: \(text)")
        }
        return (child, ports)
    }

    func run() async throws {
        HeapTrimmer.configureAllocator()
        if let serve { return try await serveDevices(serve) }
        // The devices, in a child process.
        let (child, ports) = try Self.startDeviceServers(tags: tags, devices: devices)
        defer { kill(child.processIdentifier, SIGKILL) }
        let plant = Self.plant(tags: tags, devices: devices, ports: ports)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-bench-monitor-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let historian = try SQLiteHistorian(path: path)
        let state = MonitorState(plant: plant, historian: historian)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        // As `geolith monitor` runs it: the monitor's services and the heap trimmer.
        let services = monitorServices(state: state, logger: logger) + [HeapTrimmer()]
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        let task = Task { try await group.run() }
        try await Task.sleep(for: .seconds(5))
        let cpu0 = Self.cpuSeconds(), wall0 = ContinuousClock.now, rss0 = ProcessMemory.resident().total
        let soak = seconds >= 120
        let every = reportEvery ?? (seconds >= 1800 ? 300 : 60)
        var recorder = SoakRecorder(databasePath: path, start: (cpu0, wall0))
        if soak {
            print("soak: \(seconds) s; every \(every) s the resident set (VmRSS; its non-anonymous part is mapped "
                  + "code and SQLite's index), glibc's heap (in use, free but held, arenas), SQLite's allocations, the "
                  + "elements held by the monitor's bounded collections (tag values, alarm history, device rings, "
                  + "live feed), the historian's largest backlog and the share of one core used since the previous row; the "
                  + "historian file grows by design")
            print(SoakRecorder.header)
            fflush(nil)
        }
        let jitter0 = state.scanJitter
        var elapsed = 0
        while elapsed < seconds {
            try await Task.sleep(for: .seconds(1))
            elapsed += 1
            recorder.note(pending: state.historian?.pending ?? 0)
            // Rows every 30 s feed the slope; minute 1 is the reference, printed with every `every`-th and the last.
            if elapsed == 60 || elapsed % 30 == 0 || elapsed == seconds {
                let printed = soak && (elapsed == 60 || elapsed % every == 0 || elapsed == seconds)
                recorder.sample(at: elapsed, state: state, print: printed)
            }
        }
        let cpu = Self.cpuSeconds() - cpu0, wall = (ContinuousClock.now - wall0).seconds
        let rss = ProcessMemory.resident().total
        let statuses = state.deviceStatuses
        // Every scan of the measured time, from the monitor's histogram (2 % buckets; the device rings keep 512).
        let jitter = state.scanJitter.since(jitter0)
        let good = state.tagValues.values.filter(\.quality.isGood).count
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        print("\(tags) tags on \(devices) devices at 1 s scans, \(seconds) s measured; devices served by a child process")
        print(String(format: "CPU: %.1f %% of one core (target < 10 %%)", 100 * cpu / wall))
        print(String(format: "RSS: %.1f MB (target < 100 MB); at start of measurement %.1f MB", rss, rss0))
        if let p50 = jitter.quantile(0.5), let p99 = jitter.quantile(0.99), let top = jitter.quantile(1) {
            print(String(format: "scan start jitter: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d scans, each figure "
                         + "the upper edge of its 2 %% bucket (target p99 < 20 ms)",
                         p50 * 1000, p99 * 1000, top * 1000, jitter.total))
        }
        print("tags good at the end: \(good) of \(tags); overruns: \(statuses.reduce(0) { $0 + $1.overruns })")
        if case let moves = historian.moveStatistics, moves.count > 0 {
            print(String(format: "historian: %d moves of recent to samples, %.0f rows and %.0f ms each on average, the longest %.0f ms",
                         moves.count, Double(moves.rows) / Double(moves.count), 1000 * moves.seconds / Double(moves.count),
                         1000 * moves.longest))
        }
        for line in recorder.summary() { print(line) }
    }

    /// Child mode: serve `count` devices with changing values, print their ports, run until killed.
    private func serveDevices(_ count: Int) async throws {
        // Dies with the benchmark, however that ends (a killed benchmark left its device servers running).
        #if os(Linux)
        // prctl is variadic in C, so Swift does not import it: called through its symbol. PR_SET_PDEATHSIG is 1.
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        if let symbol = dlsym(nil, "prctl") {
            _ = unsafeBitCast(symbol, to: Prctl.self)(1, UInt(SIGKILL), 0, 0, 0)
            if getppid() == 1 { return }    // the benchmark died before the call
        }
        #endif
        let perDevice = tags / count
        var servers: [ModbusServer] = []
        var stores: [RegisterStore] = []
        var ports: [Int] = []
        for _ in 0..<count {
            let store = RegisterStore()
            let server = ModbusServer(endpoint: .tcp(host: "127.0.0.1", port: 0), unitID: 1, store: store)
            ports.append(try server.start())
            servers.append(server)
            stores.append(store)
        }
        print("PORTS " + ports.map(String.init).joined(separator: " "))
        fflush(nil)
        var step = 0.0
        while true {
            step += 1
            for (d, store) in stores.enumerated() {
                let values = (0..<perDevice).flatMap { t in
                    (try? RegisterCodec.encodeRaw(100 + 10 * sin(step / 10 + Double(t + d)), as: .float32, order: .abcd)) ?? [0, 0]
                }
                store.update { $0.set(.input, address: 0, values: values) }
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
