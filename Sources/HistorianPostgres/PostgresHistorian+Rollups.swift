import Foundation
import Historian
import PostgresNIO
import Synchronization

/// Rollups, retention and upkeep on the server: the SQLite historian's rules (minute buckets from the samples, hour
/// buckets from the minutes, min/max/mean/count of good and uncertain values and the worst quality of all, a mark up
/// to which the minutes are complete), computed by PostgreSQL with one grouped statement per width over the time
/// range. Rows are stored in time order (each batch is a second of every series), so a BRIN index on time (migration
/// 3) finds the heap pages of the range: a minute of a 10,000-tag plant at 1 s is 600,000 consecutive rows. The
/// SQLite historian's way, a seek per series, took 5 s a minute per plant of such plants with ten of them writing
/// (`geolith bench fleet`).
extension PostgresHistorian {
    /// Rolls up the buckets overlapping [from, to) (from the mark if that is earlier) and advances the mark. While the
    /// historian is behind the samples of the range may still be in the spool: nothing is computed and the mark stays,
    /// so the next call after the spool drained covers the gap.
    public func updateRollups(from: Int64, to: Int64, inFlight: Int64) throws {
        guard !readOnly else { throw PostgresHistorianError.readOnly }
        guard to > from, mode.withLock({ $0 }) == .direct else { return }
        let state = try prepare(), plant = state.plant
        try sessions.withConnection { connection in
            let mark = try sessions.query(connection, "SELECT rolled_up FROM plants WHERE id = \(plant)").first?
                .decode(Timestamp?.self)?.ms
            // From the mark: the minutes before it are complete already (the SQLite historian recomputes the last
            // minute before it again; with ten 10,000-tag plants on one server that doubled the rollups' cost).
            let start = mark ?? from
            let minuteStart = Self.floor(start, 60_000), minuteEnd = Self.floor(to - 1, 60_000) + 60_000
            let hourStart = Self.floor(start, 3_600_000), hourEnd = Self.floor(to - 1, 3_600_000) + 3_600_000
            try state.partitions.ensure(days: Self.days(from: hourStart, before: hourEnd), on: connection, sessions)
            try sessions.query(connection, """
                INSERT INTO \(unescaped: state.partitions.rollupsTable) (plant, series, width, bucket, min, max, mean, count, worst)
                SELECT \(plant), series, 60000, bucket, min(v), max(v), sum(v) / NULLIF(count(v), 0), count(v)::int, min(q)
                FROM (SELECT x.series, date_bin('1 minute', x.time, timestamptz 'epoch') AS bucket,
                             CASE WHEN x.quality & 255 > 0 THEN x.value END AS v, x.quality & 255 AS q
                      FROM \(unescaped: state.partitions.samplesTable) x
                      WHERE x.plant = \(plant) AND x.time >= \(Timestamp(minuteStart)) AND x.time < \(Timestamp(minuteEnd))) usable
                GROUP BY series, bucket
                ON CONFLICT (series, width, bucket, plant) DO UPDATE
                SET min = excluded.min, max = excluded.max, mean = excluded.mean, count = excluded.count, worst = excluded.worst
                """)
            try sessions.query(connection, """
                INSERT INTO \(unescaped: state.partitions.rollupsTable) (plant, series, width, bucket, min, max, mean, count, worst)
                SELECT \(plant), r.series, 3600000, date_bin('1 hour', r.bucket, timestamptz 'epoch'), min(r.min), max(r.max),
                       sum(r.mean * r.count) / NULLIF(sum(r.count), 0), sum(r.count)::int, min(r.worst)
                FROM \(unescaped: state.partitions.rollupsTable) r
                WHERE r.plant = \(plant) AND r.width = 60000 AND r.bucket >= \(Timestamp(hourStart)) AND r.bucket < \(Timestamp(hourEnd))
                GROUP BY r.series, 4
                ON CONFLICT (series, width, bucket, plant) DO UPDATE
                SET min = excluded.min, max = excluded.max, mean = excluded.mean, count = excluded.count, worst = excluded.worst
                """)
            let complete = max(mark ?? .min, Self.floor(to - inFlight, 60_000))
            try sessions.query(connection, """
                UPDATE plants SET rolled_up = GREATEST(rolled_up, \(Timestamp(complete))) WHERE id = \(plant)
                """)
        }
    }

    /// Drops the day partitions (samples) and month partitions (rollups) that end at or before `time`, and deletes
    /// older journal events. - Returns: the rows removed (partitions' rows as PostgreSQL's statistics count them).
    @discardableResult
    public func deleteOlder(than time: Int64) throws -> Int {
        guard !readOnly else { throw PostgresHistorianError.readOnly }
        let state = try prepare()
        return try sessions.withConnection { connection in
            let dropped = try state.partitions.drop(before: time, on: connection, sessions)
            let events = try sessions.query(connection, "DELETE FROM events WHERE plant = \(state.plant) AND time < \(Timestamp(time))")
            return dropped + (events.metadata.rows ?? 0)
        }
    }

    /// Creates the partitions of today and the next ``Options/daysAhead`` days if missing.
    public func maintain(at time: Int64) throws {
        guard !readOnly, mode.withLock({ $0 }) == .direct else { return }
        let state = try prepare()
        let today = PostgresPartitions.day(of: time)
        try sessions.withConnection { connection in
            try state.partitions.ensure(days: today...(today + Int64(options.daysAhead)), on: connection, sessions)
        }
    }

    /// The days whose partitions hold [from, before).
    static func days(from: Int64, before: Int64) -> ClosedRange<Int64> {
        PostgresPartitions.day(of: from)...PostgresPartitions.day(of: max(from, before - 1))
    }

    static func floor(_ time: Int64, _ width: Int64) -> Int64 {
        let (q, r) = time.quotientAndRemainder(dividingBy: width)
        return (r < 0 ? q - 1 : q) * width
    }
}
