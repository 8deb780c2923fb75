import Foundation
import GRDB
import Synchronization

/// A bounded local spool (one SQLite file) of the batches a server's backend could not write yet, kept in the order
/// they were acknowledged and taken out in that order once the server holds them.
///
/// An append is durable when it returns (WAL, `synchronous = NORMAL`: it survives a kill of the process, as the
/// SQLite historian's flushes do). The bound counts the batches' bytes; an append past it is refused (the caller
/// counts what it loses and raises an alarm) until the spool drains. The file is bound to one plant on one server
/// (its `identity`): a spool holding another plant's batches is refused rather than sent under the wrong name.
package final class HistorianSpool: Sendable {
    package struct Totals: Sendable, Hashable {
        package var batches = 0
        package var samples = 0
        package var bytes: Int64 = 0
        /// The last append was refused: the spool is at its bound.
        package var full = false
        package init(batches: Int = 0, samples: Int = 0, bytes: Int64 = 0) {
            self.batches = batches
            self.samples = samples
            self.bytes = bytes
        }
    }

    package let path: String
    package let limitBytes: Int64
    private let database: DatabaseQueue
    private let state = Mutex<Totals>(Totals())

    package init(path: String, limitBytes: Int64, identity: String) throws {
        self.path = path
        self.limitBytes = limitBytes
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                // Pages freed by a drain are given back when the spool empties (`incremental_vacuum`).
                if try Int.fetchOne(db, sql: "PRAGMA page_count") == 0 { try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS batches (
                        id INTEGER PRIMARY KEY, samples INTEGER NOT NULL, bytes INTEGER NOT NULL, payload BLOB NOT NULL);
                    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                    """)
            }
        } catch {
            throw SpoolError.unusable(path: path, reason: "\(error)")
        }
        let totals = try database.write { db -> Totals in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, TOTAL(samples) AS s, TOTAL(bytes) AS b FROM batches")
            let totals = Totals(batches: row?["n"] ?? 0, samples: Int(row?["s"] as Double? ?? 0), bytes: Int64(row?["b"] as Double? ?? 0))
            let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'identity'")
            if let stored, stored != identity, totals.batches > 0 {
                throw SpoolError.otherPlant(path: path, holds: stored, batches: totals.batches, wanted: identity)
            }
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('identity', ?)", arguments: [identity])
            return totals
        }
        state.withLock { $0 = totals }
    }

    package var totals: Totals { state.withLock { $0 } }
    package var isEmpty: Bool { state.withLock { $0.batches == 0 } }

    /// Appends a batch at the end. - Returns: false when the spool is full and the batch was not kept.
    package func append(_ batch: HistorianBatch) throws -> Bool {
        let payload = try batch.encoded()
        let refused = state.withLock { totals -> Bool in
            let over = totals.bytes + Int64(payload.count) > limitBytes
            if over { totals.full = true }
            return over
        }
        if refused { return false }
        try database.write { db in
            try db.execute(sql: "INSERT INTO batches (samples, bytes, payload) VALUES (?, ?, ?)",
                           arguments: [batch.samples.count, payload.count, Data(payload)])
        }
        state.withLock { totals in
            totals.batches += 1
            totals.samples += batch.samples.count
            totals.bytes += Int64(payload.count)
        }
        return true
    }

    /// The oldest batches, in order: at most `limit`, and no more than `maxSamples` samples unless the first alone has.
    package func oldest(limit: Int, maxSamples: Int) throws -> [(id: Int64, batch: HistorianBatch)] {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, samples, payload FROM batches ORDER BY id LIMIT ?", arguments: [limit])
        }
        var out: [(id: Int64, batch: HistorianBatch)] = []
        var samples = 0
        for row in rows {
            let count: Int = row["samples"]
            if !out.isEmpty, samples + count > maxSamples { break }
            samples += count
            let payload: Data = row["payload"]
            do {
                out.append((row["id"], try HistorianBatch(decoding: Array(payload))))
            } catch {
                throw SpoolError.unusable(path: path, reason: "batch \(row["id"] as Int64) cannot be read: \(error)")
            }
        }
        return out
    }

    /// Removes the batches up to and including `id` (the server holds them now).
    package func remove(through id: Int64) throws {
        let (removed, empty) = try database.write { db -> (Totals, Bool) in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, TOTAL(samples) AS s, TOTAL(bytes) AS b FROM batches WHERE id <= ?",
                                       arguments: [id])
            try db.execute(sql: "DELETE FROM batches WHERE id <= ?", arguments: [id])
            let left = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batches") ?? 0
            return (Totals(batches: row?["n"] ?? 0, samples: Int(row?["s"] as Double? ?? 0), bytes: Int64(row?["b"] as Double? ?? 0)), left == 0)
        }
        state.withLock { totals in
            totals.batches -= removed.batches
            totals.samples -= removed.samples
            totals.bytes -= removed.bytes
            if totals.bytes < limitBytes { totals.full = false }
        }
        if empty { try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA incremental_vacuum") } }
    }

    /// Closes the file (what it holds stays for the next open).
    package func close() throws { try database.close() }
}

/// A spool that cannot be used.
package enum SpoolError: Error, Sendable, CustomStringConvertible {
    case corrupt(String)
    case unusable(path: String, reason: String)
    case otherPlant(path: String, holds: String, batches: Int, wanted: String)

    package var description: String {
        switch self {
        case .corrupt(let reason): "spool batch unreadable: \(reason)"
        case .unusable(let path, let reason): "spool \(path): \(reason)"
        case .otherPlant(let path, let holds, let batches, let wanted):
            "spool \(path) holds \(batches) batches for \(holds), not \(wanted): run that plant's monitor to send them, or give another --spool"
        }
    }
}
