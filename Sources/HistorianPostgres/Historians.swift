import Foundation
public import Historian
public import Logging
import PostgresNIO

/// Opens the historian `--db` names: a SQLite file or a plant in a PostgreSQL database.
public enum Historians {
    /// How a monitor (or a replay) writes.
    public struct Writing: Sendable {
        public var batchInterval: Duration = .seconds(1)
        /// PostgreSQL: the spool file (default: `PLANT.spool.sqlite` in the working directory) and its bound.
        public var spoolPath: String?
        public var spoolLimitBytes: Int64 = 1 << 30
        /// PostgreSQL: the password file (else PGPASSWORD).
        public var passwordFile: String?
        public var timeout: Duration = .seconds(5)
        public var logger: Logger?
        public init() {}
    }

    /// The historian of `plant` at `location`, for writing.
    public static func open(_ location: HistorianLocation, plant: String, writing: Writing) throws -> any HistoryStore {
        switch location {
        case .sqlite(let path):
            return try SQLiteHistorian(path: path, batchInterval: writing.batchInterval)
        case .postgres(let server):
            var options = PostgresHistorian.Options()
            options.batchInterval = writing.batchInterval
            options.spoolPath = writing.spoolPath ?? "\(plant).spool.sqlite"
            options.spoolLimitBytes = writing.spoolLimitBytes
            options.password = try PostgresLocation.password(file: writing.passwordFile)
            options.timeout = writing.timeout
            options.logger = writing.logger
            return try PostgresHistorian(location: server, plant: plant, options: options)
        }
    }

    /// A historian to read: a file (opened read-only), or one plant of a database. `plant` may be left out when the
    /// database holds a single plant.
    public static func openForReading(_ location: HistorianLocation, plant: String?, passwordFile: String?) throws -> any HistoryStore {
        switch location {
        case .sqlite(let path):
            return try SQLiteHistorian.open(readingAt: path)
        case .postgres(let server):
            var options = PostgresHistorian.Options()
            options.password = try PostgresLocation.password(file: passwordFile)
            let chosen: String
            if let plant {
                chosen = plant
            } else {
                let fleet = try PostgresFleet(location: server, password: options.password)
                defer { fleet.close() }
                let keys = try fleet.sessions.query("SELECT key FROM plants ORDER BY key").map { try $0.decode(String.self) }
                guard keys.count == 1 else {
                    throw PostgresHistorianError.server(keys.isEmpty ? "\(server) holds no plant"
                        : "\(server) holds \(keys.count) plants (\(keys.joined(separator: ", "))): choose one with --plant")
                }
                chosen = keys[0]
            }
            return try PostgresHistorian(location: server, plant: chosen, options: options)
        }
    }
}
