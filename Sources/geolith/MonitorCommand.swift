import ArgumentParser
import Foundation
import Historian
import HistorianPostgres
import Logging
import Monitor
import MonitorServer
import PlantConfig
import ServiceLifecycle
import Timekeeping

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

    @Option(help: "Log format.")
    var logFormat: LogfmtHandler.Format = .logfmt

    @Option(help: "Log level.")
    var logLevel: Logger.Level = .info

    @Option(help: "Historian batch interval, ms (bounds what a crash can lose).")
    var batchMs: Int = 1000

    @Option(help: "Delete history older than this many days (default: keep everything).")
    var retentionDays: Int?

    @Option(help: "Serve the HTTP API, /metrics and the dashboard on host:port ([v6]:port; 127.0.0.1 unless told otherwise; ':PORT' listens on every interface, as Prometheus and Grafana read it); 'off' to disable.",
            transform: HTTPSetting.init(parsing:))
    var http: HTTPSetting = .on(HostPort(host: "127.0.0.1", port: 8080))

    @Option(help: "HTTP connections at once at most (lowered to what the file limit allows, pollers and historian reserved).")
    var maxConnections: Int = 256

    @Option(help: "Live-stream (/api/v1/stream) clients at once at most; more get 503.")
    var maxLiveClients: Int = 64

    @Option(help: "File of user:token lines for state-changing requests (or set GEOLITH_TOKENS=user:token,…).")
    var tokenFile: String?

    func validate() throws {
        guard (10...60_000).contains(batchMs) else { throw ValidationError("--batch-ms must be 10…60000") }
        if let retentionDays, !(1...36_500).contains(retentionDays) {
            throw ValidationError("--retention-days must be 1…36500 (100 years), or left out to keep everything")
        }
        guard (1...100_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 1…100000") }
        guard (1...10_000).contains(maxLiveClients) else { throw ValidationError("--max-live-clients must be 1…10000") }
        guard spoolMaxMb >= 1 else { throw ValidationError("--spool-max-mb must be at least 1") }
        guard dbTimeout > 0, dbTimeout <= 600 else { throw ValidationError("--db-timeout must be in (0, 600] seconds") }
        do { _ = try HistorianLocation(parsing: db) } catch { throw ValidationError("--db \(error)") }
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
        let server = try httpConfiguration()
        let location = try HistorianLocation(parsing: db)
        var writing = Historians.Writing()
        writing.batchInterval = .milliseconds(Int64(batchMs))
        writing.spoolPath = spool
        writing.spoolLimitBytes = Int64(spoolMaxMb) << 20
        writing.passwordFile = passwordFile
        writing.timeout = .milliseconds(Int64(dbTimeout * 1000))
        writing.logger = Logger(label: "geolith.historian")
        let historian: any HistoryStore
        do { historian = try Historians.open(location, plant: plant.id, writing: writing) } catch let error as HistorianError {
            throw HistorianFailure(error: error)
        } catch {
            // A database server that cannot be reached or refuses us (PostgreSQL): the device family's "unavailable".
            throw DeviceCommandError(kind: .unavailable, message: "--db \(location): \(error)")
        }
        let runID = try historian.beginRun(RunInfo(kind: .monitor, plant: plant.id, started: Self.now(),
                                                   config: (try? String(contentsOfFile: file, encoding: .utf8)) ?? "", version: "0.1.0"))
        historian.record(JournalEvent(time: Self.now(), kind: "config", source: file, message: "loaded \(plant.id): \(plant.devices.count) devices, \(plant.allTags.count) tags"))
        logger.info("monitor starting", metadata: ["plant": "\(plant.id)", "devices": "\(plant.devices.count)", "tags": "\(plant.allTags.count)", "db": "\(location)"])
        // Said once: what a description without process data (or without bound signals) leaves off.
        if plant.isMonitoringOnly {
            logger.notice("monitoring only", metadata: ["missing": "\(plant.missingProcessSections.joined(separator: ","))"])
        }
        let coverage = SoftSensors.coverage(of: plant)
        if !coverage.off.isEmpty {
            logger.notice("\(coverage)")
        }
        var options = MonitorOptions()
        options.retentionDays = retentionDays
        let slot = MonitorStateSlot(MonitorState(plant: plant, historian: historian, softSensors: SoftSensors(plant: plant)))
        // The pollers, ticker and flusher run as one inner group per plant description (SIGHUP swaps in a valid new
        // one); the HTTP listener stays up across reloads and serves whichever state the slot holds.
        let monitor = ReloadingMonitor(file: file, slot: slot, historian: historian, options: options, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: monitor, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let server {
            let limits = server.connectionLimits(devices: plant.devices.count)
            let application = buildApplication(slot: slot, configuration: server) { port in
                let host = server.host.contains(":") ? "[\(server.host)]" : server.host
                logger.info("dashboard", metadata: ["url": "http://\(host):\(port)/"])
                logger.info("HTTP limits", metadata: ["max_connections": "\(limits.hard)", "max_live_clients": "\(server.maxStreamClients)"])
                if ["0.0.0.0", "::"].contains(server.host) {
                    logger.notice("HTTP listens on all interfaces: reads need no token, state changes do", metadata: ["port": "\(port)"])
                }
            }
            services.append(.init(service: application, failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
        var failure: (any Error)?
        do { try await group.run() } catch { failure = error }
        // A clean stop leaves everything in the database: flushed, the run ended, then closed (SQLite: the WAL
        // checkpointed and emptied into the .sqlite file; PostgreSQL: the spool drained or kept for the next start).
        do {
            try historian.flush()
            try historian.endRun(runID, at: Self.now())
            try historian.close()
        } catch {
            logger.error("historian not closed cleanly", metadata: ["db": "\(location)", "error": "\(error)"])
            failure = failure ?? error
        }
        if let failure {
            logger.critical("monitor stopped on an error", metadata: ["error": "\(failure)"])
            throw failure
        }
        logger.info("monitor stopped")
    }

    static func now() -> Int64 { Timestamp.now.milliseconds }

    /// The HTTP settings from --http, --token-file and GEOLITH_TOKENS; nil when --http off.
    func httpConfiguration() throws -> HTTPConfiguration? {
        try Self.httpConfiguration(http: http, tokenFile: tokenFile, maxConnections: maxConnections, maxLiveClients: maxLiveClients)
    }

    /// `geolith monitor`'s and `geolith fleet`'s HTTP settings: host:port (127.0.0.1 unless told otherwise; `:PORT` every
    /// interface) or off, the connection limits, and the tokens of --token-file and GEOLITH_TOKENS.
    static func httpConfiguration(
        http: HTTPSetting, tokenFile: String?, maxConnections: Int = 256, maxLiveClients: Int = 64
    ) throws -> HTTPConfiguration? {
        guard case .on(let address) = http else { return nil }
        var configuration = HTTPConfiguration(host: address.listenHost, port: address.port)
        configuration.maxConnections = maxConnections
        configuration.maxStreamClients = maxLiveClients
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
