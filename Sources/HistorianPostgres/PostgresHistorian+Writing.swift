import Foundation
import Historian
import PostgresNIO
import RegisterVocabulary
import Synchronization

/// Writing batches to the server: one transaction for one batch (a flush) or several (the spool drained).
///
/// Samples go by `COPY` (``PostgresCopy``) or, with ``PostgresHistorian/Options/ingest`` `.insert`, in one statement
/// `INSERT … SELECT FROM unnest($1::int4[], $2::timestamptz[], …)` of four binary arrays; `geolith bench historian
/// --db postgres://…` measures both against psql's own `COPY` of the same rows. A key written twice (a replay over
/// stored times) fails either; the batch is then inserted again, deduplicated, with `ON CONFLICT … DO UPDATE` (the
/// newer write wins, as in SQLite), after a savepoint.
extension PostgresHistorian {
    /// Writes `batches` in one transaction, skipping those the server already holds (by writer and number).
    func write(_ batches: [HistorianBatch], snapshot: PlantSnapshot?) throws {
        let state = try prepare()
        try writer.withLock { held in
            let connection: PostgresConnection
            if let open = held, !open.isClosed {
                connection = open
            } else {
                connection = try sessions.open()
                held = connection
            }
            do {
                try write(batches, snapshot: snapshot, state: state, on: connection)
            } catch {
                connection.shut()
                held = nil
                throw error
            }
        }
    }

    private func write(_ batches: [HistorianBatch], snapshot: PlantSnapshot?, state: ServerState,
                       on connection: PostgresConnection) throws {
        let plant = state.plant
        var days = Set<Int64>()
        for batch in batches { for sample in batch.samples { days.insert(PostgresPartitions.day(of: sample.time)) } }
        try state.partitions.ensure(days: days, on: connection, sessions)

        try sessions.query(connection, "BEGIN")
        do {
            // The last batch each writer had committed: batches up to it are here already.
            var committed: [UUID: Int64] = [:]
            for writer in Set(batches.map(\.writer)) {
                try sessions.query(connection, """
                    INSERT INTO ingest_writers (plant, writer, committed_seq) VALUES (\(plant), \(writer), 0) ON CONFLICT DO NOTHING
                    """)
                committed[writer] = try sessions.query(connection, """
                    SELECT committed_seq FROM ingest_writers WHERE plant = \(plant) AND writer = \(writer) FOR UPDATE
                    """).first!.decode(Int64.self)
            }
            let fresh = batches.filter { $0.sequence > committed[$0.writer]! }
            let ids = try storeSeries(fresh, known: state.series, plant: plant, on: connection)
            var samples = 0
            var newest: Int64?
            for batch in fresh {
                try insertSamples(batch.samples, ids: ids, plant: plant, on: connection)
                try insertEvents(batch.events, plant: plant, on: connection)
                try storeRuns(batch.runs, plant: plant, on: connection)
                samples += batch.samples.count
                if let last = batch.lastSampleTime { newest = max(newest ?? last, last) }
            }
            for (writer, sequence) in Dictionary(fresh.map { ($0.writer, $0.sequence) }, uniquingKeysWith: max) {
                try sessions.query(connection, """
                    UPDATE ingest_writers SET committed_seq = \(sequence), updated = now() WHERE plant = \(plant) AND writer = \(writer)
                    """)
            }
            let newestTime = newest.map(Timestamp.init)
            try sessions.query(connection, """
                UPDATE plants SET last_write = now(), last_sample = GREATEST(last_sample, \(newestTime)) WHERE id = \(plant)
                """)
            if let snapshot {
                let json = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
                try sessions.query(connection, """
                    INSERT INTO plant_status (plant, time, snapshot) VALUES (\(plant), \(Timestamp(snapshot.time)), \(json)::jsonb)
                    ON CONFLICT (plant) DO UPDATE SET time = excluded.time, snapshot = excluded.snapshot
                    """)
            }
            try sessions.query(connection, "COMMIT")
            server.withLock { $0?.series.merge(ids) { _, new in new } }
            counters.withLock { counters in
                counters.committed += samples
                if let newest { counters.lastCommitted = max(counters.lastCommitted ?? newest, newest) }
            }
        } catch {
            _ = try? sessions.query(connection, "ROLLBACK")
            throw error
        }
    }

    /// Declares the batches' series (the last declaration wins) and creates those only seen in samples, as tags.
    /// - Returns: every series id the batches need, by name.
    private func storeSeries(_ batches: [HistorianBatch], known: [String: Int32], plant: Int32,
                             on connection: PostgresConnection) throws -> [String: Int32] {
        var declared: [String: SeriesInfo] = [:]
        for batch in batches { for info in batch.series { declared[info.name] = info } }
        var seen: [String: SeriesInfo] = [:]
        for batch in batches {
            for sample in batch.samples where known[sample.series] == nil && declared[sample.series] == nil {
                seen[sample.series] = SeriesInfo(name: sample.series, kind: .tag)
            }
        }
        var ids = known
        // A declaration replaces the description; a series only seen in samples keeps one it already has (the
        // no-op update makes RETURNING give its id).
        for (infos, update) in [(declared, "kind = excluded.kind, unit = excluded.unit, device = excluded.device"),
                                (seen, "name = excluded.name")] where !infos.isEmpty {
            let sorted = infos.values.sorted { $0.name < $1.name }
            let rows = try sessions.query(connection, PostgresQuery(unsafeSQL: """
                INSERT INTO series (plant, name, kind, unit, device)
                SELECT $1, name, kind, unit, device FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS d (name, kind, unit, device)
                ON CONFLICT (plant, name) DO UPDATE SET \(update)
                RETURNING id, name
                """, binds: try Self.bindings(plant, sorted.map(\.name), sorted.map(\.kind.rawValue), sorted.map(\.unit), sorted.map(\.device))))
            for row in rows {
                let (id, name) = try row.decode((Int32, String).self)
                ids[name] = id
            }
        }
        return ids
    }

    static func bindings<each Value: PostgresEncodable>(_ values: repeat each Value) throws -> PostgresBindings {
        var binds = PostgresBindings()
        repeat try binds.append(each values)
        return binds
    }

    /// Inserts samples sorted by key; on a duplicate key, again deduplicated with `ON CONFLICT DO UPDATE`.
    private func insertSamples(_ samples: [Sample], ids: [String: Int32], plant: Int32, on connection: PostgresConnection) throws {
        guard !samples.isEmpty else { return }
        var rows = samples.map { (ids[$0.series]!, $0) }
        rows.sort { ($0.0, $0.1.time) < ($1.0, $1.1.time) }
        func statement(_ rows: [(Int32, Sample)], conflict: Bool) -> PostgresQuery {
            var binds = PostgresBindings(capacity: 5)
            binds.append(plant)
            binds.append(ColumnArray(.int32(rows.map(\.0))))
            binds.append(ColumnArray(.timestamps(rows.map(\.1.time))))
            binds.append(ColumnArray(.doubles(rows.map(\.1.value))))
            binds.append(ColumnArray(.int32(rows.map { Int32(truncatingIfNeeded: $0.1.quality.storageCode) })))
            return PostgresQuery(unsafeSQL: """
                INSERT INTO samples_p\(plant) (plant, series, time, value, quality)
                SELECT $1, * FROM unnest($2::int4[], $3::timestamptz[], $4::float8[], $5::int4[])
                """ + (conflict ? " ON CONFLICT (series, time, plant) DO UPDATE SET value = excluded.value, quality = excluded.quality" : ""),
                binds: binds)
        }
        try sessions.query(connection, "SAVEPOINT samples")
        do {
            switch options.ingest {
            case .copy: try PostgresCopy.copy(PostgresCopy.text(rows, plant: plant), into: "samples_p\(plant)", on: connection,
                                              timeout: sessions.timeout)
            case .insert: try sessions.query(connection, statement(rows, conflict: false))
            }
            try sessions.query(connection, "RELEASE SAVEPOINT samples")
        } catch where PostgresHistorianError.sqlState(error) == "23505" {
            try sessions.query(connection, "ROLLBACK TO SAVEPOINT samples")
            // One row per key, the last written (sorting is stable: later samples stay later).
            var unique: [(Int32, Sample)] = []
            unique.reserveCapacity(rows.count)
            for row in rows {
                if let last = unique.last, last.0 == row.0, last.1.time == row.1.time { unique[unique.count - 1] = row } else { unique.append(row) }
            }
            try sessions.query(connection, statement(unique, conflict: true))
        }
    }

    private func insertEvents(_ events: [JournalEvent], plant: Int32, on connection: PostgresConnection) throws {
        for event in events {
            try sessions.query(connection, """
                INSERT INTO events (plant, time, kind, source, message, detail, "user")
                VALUES (\(plant), \(Timestamp(event.time)), \(event.kind.rawValue), \(event.source), \(event.message), \(event.detail.stored), \(event.user))
                """)
        }
    }

    private func storeRuns(_ runs: [RunInfo], plant: Int32, on connection: PostgresConnection) throws {
        for run in runs {
            guard let id = run.id else { continue }
            try sessions.query(connection, """
                INSERT INTO runs (id, plant, kind, plant_id, scenario, seed, started, ended, config, version, notes)
                VALUES (\(id), \(plant), \(run.kind.rawValue), \(run.plant), \(run.scenario), \(run.seed), \(Timestamp(run.started)),
                        \(run.ended.map(Timestamp.init)), \(run.config), \(run.version), \(run.notes))
                ON CONFLICT (id) DO UPDATE SET ended = excluded.ended
                """)
        }
    }
}
