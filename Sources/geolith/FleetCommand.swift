import ArgumentParser
import CommandSupport
import Foundation
import Historian
import HistorianPostgres
import Logging
import MonitorDaemon
import MonitorServer
import ServiceLifecycle
import UnixSignals

/// `geolith fleet --db postgres://…`: the overview of every plant whose monitor writes to one PostgreSQL database.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Serve an overview of every plant in a PostgreSQL historian: KPIs, alarms, devices up, historian lag, history.",
        discussion: """
            Each plant's monitor (geolith monitor PLANT.yaml --db postgres://…) writes its history and, every 5 s, its live
            state to the database; this serves them on one page (/) and a page per plant (/plants/ID), with the API under
            /api/v1/plants and /api/v1/plants/ID/… (tags/NAME/history, kpis/NAME/history, series, events), /metrics, /healthz
            and /readyz. It only reads: point it at a streaming replica to keep the load off the primary. Stops on SIGTERM
            or SIGINT.
            """)

    @Option(help: "The fleet's database: postgres://user@host:port/db (a replica will do).")
    var db: String

    @Option(help: "File whose first line is the password (else the PGPASSWORD environment variable).")
    var passwordFile: String?

    @Option(help: "Serve on host:port ([v6]:port; 127.0.0.1 unless told otherwise; ':PORT' every interface).",
            transform: HTTPSetting.init(parsing:))
    var http: HTTPSetting = .on(HostPort(host: "127.0.0.1", port: 8090))

    @Option(help: "HTTP connections at once at most (lowered to what the file limit allows, database connections reserved).")
    var maxConnections: Int = 256

    @Option(help: "File of user:token lines (or GEOLITH_TOKENS=user:token,…), as for geolith monitor.")
    var tokenFile: String?

    @Option(help: "Log format: logfmt or json.")
    var logFormat: LogfmtHandler.Format = .logfmt

    func validate() throws {
        guard case .postgres = try HistorianLocation(parsing: db) else {
            throw ValidationError("--db must be a PostgreSQL URL postgres://user@host:port/db (a SQLite file holds one plant: geolith monitor serves it)")
        }
        guard http != .off else { throw ValidationError("--http off would serve nothing") }
        guard (1...100_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 1…100000") }
    }

    func run() async throws {
        LogfmtHandler.bootstrap(format: logFormat)
        let logger = Logger(label: "geolith.fleet")
        guard case .postgres(let location) = try HistorianLocation(parsing: db) else { return }
        let fleet: PostgresFleet
        do {
            fleet = try PostgresFleet(location: location, password: try PostgresLocation.password(file: passwordFile))
        } catch {
            throw ValidationError("--db \(location): \(PostgresHistorianError.describe(error))")
        }
        defer { fleet.close() }
        guard let server = try MonitorCommand.httpConfiguration(http: http, tokenFile: tokenFile, maxConnections: maxConnections) else { return }
        let plants = try await fleet.plants()
        logger.info("fleet starting", metadata: ["db": "\(location)", "plants": "\(plants.count)"])
        let group = buildFleet(fleet: fleet, http: server, logger: logger)
        try await group.run()
        logger.info("fleet stopped")
    }
}
