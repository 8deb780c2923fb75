import Foundation
public import Historian
import PostgresNIO
import Synchronization

/// Every plant of a PostgreSQL database that monitors write to (``FleetReader``): what `geolith fleet` serves.
/// Plants' histories are read through read-only ``PostgresHistorian``s sharing this reader's connections.
public final class PostgresFleet: FleetReader {
    let sessions: PostgresSessions
    private let stores = Mutex<[String: PostgresHistorian]>([:])
    /// The last answer of ``plants()`` and when it was read: pages poll it, and each history asks whether its plant is
    /// behind, so it is read at most once a second.
    private let cached = Mutex<(time: ContinuousClock.Instant, plants: [PlantOverview])?>(nil)

    /// Connects and brings the schema up to date (a database no monitor wrote to yet shows an empty fleet). A user
    /// that may not change the schema can read one that is current.
    public init(location: PostgresLocation, password: String?, timeout: Duration = .seconds(5)) throws {
        sessions = try PostgresSessions(location: location, password: password, timeout: timeout, keep: 8)
        do {
            try PostgresSchema.migrate(sessions)
        } catch {
            let current = try? sessions.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.decode(Int32.self)
            guard let current, current >= PostgresSchema.latestVersion else { throw error }
        }
    }

    public func plants() async throws -> [PlantOverview] {
        if let cached = cached.withLock({ $0 }), ContinuousClock.now - cached.time < .seconds(1) { return cached.plants }
        let plants = try await readPlants()
        cached.withLock { $0 = (ContinuousClock.now, plants) }
        return plants
    }

    private func readPlants() async throws -> [PlantOverview] {
        let rows = try await sessions.query("""
            SELECT p.key, p.last_sample, p.last_write, (SELECT count(*) FROM series s WHERE s.plant = p.id), ps.snapshot::text
            FROM plants p LEFT JOIN plant_status ps ON ps.plant = p.id ORDER BY p.key
            """)
        let decoder = JSONDecoder()
        return try rows.map { row in
            let (key, lastSample, lastWrite, series, snapshot) = try row.decode((String, Timestamp?, Timestamp?, Int64, String?).self)
            return PlantOverview(id: key, lastSampleTime: lastSample?.ms, lastWrite: lastWrite?.ms, series: Int(series),
                                 snapshot: snapshot.flatMap { try? decoder.decode(PlantSnapshot.self, from: Data($0.utf8)) })
        }
    }

    public func store(forPlant id: String) async throws -> (any HistoryStore)? {
        if let store = stores.withLock({ $0[id] }) { return store }
        let exists = try await sessions.query("SELECT 1 FROM plants WHERE key = \(id)").first != nil
        guard exists else { return nil }
        var options = PostgresHistorian.Options()
        options.timeout = sessions.timeout
        let store = try PostgresHistorian(sessions: sessions, plant: id, options: options)
        return stores.withLock { stores in
            if let existing = stores[id] { return existing }
            stores[id] = store
            return store
        }
    }

    public func isReachable() async -> Bool {
        (try? await sessions.query("SELECT 1")) != nil
    }

    /// Closes the connections.
    public func close() { sessions.close() }
}
