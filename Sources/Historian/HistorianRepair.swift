import Foundation
import GRDB

/// `geolith historian check|recover FILE`: what a historian file holds and whether it is damaged, and a salvage
/// of everything still readable into a new file. The damaged file is only ever read.
public enum HistorianRepair {
    /// What a check or a recovery found.
    public struct Report: Sendable {
        public var path: String
        /// The WAL beside the file, if any.
        public var wal: HistorianWAL?
        /// `PRAGMA quick_check` (or `integrity_check`) lines: `["ok"]` for a sound file.
        public var integrity: [String] = []
        /// The file `integrity` describes when it is not `path`: a recovery checks the file it wrote.
        public var integrityOf: String?
        /// Rows per table: counted by a check, copied by a recovery.
        public var rows: [(table: String, rows: Int)] = []
        /// Ranges that could not be read (by a recovery: skipped).
        public var unreadable: [String] = []

        public var isHealthy: Bool { integrity == ["ok"] && unreadable.isEmpty && !(wal?.isDamaged ?? false) }

        /// The report as lines of text.
        public var text: String {
            var lines = ["file: \(path)"]
            if let wal {
                lines.append("wal: \(wal.size) bytes, \(wal.frames) frames, \(wal.validFrames) readable"
                    + (wal.isDamaged ? (wal.headerDamaged ? ", header damaged: SQLite would ignore it all"
                        : ", damaged: \(wal.commitsAfterDamage) committed transactions (\(wal.framesAfterDamage) frames) after frame \(wal.validFrames) cannot be read")
                        : ""))
            } else {
                lines.append("wal: none")
            }
            lines.append("integrity\(integrityOf.map { " of \($0)" } ?? ""): \(integrity.isEmpty ? "not checked" : integrity.prefix(5).joined(separator: "; "))")
            for (table, count) in rows { lines.append("\(table): \(count) rows") }
            for range in unreadable.prefix(20) { lines.append("unreadable: \(range)") }
            if unreadable.count > 20 { lines.append("unreadable: \(unreadable.count - 20) more ranges") }
            lines.append(isHealthy ? "status: ok" : "status: damaged")
            return lines.joined(separator: "\n")
        }
    }

    static let tables = ["series", "samples", "recent", "events", "runs", "rollups", "meta"]

    /// Opens `path` read-only, without changing it or its WAL.
    static func openReadOnly(_ path: String) throws -> DatabaseQueue {
        try SQLiteHistorian.checkPath(path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw HistorianError(path: path, operation: "check", cause: "no such file", kind: .notAFile)
        }
        var configuration = Configuration()
        configuration.readonly = true
        do { return try DatabaseQueue(path: path, configuration: configuration) } catch {
            throw HistorianError.sqlite(error, path: path, operation: "open")
        }
    }

    /// Checks a historian file: its WAL, `PRAGMA quick_check` (`integrity_check` with `full`), and the rows of
    /// each table.
    public static func check(_ path: String, full: Bool = false) throws -> Report {
        var report = Report(path: path)
        report.wal = try HistorianWAL.inspect(database: path)
        let source = try openReadOnly(path)
        do {
            try source.read { db in
                do {
                    report.integrity = try String.fetchAll(db, sql: full ? "PRAGMA integrity_check(50)" : "PRAGMA quick_check(50)")
                } catch {
                    report.integrity = ["\(HistorianError.sqlite(error, path: path, operation: "check").cause)"]
                }
                for table in tables where try db.tableExists(table) {
                    do { report.rows.append((table, try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0)) } catch {
                        report.unreadable.append("\(table): \(HistorianError.sqlite(error, path: path, operation: "count").cause)")
                    }
                }
            }
        } catch {
            // A damaged page can fail the read transaction itself (its end, or the schema): the file is damaged,
            // which is the report's answer, not an error of the check.
            report.unreadable.append("reading: \(HistorianError.sqlite(error, path: path, operation: "read").cause)")
            if report.integrity.isEmpty { report.integrity = ["not completed"] }
        }
        return report
    }

    /// Copies everything readable from `path` into a new historian file at `output`: the series, then the samples
    /// of each series (an hour at a time around a damaged page), `recent` into `samples`, the events, runs and
    /// rollups. What cannot be read is listed in the report; `path` is not changed.
    /// - Throws: ``HistorianError`` when `output` exists or `path` cannot be opened at all.
    public static func recover(_ path: String, into output: String) throws -> Report {
        guard !FileManager.default.fileExists(atPath: output) else {
            throw HistorianError(path: output, operation: "recover into", cause: "the file exists", remedy: "Give a new file", kind: .cannotCreate)
        }
        var report = Report(path: path)
        report.wal = try HistorianWAL.inspect(database: path)
        let source = try openReadOnly(path)
        let target = try SQLiteHistorian(path: output)
        var copier = TableCopier(source: source, target: target.database, path: path)
        try copier.copyRowTable("series", key: "id")
        for table in ["samples", "recent"] { try copier.copySeriesTable(table) }
        for (table, key) in [("events", "id"), ("runs", "id")] { try copier.copyRowTable(table, key: key) }
        try copier.copySeriesTable("rollups")
        try copier.copyRowTable("meta", key: "rowid")
        report.rows = copier.copied
        report.unreadable = copier.unreadable
        try target.compact()
        try target.checkpoint()
        report.integrity = try target.database.read { try String.fetchAll($0, sql: "PRAGMA quick_check") }
        report.integrityOf = output
        return report
    }
}

/// Copies rows from a damaged historian into a new one, range by range, skipping what cannot be read.
struct TableCopier {
    let source: DatabaseQueue
    let target: any DatabaseWriter
    let path: String
    var copied: [(table: String, rows: Int)] = []
    var unreadable: [String] = []

    init(source: DatabaseQueue, target: any DatabaseWriter, path: String) {
        self.source = source
        self.target = target
        self.path = path
    }

    /// The columns of `table` that both files have (older files lack some); `nil` when the source has no such table.
    func columns(_ table: String) throws -> [String]? {
        guard let sourceColumns = try? source.read({ db in try db.tableExists(table) ? try db.columns(in: table).map(\.name) : nil })
        else { return nil }
        let destination = table == "recent" ? "samples" : table
        let targetColumns = try target.read { db in try db.columns(in: destination).map(\.name) }
        return targetColumns.filter(sourceColumns.contains)
    }

    /// Reads rows with `condition` and writes them into the target; returns false (and notes the range) when the
    /// source cannot be read there.
    mutating func copy(_ table: String, _ columns: [String], where condition: String, _ arguments: StatementArguments,
                       range: String) throws -> Bool {
        let list = columns.joined(separator: ", ")
        let rows: [[DatabaseValue]]
        do {
            rows = try source.read { db in
                try Row.fetchAll(db, sql: "SELECT \(list) FROM \(table) WHERE \(condition)", arguments: arguments)
                    .map { row in columns.indices.map { row[$0] as DatabaseValue } }
            }
        } catch {
            unreadable.append("\(table) \(range): \(HistorianError.sqlite(error, path: path, operation: "read").cause)")
            return false
        }
        let destination = table == "recent" ? "samples" : table
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let verb = table == "recent" ? "INSERT OR REPLACE" : "INSERT OR IGNORE"
        try target.write { db in
            let insert = try db.cachedStatement(sql: "\(verb) INTO \(destination) (\(list)) VALUES (\(placeholders))")
            for row in rows { try insert.execute(arguments: StatementArguments(row)) }
        }
        add(table, rows.count)
        return true
    }

    mutating func add(_ table: String, _ count: Int) {
        if let index = copied.firstIndex(where: { $0.table == table }) { copied[index].rows += count } else { copied.append((table, count)) }
    }

    /// A table keyed by an integer (or, for `meta`, any key): 1,000 keys at a time, so one damaged page loses
    /// only its range.
    mutating func copyRowTable(_ table: String, key: String) throws {
        guard var columns = try columns(table) else { return }
        add(table, 0)
        if key == "rowid" {
            columns = columns.filter { $0 != "rowid" }
            _ = try copy(table, columns, where: "1", [], range: "all rows")
            return
        }
        let bounds = try? source.read { db in
            try Row.fetchOne(db, sql: "SELECT min(\(key)), max(\(key)) FROM \(table)").map { ($0[0] as Int64?, $0[1] as Int64?) }
        }
        guard let bounds, let low = bounds.0, let high = bounds.1 else {
            _ = try copy(table, columns, where: "1", [], range: "all rows")
            return
        }
        var start = low
        while start <= high {
            let end = start > Int64.max - 999 ? Int64.max : start + 999
            _ = try copy(table, columns, where: "\(key) BETWEEN ? AND ?", [start, end], range: "\(key) \(start)…\(end)")
            if end == .max { break }
            start = end + 1
        }
    }

    /// A table keyed by series: each series whole, or around a damaged page an hour (of its time column) at a time.
    mutating func copySeriesTable(_ table: String) throws {
        guard let columns = try columns(table) else { return }
        add(table, 0)
        let time = table == "rollups" ? "bucket" : "time"
        let ids = try target.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM series ORDER BY id") }
        for id in ids {
            if try copy(table, columns, where: "series = ?", [id], range: "series \(id)") { continue }
            let bounds = try? source.read { db in
                try Row.fetchOne(db, sql: "SELECT min(\(time)), max(\(time)) FROM \(table) WHERE series = ?", arguments: [id])
                    .map { ($0[0] as Int64?, $0[1] as Int64?) }
            }
            guard let bounds, let low = bounds.0, let high = bounds.1 else { continue }
            let hour: Int64 = 3_600_000
            var start = low
            // At most a year of hours per series: a wider damaged range is reported as one.
            var windows = 0
            while start <= high, windows < 8_784 {
                let end = start > Int64.max - hour ? Int64.max : start + hour - 1
                _ = try copy(table, columns, where: "series = ? AND \(time) BETWEEN ? AND ?", [id, start, end],
                             range: "series \(id) \(time) \(start)…\(end)")
                windows += 1
                if end == .max { break }
                start = end + 1
            }
        }
    }
}
