import Foundation
public import Historian
import PostgresNIO
import RegisterVocabulary

/// Reading one plant's history from the server, on connections of their own (never the writer's). The same
/// queries as the SQLite historian's, on the plant's own partitioned tables (`samples_p<plant>`, `rollups_p<plant>`:
/// the planner then weighs only that plant's days, and prunes those the range does not cover).
extension PostgresHistorian {
    /// The id of a series, or nil if it was never stored.
    func seriesID(_ name: String) throws -> Int32? {
        let state = try prepare()
        if let id = state.series[name] { return id }
        return try sessions.query("SELECT id FROM series WHERE plant = \(state.plant) AND name = \(name)").first?.decode(Int32.self)
    }

    public func series() throws -> [SeriesInfo] {
        let plant = try prepare().plant
        return try sessions.query("SELECT name, kind, unit, device FROM series WHERE plant = \(plant) ORDER BY name").map { row in
            let (name, kind, unit, device) = try row.decode((String, String, String, String).self)
            return SeriesInfo(name: name, kind: SeriesKind(rawValue: kind) ?? .tag, unit: unit, device: device)
        }
    }

    /// `SELECT time, value, quality` of one series in [from, through], oldest first.
    func sampleRange(_ plant: Int32, _ id: Int32, from: Int64, through: Int64, limit: Int? = nil) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(plant)
        binds.append(id)
        binds.append(Timestamp(from))
        binds.append(Timestamp(through))
        return PostgresQuery(unsafeSQL: """
            SELECT time, value, quality FROM samples_p\(plant) WHERE plant = $1 AND series = $2 AND time >= $3 AND time <= $4 ORDER BY time
            """ + (limit.map { " LIMIT \($0)" } ?? ""), binds: binds)
    }

    static func sample(_ row: PostgresRow) throws -> (time: Int64, value: Double?, quality: Int64) {
        var cells = BinaryCells(row)
        guard let time = try cells.time() else { throw PostgresDecodingError.Code.missingData }
        let value = try cells.double()
        let quality = try cells.integer() ?? 0
        return (time, value, Int64(UInt32(truncatingIfNeeded: quality)))
    }

    public func samples(_ series: String, from: Int64, to: Int64, limit: Int) throws -> [Sample] {
        guard to >= from, limit > 0, let id = try seriesID(series) else { return [] }
        let plant = try prepare().plant
        return try sessions.query(sampleRange(plant, id, from: from, through: to, limit: limit)).map { row in
            let (time, value, quality) = try Self.sample(row)
            return Sample(series: series, time: time, value: value ?? .nan, quality: Quality(storageCode: quality) ?? .bad(.decodeError))
        }
    }

    public func columns(_ series: String, from: Int64, before: Int64, following: Int) throws -> SampleColumns {
        var columns = SampleColumns()
        guard let id = try seriesID(series) else { return columns }
        let plant = try prepare().plant
        func add(_ rows: PostgresQueryResult) throws {
            for row in rows {
                let (time, value, quality) = try Self.sample(row)
                columns.times.append(time)
                columns.values.append(value ?? .nan)
                columns.qualities.append(Quality(storageCode: quality) ?? .bad(.decodeError))
            }
        }
        if before > from { try add(try sessions.query(sampleRange(plant, id, from: from, through: before - 1))) }
        if following > 0, before != .max {
            try add(try sessions.query(sampleRange(plant, id, from: before, through: .max, limit: following)))
        }
        return columns
    }

    public func timeRange(_ series: String) throws -> ClosedRange<Int64>? {
        guard let id = try seriesID(series) else { return nil }
        let plant = try prepare().plant
        let rows = try sessions.query("""
            SELECT (SELECT time FROM \(unescaped: "samples_p\(plant)") WHERE plant = \(plant) AND series = \(id) ORDER BY time LIMIT 1),
                   (SELECT time FROM \(unescaped: "samples_p\(plant)") WHERE plant = \(plant) AND series = \(id) ORDER BY time DESC LIMIT 1)
            """)
        guard let row = rows.first else { return nil }
        let (first, last) = try row.decode((Timestamp?, Timestamp?).self)
        guard let first, let last else { return nil }
        return first.ms...last.ms
    }

    public func latest(kind: SeriesKind?) throws -> [Sample] {
        let plant = try prepare().plant
        return try sessions.query("""
            SELECT s.name, x.time, x.value, x.quality FROM series s
            CROSS JOIN LATERAL (SELECT time, value, quality FROM \(unescaped: "samples_p\(plant)") x WHERE x.plant = \(plant) AND x.series = s.id
                                ORDER BY time DESC LIMIT 1) x
            WHERE s.plant = \(plant) AND (\(kind?.rawValue)::text IS NULL OR s.kind = \(kind?.rawValue)) ORDER BY s.name
            """).map { row in
            let (name, time, value, quality) = try row.decode((String, Timestamp, Double?, Int32).self)
            return Sample(series: name, time: time.ms, value: value ?? .nan,
                          quality: Quality(storageCode: Int64(UInt32(bitPattern: quality))) ?? .bad(.decodeError))
        }
    }

    public func events(from: Int64, to: Int64, kind: JournalEvent.Kind?, limit: Int) throws -> [JournalEvent] {
        let plant = try prepare().plant
        return try sessions.query("""
            SELECT id, time, kind, source, message, detail, "user" FROM events
            WHERE plant = \(plant) AND time >= \(Timestamp(from)) AND time <= \(Timestamp(to)) AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
            ORDER BY time DESC, id DESC LIMIT \(limit)
            """).map { row in
            let (id, time, kind, source, message, detail, user) = try row.decode((Int64, Timestamp, String, String, String, String, String?).self)
            return JournalEvent(time: time.ms, kind: kind, source: source, message: message, storedDetail: detail, user: user, id: id)
        }
    }

    public func runs() throws -> [RunInfo] {
        let plant = try prepare().plant
        return try sessions.query("""
            SELECT id, kind, plant_id, scenario, seed, started, ended, config, version, notes FROM runs WHERE plant = \(plant) ORDER BY id
            """).map { row in
            let (id, kind, plantID, scenario, seed, started, ended, config, version, notes)
                = try row.decode((Int64, String, String, String, Int64, Timestamp, Timestamp?, String, String, String).self)
            return RunInfo(id: id, kind: RunInfo.Kind(rawValue: kind) ?? .monitor, plant: plantID, scenario: scenario, seed: seed,
                           started: started.ms, ended: ended?.ms, config: config, version: version, notes: notes)
        }
    }

    public func rollups(_ series: String, width: Int64, from: Int64, to: Int64) throws -> [HistoryPoint] {
        guard let id = try seriesID(series) else { return [] }
        let plant = try prepare().plant
        return try sessions.query("""
            SELECT bucket, min, max, mean, count, worst FROM \(unescaped: "rollups_p\(plant)")
            WHERE plant = \(plant) AND series = \(id) AND width = \(Int32(clamping: width))
              AND bucket >= \(Timestamp(from)) AND bucket <= \(Timestamp(to)) ORDER BY bucket
            """).map { row in
            let rollup = try Self.rollup(row)
            return HistoryPoint(time: rollup.bucket, min: rollup.min ?? .nan, max: rollup.max ?? .nan, mean: rollup.mean ?? .nan,
                                count: rollup.count, quality: Quality(Quality.Status(rawValue: UInt8(clamping: rollup.worst)) ?? .bad))
        }
    }

    /// `bucket, min, max, mean, count, worst` of a rollup row.
    static func rollup(_ row: PostgresRow) throws -> (bucket: Int64, min: Double?, max: Double?, mean: Double?, count: Int, worst: Int64) {
        var cells = BinaryCells(row)
        guard let bucket = try cells.time() else { throw PostgresDecodingError.Code.missingData }
        let (low, high, mean) = (try cells.double(), try cells.double(), try cells.double())
        return (bucket, low, high, mean, Int(try cells.integer() ?? 0), try cells.integer() ?? 0)
    }
}
