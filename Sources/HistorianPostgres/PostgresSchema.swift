import Foundation
import PostgresNIO

/// The fleet's schema in PostgreSQL, as numbered migrations applied in order at start (`schema_migrations` records
/// each). One transaction holds an advisory lock while it migrates, so monitors starting together migrate once.
///
/// Samples and rollups are partitioned by plant (LIST) and then by time (RANGE): a day per partition for samples,
/// a month for rollups. A plant's partitions are created when it first writes and the days ahead of time
/// (``PostgresPartitions``); retention drops whole partitions. Times are `timestamptz`, so SQL and Grafana read
/// them as times; the historian binds and reads them as integer microseconds (exact to the millisecond).
enum PostgresSchema {
    struct Migration {
        var version: Int
        var name: String
        var sql: String

        var statements: [String] {
            sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
    }

    /// Serialises migrations and partition changes across processes (an arbitrary constant: "GEOLITH").
    static let lockKey: Int64 = 0x47454F4C49544800

    static let migrations: [Migration] = [
        Migration(version: 1, name: "plants, series, samples, rollups, journal, runs", sql: """
            CREATE TABLE plants (
                id serial PRIMARY KEY, key text NOT NULL UNIQUE, created timestamptz NOT NULL DEFAULT now(),
                last_sample timestamptz, last_write timestamptz, rolled_up timestamptz);
            CREATE TABLE series (
                id serial PRIMARY KEY, plant int NOT NULL REFERENCES plants (id), name text NOT NULL, kind text NOT NULL,
                unit text NOT NULL DEFAULT '', device text NOT NULL DEFAULT '', UNIQUE (plant, name));
            CREATE TABLE samples (
                plant int NOT NULL, series int NOT NULL, time timestamptz NOT NULL, value float8, quality int NOT NULL,
                PRIMARY KEY (series, time, plant)) PARTITION BY LIST (plant);
            CREATE TABLE rollups (
                plant int NOT NULL, series int NOT NULL, width int NOT NULL, bucket timestamptz NOT NULL,
                min float8, max float8, mean float8, count int NOT NULL, worst int NOT NULL,
                PRIMARY KEY (series, width, bucket, plant)) PARTITION BY LIST (plant);
            CREATE TABLE events (
                id bigserial PRIMARY KEY, plant int NOT NULL REFERENCES plants (id), time timestamptz NOT NULL,
                kind text NOT NULL, source text NOT NULL, message text NOT NULL, detail text NOT NULL DEFAULT '{}', "user" text);
            CREATE INDEX events_plant_time ON events (plant, time);
            CREATE TABLE runs (
                id bigint PRIMARY KEY, plant int NOT NULL REFERENCES plants (id), kind text NOT NULL, plant_id text NOT NULL,
                scenario text NOT NULL, seed bigint NOT NULL, started timestamptz NOT NULL, ended timestamptz,
                config text NOT NULL, version text NOT NULL, notes text NOT NULL);
            CREATE INDEX runs_plant ON runs (plant, id);
            CREATE TABLE ingest_writers (
                plant int NOT NULL REFERENCES plants (id), writer uuid NOT NULL, committed_seq bigint NOT NULL,
                updated timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (plant, writer));
            """),
        Migration(version: 2, name: "fleet overview: plant status, named views for SQL and Grafana", sql: """
            CREATE TABLE plant_status (
                plant int PRIMARY KEY REFERENCES plants (id), time timestamptz NOT NULL, snapshot jsonb NOT NULL);
            CREATE VIEW samples_named AS
                SELECT p.key AS plant, s.name AS series, s.kind, s.unit, x.time, x.value, x.quality & 255 AS status
                FROM samples x JOIN series s ON s.id = x.series JOIN plants p ON p.id = x.plant;
            CREATE VIEW rollups_named AS
                SELECT p.key AS plant, s.name AS series, s.kind, s.unit, r.width, r.bucket AS time, r.min, r.max, r.mean,
                       r.count, r.worst
                FROM rollups r JOIN series s ON s.id = r.series JOIN plants p ON p.id = r.plant;
            """),
        // Rows arrive in time order: a BRIN index (a few pages per day partition) finds a minute's or an hour's rows
        // for the rollups without a seek per series.
        Migration(version: 3, name: "BRIN indexes on time for the rollups", sql: """
            CREATE INDEX samples_time_brin ON samples USING brin (time);
            CREATE INDEX rollups_bucket_brin ON rollups USING brin (bucket)
            """),
    ]

    static var latestVersion: Int { migrations.last!.version }

    /// Applies the migrations the database lacks, up to `version`, in one transaction; returns the versions applied.
    @discardableResult
    static func migrate(_ sessions: PostgresSessions, upTo version: Int = latestVersion) throws -> [Int] {
        try sessions.withConnection { connection in
            try sessions.query(connection, "BEGIN")
            do {
                try sessions.query(connection, "SELECT pg_advisory_xact_lock(\(lockKey))")
                try sessions.query(connection, """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version int PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())
                    """)
                let done = try sessions.query(connection, "SELECT version FROM schema_migrations").map { try $0.decode(Int32.self) }
                var applied: [Int] = []
                for migration in migrations where migration.version <= version && !done.contains(Int32(migration.version)) {
                    // One statement at a time: the extended query protocol takes one per query.
                    for statement in migration.statements { try sessions.query(connection, PostgresQuery(unsafeSQL: statement)) }
                    try sessions.query(connection, "INSERT INTO schema_migrations (version, name) VALUES (\(Int32(migration.version)), \(migration.name))")
                    applied.append(migration.version)
                }
                try sessions.query(connection, "COMMIT")
                return applied
            } catch {
                _ = try? sessions.query(connection, "ROLLBACK")
                throw error
            }
        }
    }
}
