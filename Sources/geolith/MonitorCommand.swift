import ArgumentParser
import Foundation
import Historian
import Logging
import Monitor
import MonitorServer
import PlantConfig
import ServiceLifecycle

/// `geolith monitor FILE`: the monitoring daemon.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Poll a plant's devices, check quality, raise alarms, compute KPIs and keep a history (the daemon).",
        discussion: """
            Refuses to start on an invalid plant description and lists every error. SIGTERM or SIGINT stops it
            gracefully (the historian is flushed); SIGHUP reloads the plant description: a new description with
            errors is rejected with its errors and the running one keeps running. The monitor never writes to a
            device.
            """)

    @Argument(help: "Plant description file.")
    var file: String

    @Option(help: "Historian SQLite file (created if missing).")
    var db: String = "geolith.sqlite"

    @Option(help: "Log format.")
    var logFormat: LogfmtHandler.Format = .logfmt

    @Option(help: "Log level.")
    var logLevel: Logger.Level = .info

    @Option(help: "Historian batch interval, ms (bounds what a crash can lose).")
    var batchMs: Int = 1000

    @Option(help: "Delete history older than this many days (default: keep everything).")
    var retentionDays: Int?

    @Option(help: "Serve the HTTP API, /metrics and the dashboard on host:port ([v6]:port; 127.0.0.1 unless told otherwise); 'off' to disable.",
            transform: HTTPSetting.init(parsing:))
    var http: HTTPSetting = .on(HostPort(host: "127.0.0.1", port: 8080))

    @Option(help: "File of user:token lines for state-changing requests (or set GEOLITH_TOKENS=user:token,…).")
    var tokenFile: String?

    func validate() throws {
        guard (10...60_000).contains(batchMs) else { throw ValidationError("--batch-ms must be 10…60000") }
    }

    func run() async throws {
        HeapTrimmer.configureAllocator()
        // Take over SIGTERM/SIGINT/SIGHUP before anything else: a signal arriving during start-up must not
        // kill the daemon with the default action.
        _ = SignalCenter.shared
        let format = logFormat
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = LogfmtHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "geolith.monitor")
        let plant = try loadPlant(file)
        let historian = try Historian(path: db, batchInterval: .milliseconds(Int64(batchMs)))
        let runID = try historian.beginRun(RunInfo(kind: .monitor, plant: plant.id, started: Self.now(),
                                                   config: (try? String(contentsOfFile: file, encoding: .utf8)) ?? "", version: "0.1.0"))
        historian.record(JournalEvent(time: Self.now(), kind: "config", source: file, message: "loaded \(plant.id): \(plant.devices.count) devices, \(plant.allTags.count) tags"))
        logger.info("monitor starting", metadata: ["plant": "\(plant.id)", "devices": "\(plant.devices.count)", "tags": "\(plant.allTags.count)", "db": "\(db)"])
        // Said once: what a description without process data (or without bound signals) leaves off.
        if plant.isMonitoringOnly {
            logger.notice("monitoring only", metadata: ["missing": "\(plant.missingProcessSections.joined(separator: ","))"])
        }
        let coverage = SoftSensors.coverage(of: plant)
        if !coverage.off.isEmpty {
            logger.notice("\(coverage)")
        }
        var current = plant
        // Each configuration runs as one service group; SIGHUP swaps in a valid new one.
        while true {
            let state = MonitorState(plant: current, historian: historian, softSensors: SoftSensors(plant: current))
            var options = MonitorOptions()
            options.retentionDays = retentionDays
            var services = monitorServices(state: state, options: options, logger: logger) + [HeapTrimmer()]
            if let server = try httpConfiguration() {
                services.append(buildApplication(state: state, configuration: server) { port in
                    logger.info("dashboard", metadata: ["url": "http://\(server.host.contains(":") ? "[\(server.host)]" : server.host):\(port)/"])
                })
            }
            let group = ServiceGroup(configuration: .init(services: services, logger: logger))
            let outcome = try await Self.runUntilSignal(group, file: file, logger: logger)
            switch outcome {
            case .stopped:
                try historian.flush()
                try historian.endRun(runID, at: Self.now())
                logger.info("monitor stopped")
                return
            case .reload(let plant):
                historian.record(JournalEvent(time: Self.now(), kind: "config", source: file, message: "reloaded \(plant.id)"))
                logger.info("configuration reloaded", metadata: ["devices": "\(plant.devices.count)", "tags": "\(plant.allTags.count)"])
                current = plant
            }
        }
    }

    enum Outcome { case stopped, reload(Plant) }

    /// Runs a service group until SIGTERM/SIGINT (stop) or a SIGHUP with a valid new description (reload).
    static func runUntilSignal(_ group: ServiceGroup, file: String, logger: Logger) async throws -> Outcome {
        let signals = SignalCenter.shared.stream()
        return try await withThrowingTaskGroup(of: Outcome?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            tasks.addTask {
                for await number in signals {
                    if number != SIGHUP {
                        SignalCenter.shared.detach()
                        logger.info("shutting down", metadata: ["signal": "\(number == SIGTERM ? "SIGTERM" : "SIGINT")"])
                        await group.triggerGracefulShutdown()
                        return .stopped
                    }
                    do {
                        let plant = try PlantLoader.load(path: file)
                        SignalCenter.shared.detach()   // a signal during the switch waits for the new group
                        await group.triggerGracefulShutdown()
                        return .reload(plant)
                    } catch let error as PlantConfigError {
                        logger.error("new configuration rejected; the running one continues",
                                     metadata: ["issues": "\(error.issues.count)", "errors": "\(error.description)"])
                    } catch {
                        logger.error("new configuration unreadable; the running one continues", metadata: ["error": "\(error)"])
                    }
                }
                return .stopped
            }
            var outcome: Outcome = .stopped
            for try await result in tasks {
                if let result {
                    outcome = result
                    // Wait for the group to finish its graceful shutdown (its task returns nil).
                    continue
                }
                tasks.cancelAll()
                break
            }
            return outcome
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// The HTTP settings from --http, --token-file and GEOLITH_TOKENS; nil when --http off.
    func httpConfiguration() throws -> HTTPConfiguration? {
        guard case .on(let address) = http else { return nil }
        var configuration = HTTPConfiguration(host: address.host.isEmpty ? "127.0.0.1" : address.host, port: address.port)
        if let tokenFile { configuration.tokens = try HTTPConfiguration.tokens(fromFile: tokenFile) }
        for pair in (ProcessInfo.processInfo.environment["GEOLITH_TOKENS"] ?? "").split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[1].count >= 16 { configuration.tokens[String(parts[1])] = String(parts[0]) }
        }
        return configuration
    }
}

/// The process's SIGTERM, SIGINT and SIGHUP, delivered to whoever listens now. The dispatch sources are made
/// once for the process; each service group's run listens through a new stream.
final class SignalCenter: @unchecked Sendable {   // Safe: `continuation` is only touched under `lock`.
    static let shared = SignalCenter()
    private let lock = NSLock()
    private var continuation: AsyncStream<Int32>.Continuation?
    /// Signals that arrived while nobody listened (between two service groups), delivered to the next listener.
    private var pending: [Int32] = []
    private var sources: [any DispatchSourceSignal] = []

    private init() {
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in
                self.lock.withLock {
                    if let continuation = self.continuation, case .enqueued = continuation.yield(number) { return }
                    self.pending.append(number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func stream() -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        lock.withLock {
            for number in pending { continuation.yield(number) }
            pending.removeAll()
            self.continuation = continuation
        }
        return stream
    }

    /// Stops delivering to the current listener; later signals wait for the next one.
    func detach() {
        lock.withLock { continuation?.finish(); continuation = nil }
    }
}
