import GRDB

/// Rollups and retention: maintenance that runs while the historian ingests, so its cost must follow what it
/// touches, not the size of the file.
///
/// Samples are keyed (series, time), so a condition on time alone cannot use the key: the first rollup
/// query (`WHERE time >= ? GROUP BY series, time / width`) scanned and sorted the whole table every minute,
/// a cost growing with the file while the flusher waited and batches piled up in memory (figures in
/// CHANGELOG.md, "Rollups"). These statements walk the series table by rowid and seek each series' key range
/// (`SEARCH samples USING PRIMARY KEY (series=? AND time>? AND time<?)`, no temporary B-tree), so a minute
/// bucket costs the same whatever the file holds. Hour buckets are aggregated from
/// the minute rollups (min of minima, max of maxima, mean weighted by count), not from the samples again.
extension SQLiteHistorian {
    /// Minute buckets per call above which one pass over the table is cheaper than a seek per series and
    /// bucket (a backfill of a long recording).
    static let seekLimit = 240

    /// Computes the 1-minute and 1-hour rollups (min, max, mean, count of good and uncertain values) of
    /// the buckets that overlap [from, to).
    ///
    /// Hour buckets are built from the minute rollups, so the minutes of an hour must have been rolled up
    /// before: call it over contiguous ranges (the monitor does, once a minute) or from the hour's start.
    ///
    /// It also advances the mark up to which the minute rollups are complete (``rolledUp(_:)``), which history
    /// reads trust: to the last minute that ends `inFlight` ms before `to` (a sample younger than that may still
    /// be in a batch not yet written). A call that starts after the mark rolls up the minutes since the mark
    /// first, so a gap (the daemon stopped mid-minute) is never marked complete unseen.
    public func updateRollups(from: Int64, to: Int64, inFlight: Int64) throws {
        guard to > from else { return }
        try moveRecent()
        // Outside a transaction, each statement its own (see `moveRecent()`): the mark is written last, so a
        // crash before it leaves minutes that the next call computes again.
        try database.writeWithoutTransaction { db in
            let mark = try Self.rolledUp(db)
            let start = mark.map { min(from, $0) } ?? from
            try Self.rollUp(db, width: 60_000, from: start, to: to, bucket: Self.minuteFromSamples,
                            range: Self.minutesScan)
            try Self.rollUp(db, width: 3_600_000, from: start, to: to, bucket: Self.hourFromMinutes,
                            range: Self.hoursScan)
            let complete = max(mark ?? .min, (to - inFlight) / 60_000 * 60_000)
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('rolled_up', ?)", arguments: [complete])
        }
    }

    /// The time before which every minute rollup is complete, or nil when none has been computed.
    static func rolledUp(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'rolled_up'")
    }

    /// One bucket of every series: `?1` the width, `?2` the bucket's start.
    /// Good and uncertain values make min, max, mean and count; every value, bad ones too, makes `worst`
    /// (the lowest quality status), so a bucket of bad values still says so.
    private static let minuteFromSamples = """
        INSERT OR REPLACE INTO rollups (series, width, bucket, min, max, mean, count, worst)
        SELECT s.id, ?1, ?2, MIN(\(usable)), MAX(\(usable)), AVG(\(usable)), COUNT(\(usable)), MIN(x.quality & 255)
        FROM series s NOT INDEXED CROSS JOIN samples x ON x.series = s.id
        WHERE x.time >= ?2 AND x.time < ?2 + ?1
        GROUP BY s.id
        """

    /// A sample's value if its quality is good or uncertain, else NULL.
    private static let usable = "CASE WHEN (x.quality & 255) > 0 THEN x.value END"

    private static let hourFromMinutes = """
        INSERT OR REPLACE INTO rollups (series, width, bucket, min, max, mean, count, worst)
        SELECT s.id, ?1, ?2, MIN(r.min), MAX(r.max), SUM(r.mean * r.count) / SUM(r.count), SUM(r.count), MIN(r.worst)
        FROM series s NOT INDEXED CROSS JOIN rollups r ON r.series = s.id AND r.width = 60000
        WHERE r.bucket >= ?2 AND r.bucket < ?2 + ?1
        GROUP BY s.id
        """

    /// Every bucket in [?2, ?3) in one pass: `?1` the width.
    private static let minutesScan = """
        INSERT OR REPLACE INTO rollups (series, width, bucket, min, max, mean, count, worst)
        SELECT x.series, ?1, (x.time / ?1) * ?1, MIN(\(usable)), MAX(\(usable)), AVG(\(usable)), COUNT(\(usable)),
               MIN(x.quality & 255)
        FROM samples x WHERE x.time >= ?2 AND x.time < ?3
        GROUP BY x.series, x.time / ?1
        """

    private static let hoursScan = """
        INSERT OR REPLACE INTO rollups (series, width, bucket, min, max, mean, count, worst)
        SELECT series, ?1, (bucket / ?1) * ?1, MIN(min), MAX(max), SUM(mean * count) / SUM(count), SUM(count), MIN(worst)
        FROM rollups WHERE width = 60000 AND bucket >= ?2 AND bucket < ?3
        GROUP BY series, bucket / ?1
        """

    /// The buckets of `width` overlapping [from, to): one `bucket` statement per bucket, or one `range`
    /// statement when they are many.
    private static func rollUp(_ db: Database, width: Int64, from: Int64, to: Int64, bucket: String,
                               range: String) throws {
        let first = from / width * width
        let end = (to - 1) / width * width + width
        if (end - first) / 60_000 > seekLimit {
            try db.execute(sql: range, arguments: [width, first, end])
            return
        }
        let statement = try db.cachedStatement(sql: bucket)
        var start = first
        while start < end {
            try statement.execute(arguments: [width, start])
            start += width
        }
    }

    /// Deletes samples, rollups and events older than `time` (retention), seeking each series' key range
    /// rather than scanning the tables.
    /// - Returns: the rows deleted.
    @discardableResult
    public func deleteOlder(than time: Int64) throws -> Int {
        try moveRecent()
        return try database.writeWithoutTransaction { db in
            try db.execute(sql: "DELETE FROM samples WHERE series IN (SELECT id FROM series) AND time < ?",
                           arguments: [time])
            var deleted = db.changesCount
            try db.execute(sql: """
                DELETE FROM rollups WHERE series IN (SELECT id FROM series) AND width IN (60000, 3600000) AND bucket < ?
                """, arguments: [time])
            deleted += db.changesCount
            try db.execute(sql: "DELETE FROM events WHERE time < ?", arguments: [time])
            return deleted + db.changesCount
        }
    }
}
