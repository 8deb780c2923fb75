import ArgumentParser
import CommandSupport
import Foundation
import Historian
import HistorianPostgres
import Logging
import Monitor
import MonitorDaemon
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
        // SIGTERM/SIGINT/SIGHUP trapped before anything else: a signal arriving during start-up must not kill the
        // daemon with the default action.
        let signals = await DaemonSignals()
        LogfmtHandler.bootstrap(format: logFormat, level: logLevel)
        let plant = try loadPlant(file)
        var options = MonitorDaemonOptions(file: file, database: db, http: try httpConfiguration())
        options.monitor.retentionDays = retentionDays
        let historian = try openHistorian(plant)
        try await DaemonLifecycle.run(plant: plant, historian: historian, options: options, signals: signals,
                                    logger: Logger(label: "geolith.monitor"))
    }

    /// The historian of --db (SQLite file or PostgreSQL), with the batch, spool and timeout options.
    func openHistorian(_ plant: Plant) throws -> any HistoryStore {
        let location = try HistorianLocation(parsing: db)
        var writing = Historians.Writing()
        writing.batchInterval = .milliseconds(Int64(batchMs))
        writing.spoolPath = spool
        writing.spoolLimitBytes = Int64(spoolMaxMb) << 20
        writing.passwordFile = passwordFile
        writing.timeout = .milliseconds(Int64(dbTimeout * 1000))
        writing.logger = Logger(label: "geolith.historian")
        do { return try Historians.open(location, plant: plant.id, writing: writing) } catch let error as HistorianError {
            throw HistorianFailure(error: error)
        } catch {
            // A database server that cannot be reached or refuses us (PostgreSQL): the device family's "unavailable".
            throw DeviceCommandError(kind: .unavailable, message: "--db \(location): \(error)")
        }
    }

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
