import ArgumentParser
import Foundation
import Historian
import HistorianPostgres
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

    @Option(help: "Historian: a SQLite file (created if missing), or a PostgreSQL database postgres://user@host:port/db shared by a fleet.")
    var db: String = "geolith.sqlite"

    @Option(help: "PostgreSQL: file whose first line is the password (else the PGPASSWORD environment variable).")
    var passwordFile: String?

    @Option(help: "PostgreSQL: the local spool that holds batches while the server is down or slow (default: PLANT.spool.sqlite).")
    var spool: String?

    @Option(help: "PostgreSQL: the spool's bound, MB; a full spool raises an alarm and refuses new batches.")
    var spoolMaxMb: Int = 1024

    @Option(help: "PostgreSQL: seconds to wait for the server before a batch goes to the spool.")
    var dbTimeout: Double = 5

    @Option(help: "Log format: logfmt or json.")
    var logFormat: String = "logfmt"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Historian batch interval, ms (bounds what a crash can lose).")
    var batchMs: Int = 1000

    @Option(help: "Delete history older than this many days (default: keep everything).")
    var retentionDays: Int?

    @Option(help: "Serve the HTTP API, /metrics and the dashboard on host:port (127.0.0.1 unless told otherwise); 'off' to disable.")
    var http: String = "127.0.0.1:8080"

    @Option(help: "File of user:token lines for state-changing requests (or set GEOLITH_TOKENS=user:token,…).")
    var tokenFile: String?

    func validate() throws {
        guard LogfmtHandler.Format(rawValue: logFormat) != nil else { throw ValidationError("--log-format is logfmt or json") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard (10...60_000).contains(batchMs) else { throw ValidationError("--batch-ms must be 10…60000") }
        guard spoolMaxMb >= 1 else { throw ValidationError("--spool-max-mb must be at least 1") }
        guard dbTimeout > 0, dbTimeout <= 600 else { throw ValidationError("--db-timeout must be in (0, 600] seconds") }
        do { _ = try HistorianLocation(parsing: db) } catch { throw ValidationError("--db \(error)") }
    }

    func run() async throws {
        HeapTrimmer.configureAllocator()
        // Take over SIGTERM/SIGINT/SIGHUP before anything else: a signal arriving during start-up must not
        // kill the daemon with the default action.
        _ = SignalCenter.shared
        let format = LogfmtHandler.Format(rawValue: logFormat)!
        let level = Logger.Level(rawValue: logLevel)!
        LoggingSystem.bootstrap { label in
            var handler = LogfmtHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "geolith.monitor")
        let plant = try loadPlant(file)
        let location = try HistorianLocation(parsing: db)
        var writing = Historians.Writing()
        writing.batchInterval = .milliseconds(Int64(batchMs))
        writing.spoolPath = spool
        writing.spoolLimitBytes = Int64(spoolMaxMb) << 20
        writing.passwordFile = passwordFile
        writing.timeout = .milliseconds(Int64(dbTimeout * 1000))
        writing.logger = Logger(label: "geolith.historian")
        let historian: any HistoryStore
        do { historian = try Historians.open(location, plant: plant.id, writing: writing) } catch {
            throw ValidationError("--db \(location): \(error)")
        }
        let runID = try historian.beginRun(RunInfo(kind: .monitor, plant: plant.id, started: Self.now(),
                                                   config: (try? String(contentsOfFile: file, encoding: .utf8)) ?? "", version: "0.1.0"))
        historian.record(JournalEvent(time: Self.now(), kind: "config", source: file, message: "loaded \(plant.id): \(plant.devices.count) devices, \(plant.allTags.count) tags"))
        logger.info("monitor starting", metadata: ["plant": "\(plant.id)", "devices": "\(plant.devices.count)", "tags": "\(plant.allTags.count)", "db": "\(location)"])
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
                try historian.endRun(runID, at: Self.now())
                try historian.close()
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
        try Self.httpConfiguration(http: http, tokenFile: tokenFile)
    }

    /// `geolith monitor`'s and `geolith fleet`'s HTTP settings: host:port (127.0.0.1 unless told otherwise) or off, and
    /// the tokens of --token-file and GEOLITH_TOKENS.
    static func httpConfiguration(http: String, tokenFile: String?) throws -> HTTPConfiguration? {
        guard http != "off" else { return nil }
        guard let colon = http.lastIndex(of: ":"), let port = Int(http[http.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--http must be host:port or off")
        }
        var host = String(http[..<colon])
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        var configuration = HTTPConfiguration(host: host.isEmpty ? "127.0.0.1" : host, port: port)
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
