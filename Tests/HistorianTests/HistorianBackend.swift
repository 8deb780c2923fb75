import Foundation
import Historian
import HistorianPostgres
import PostgresTestSupport
import Synchronization
import Testing

/// The historian's two backends, for suites that run the same tests against both.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    /// SQLite always; PostgreSQL when installed (or required: then a missing server fails the test).
    static var all: [Backend] { PostgresCluster.available ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// Where one test keeps its history: a SQLite file, or a plant of its own in the shared test cluster's database
/// with a spool file. Opens historians there (again, for reopening); closes them and removes the files at the end.
final class HistorianPlace: @unchecked Sendable {   // Safe: `opened` is only touched under its lock.
    let backend: Backend
    let path: String
    let plant = "test-\(UUID().uuidString.prefix(12).lowercased())"
    private let lock = NSLock()
    private var opened: [any HistoryStore] = []

    init(_ backend: Backend) {
        self.backend = backend
        path = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-\(backend)-\(UUID()).sqlite").path
    }

    /// A historian writing here (PostgreSQL: in the shared cluster, with a spool at `path`).
    func open(batchInterval: Duration = .seconds(1)) throws -> any HistoryStore {
        let store: any HistoryStore
        switch backend {
        case .sqlite:
            store = try SQLiteHistorian(path: path, batchInterval: batchInterval)
        case .postgres:
            let cluster = try PostgresCluster.shared()
            var options = PostgresHistorian.Options()
            options.batchInterval = batchInterval
            options.spoolPath = path
            options.password = cluster.password
            store = try PostgresHistorian(location: cluster.location, plant: plant, options: options)
        }
        lock.withLock { opened.append(store) }
        return store
    }

    /// A historian reading what was written here.
    func openForReading() throws -> any HistoryStore {
        let store: any HistoryStore
        switch backend {
        case .sqlite:
            store = try SQLiteHistorian.open(readingAt: path)
        case .postgres:
            let cluster = try PostgresCluster.shared()
            var options = PostgresHistorian.Options()
            options.password = cluster.password
            store = try PostgresHistorian(location: cluster.location, plant: plant, options: options)
        }
        lock.withLock { opened.append(store) }
        return store
    }

    deinit {
        for store in opened { try? store.close() }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
