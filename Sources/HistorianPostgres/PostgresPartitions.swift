import Foundation
import PostgresNIO
import Synchronization

/// A plant's partitions: `samples_p<plant>` and `rollups_p<plant>` (LIST by plant), under them one partition of
/// samples per UTC day (`samples_p<plant>_d<yyyymmdd>`) and of rollups per month (`rollups_p<plant>_m<yyyymm>`).
///
/// The days a batch needs are created before it is written (a replay or a spool drained after days writes old
/// times), the coming days ahead of time (``ensure(days:on:)`` from the historian's upkeep), each under the schema's
/// advisory lock so that two processes never race on one name. Retention drops the partitions that end before
/// the cutoff: no row-by-row delete.
final class PostgresPartitions: Sendable {
    static let day: Int64 = 86_400_000

    let plant: Int32
    private let knownDays = Mutex<Set<Int64>>([])
    private let knownMonths = Mutex<Set<Int64>>([])

    init(plant: Int32) { self.plant = plant }

    var samplesTable: String { "samples_p\(plant)" }
    var rollupsTable: String { "rollups_p\(plant)" }

    /// The UTC day number (days since 1970) of a time, rounded down.
    static func day(of ms: Int64) -> Int64 {
        let (q, r) = ms.quotientAndRemainder(dividingBy: day)
        return r < 0 ? q - 1 : q
    }

    /// The month number (months since January 1970) of a day.
    static func month(ofDay day: Int64) -> Int64 {
        let (year, month, _) = civil(day)
        return (year - 1970) * 12 + (month - 1)
    }

    /// Year, month and day of a day number (Howard Hinnant's days-to-civil, proleptic Gregorian).
    static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The day number of a civil date (the inverse of ``civil(_:)``).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func dayName(_ day: Int64) -> String {
        let (y, m, d) = civil(day)
        return String(format: "%04lld%02lld%02lld", y, m, d)
    }

    /// The first day of a month number.
    static func firstDay(ofMonth month: Int64) -> Int64 {
        let (years, months) = month.quotientAndRemainder(dividingBy: 12)
        let (y, m) = months < 0 ? (years - 1, months + 12) : (years, months)
        return days(year: 1970 + y, month: m + 1, day: 1)
    }

    /// A day's start as SQL text: `'2026-01-31 00:00:00+00'`.
    static func literal(day: Int64) -> String {
        let (y, m, d) = civil(day)
        return String(format: "'%04lld-%02lld-%02lld 00:00:00+00'", y, m, d)
    }

    /// Learns which partitions exist (at open).
    func load(_ sessions: PostgresSessions, _ connection: PostgresConnection) throws {
        let rows = try sessions.query(connection, """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = \(samplesTable) OR p.relname = \(rollupsTable)
            """)
        var days = Set<Int64>(), months = Set<Int64>()
        for row in rows {
            let name = try row.decode(String.self)
            if let range = name.range(of: "_d", options: .backwards), name.hasPrefix("samples_"),
               let value = Int64(name[range.upperBound...]) {
                days.insert(Self.days(year: value / 10_000, month: value / 100 % 100, day: value % 100))
            } else if let range = name.range(of: "_m", options: .backwards), name.hasPrefix("rollups_"),
                      let value = Int64(name[range.upperBound...]) {
                months.insert((value / 100 - 1970) * 12 + value % 100 - 1)
            }
        }
        knownDays.withLock { $0.formUnion(days) }
        knownMonths.withLock { $0.formUnion(months) }
    }

    /// Creates the plant's two parent partitions if missing.
    func createParents(_ sessions: PostgresSessions, _ connection: PostgresConnection) throws {
        try locked(sessions, connection) {
            try sessions.query(connection, PostgresQuery(unsafeSQL: """
                CREATE TABLE IF NOT EXISTS \(samplesTable) PARTITION OF samples FOR VALUES IN (\(plant)) PARTITION BY RANGE (time)
                """))
            try sessions.query(connection, PostgresQuery(unsafeSQL: """
                CREATE TABLE IF NOT EXISTS \(rollupsTable) PARTITION OF rollups FOR VALUES IN (\(plant)) PARTITION BY RANGE (bucket)
                """))
        }
    }

    /// Creates the day partitions of samples and the month partitions of rollups covering `days` that do not exist yet.
    func ensure(days: some Sequence<Int64>, on connection: PostgresConnection, _ sessions: PostgresSessions) throws {
        let missingDays = knownDays.withLock { known in Set(days).subtracting(known) }
        let missingMonths = knownMonths.withLock { known in Set(missingDays.map(Self.month(ofDay:))).subtracting(known) }
        guard !missingDays.isEmpty || !missingMonths.isEmpty else { return }
        try locked(sessions, connection) {
            for day in missingDays.sorted() {
                try sessions.query(connection, PostgresQuery(unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(samplesTable)_d\(Self.dayName(day)) PARTITION OF \(samplesTable)
                    FOR VALUES FROM (\(Self.literal(day: day))) TO (\(Self.literal(day: day + 1)))
                    """))
            }
            for month in missingMonths.sorted() {
                let first = Self.firstDay(ofMonth: month), next = Self.firstDay(ofMonth: month + 1)
                try sessions.query(connection, PostgresQuery(unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(rollupsTable)_m\(Self.dayName(first).prefix(6)) PARTITION OF \(rollupsTable)
                    FOR VALUES FROM (\(Self.literal(day: first))) TO (\(Self.literal(day: next)))
                    """))
            }
        }
        knownDays.withLock { $0.formUnion(missingDays) }
        knownMonths.withLock { $0.formUnion(missingMonths) }
    }

    /// Drops the day partitions that end at or before `cutoff` and the month partitions of rollups that do.
    /// - Returns: the rows they held, as PostgreSQL's statistics count them (0 for a partition never analysed).
    func drop(before cutoff: Int64, on connection: PostgresConnection, _ sessions: PostgresSessions) throws -> Int {
        let days = knownDays.withLock { $0.filter { ($0 + 1) * Self.day <= cutoff } }
        let months = knownMonths.withLock { $0.filter { Self.firstDay(ofMonth: $0 + 1) * Self.day <= cutoff } }
        guard !days.isEmpty || !months.isEmpty else { return 0 }
        let names = days.sorted().map { "\(samplesTable)_d\(Self.dayName($0))" }
            + months.sorted().map { "\(rollupsTable)_m\(Self.dayName(Self.firstDay(ofMonth: $0)).prefix(6))" }
        let counted = try sessions.query(connection, """
            SELECT COALESCE(SUM(GREATEST(reltuples, 0)), 0)::int8 FROM pg_class WHERE relname = ANY(\(names))
            """).first.map { try $0.decode(Int64.self) } ?? 0
        try locked(sessions, connection) {
            for name in names { try sessions.query(connection, PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(name)")) }
        }
        knownDays.withLock { $0.subtract(days) }
        knownMonths.withLock { $0.subtract(months) }
        return Int(counted)
    }

    /// Runs `body` in a transaction holding the schema's advisory lock; a deadlock with another plant's writes (the
    /// server chose this transaction to abort) is tried again, up to three times.
    private func locked(_ sessions: PostgresSessions, _ connection: PostgresConnection, _ body: () throws -> Void) throws {
        for attempt in 1...3 {
            try sessions.query(connection, "BEGIN")
            do {
                try sessions.query(connection, "SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey))")
                try body()
                try sessions.query(connection, "COMMIT")
                return
            } catch {
                _ = try? sessions.query(connection, "ROLLBACK")
                guard attempt < 3, PostgresHistorianError.sqlState(error) == "40P01" else { throw error }
            }
        }
    }
}
