import Foundation
public import Historian
public import Logging
public import Monitor
public import MonitorServer
public import PlantConfig
public import ServiceLifecycle

/// What `geolith monitor` runs beside the plant and its historian.
public struct MonitorDaemonOptions: Sendable {
    /// The plant description file, read again on SIGHUP.
    public var file: String
    /// The historian as the log names it (a path, or a PostgreSQL URL without its password).
    public var database: String
    public var monitor = MonitorOptions()
    /// The HTTP API, live stream, /metrics and dashboard; nil to serve none.
    public var http: HTTPConfiguration?

    public init(file: String, database: String, http: HTTPConfiguration?) {
        (self.file, self.database, self.http) = (file, database, http)
    }
}

/// Assembles the monitoring daemon as one ``ServiceGroup``: the ``ReloadingMonitor`` (pollers, ticker, historian
/// flusher; SIGHUP reloads, SIGTERM/SIGINT stop) and the HTTP listener, which stays up across reloads and serves
/// whichever state the slot holds. Either ending shuts the other down gracefully.
public func buildMonitor(plant: Plant, historian: any HistoryStore, options: MonitorDaemonOptions, signals: DaemonSignals,
                         logger: Logger) -> ServiceGroup {
    let slot = MonitorStateSlot(MonitorState(plant: plant, historian: historian, softSensors: SoftSensors(plant: plant)))
    let monitor = ReloadingMonitor(file: options.file, slot: slot, historian: historian, options: options.monitor, signals: signals,
                                   logger: logger)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
        .init(service: monitor, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
    ]
    if let server = options.http {
        let application = buildApplication(slot: slot, configuration: server) { port in
            DaemonLifecycle.announce(server, port: port, devices: plant.devices.count, logger: logger)
        }
        services.append(.init(service: application, failureTerminationBehavior: .gracefullyShutdownGroup))
    }
    // The signals are the ReloadingMonitor's (``DaemonSignals``, trapped before start-up), not the group's.
    return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
}

/// The daemon's life around its service group: the run begun in the historian, the group run until stopped, and
/// the historian flushed, the run ended and the historian closed.
public enum DaemonLifecycle {
    /// Runs the daemon on an open historian until SIGTERM/SIGINT (or a failure); a clean stop leaves everything in
    /// the database (SQLite: the WAL checkpointed into the .sqlite file; PostgreSQL: the spool drained or kept for the
    /// next start).
    public static func run(plant: Plant, historian: any HistoryStore, options: MonitorDaemonOptions, signals: DaemonSignals,
                           logger: Logger) async throws {
        let config = (try? String(contentsOfFile: options.file, encoding: .utf8)) ?? ""
        let runID = try historian.beginRun(RunInfo(kind: .monitor, plant: plant.id, started: now(), config: config, version: "0.1.0"))
        historian.record(JournalEvent(time: now(), kind: .config, source: options.file,
                                      message: "loaded \(plant.id): \(plant.devices.count) devices, \(plant.allTags.count) tags"))
        logStart(plant, database: options.database, logger: logger)
        var failure: (any Error)?
        do {
            try await buildMonitor(plant: plant, historian: historian, options: options, signals: signals, logger: logger).run()
        } catch {
            failure = error
        }
        do {
            try historian.flush()
            try historian.endRun(runID, at: now())
            try historian.close()
        } catch {
            logger.error("historian not closed cleanly", metadata: ["db": "\(options.database)", "error": "\(error)"])
            failure = failure ?? error
        }
        if let failure {
            logger.critical("monitor stopped on an error", metadata: ["error": "\(failure)"])
            throw failure
        }
        logger.info("monitor stopped")
    }

    /// Wall time, ms since 1970 UTC.
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func logStart(_ plant: Plant, database: String, logger: Logger) {
        logger.info("monitor starting",
                    metadata: ["plant": "\(plant.id)", "devices": "\(plant.devices.count)", "tags": "\(plant.allTags.count)", "db": "\(database)"])
        // Said once: what a description without process data (or without bound signals) leaves off.
        if plant.isMonitoringOnly {
            logger.notice("monitoring only", metadata: ["missing": "\(plant.missingProcessSections.joined(separator: ","))"])
        }
        let coverage = SoftSensors.coverage(of: plant)
        if !coverage.off.isEmpty {
            logger.notice("\(coverage)")
        }
    }

    /// The listener's address and limits, once it is bound.
    static func announce(_ server: HTTPConfiguration, port: Int, devices: Int, logger: Logger) {
        let limits = server.connectionLimits(devices: devices)
        let host = server.host.contains(":") ? "[\(server.host)]" : server.host
        logger.info("dashboard", metadata: ["url": "http://\(host):\(port)/"])
        logger.info("HTTP limits", metadata: ["max_connections": "\(limits.hard)", "max_live_clients": "\(server.maxStreamClients)"])
        if ["0.0.0.0", "::"].contains(server.host) {
            logger.notice("HTTP listens on all interfaces: reads need no token, state changes do", metadata: ["port": "\(port)"])
        }
    }
}
