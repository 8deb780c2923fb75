import Foundation
public import Historian
public import Logging
import PostgresNIO
import Synchronization
import Timekeeping

/// The historian of one plant in a PostgreSQL database that a fleet of plants shares (``HistoryStore``).
///
/// Writes are buffered and flushed as the SQLite historian's are; a flush is one transaction on the server (a batch
/// of samples bound as four arrays and inserted in one statement, its events, runs and the plant's live state). When
/// the server is down or does not answer within the timeout, the flush goes to a bounded local spool (a SQLite file)
/// instead, and every later flush too until a background drainer has written the spool to the server in order; the
/// historian is *behind* meanwhile (``status``). Batches are numbered per writing process and the server keeps the
/// last number committed, so a batch sent twice is stored once. A full spool refuses batches (counted, and the
/// monitor raises an alarm); nothing it acknowledged is lost.
///
/// Reads go to the server on connections of their own, so a flush never delays them.
public final class PostgresHistorian: HistoryStore {
    public struct Options: Sendable {
        /// How samples reach the server: `COPY … FROM STDIN` (text; the faster, measured) or one `INSERT … SELECT
        /// FROM unnest(…)` of binary arrays per batch.
        public enum Ingest: String, Sendable, CaseIterable { case copy, insert }
        public var ingest = Ingest.copy
        public var batchInterval: Duration = .seconds(1)
        /// How long any call waits for the server before the flush goes to the spool (or a read fails).
        public var timeout: Duration = .seconds(5)
        /// The spool file; nil opens the historian for reading only.
        public var spoolPath: String?
        public var spoolLimitBytes: Int64 = 1 << 30
        /// Days of partitions created ahead of today.
        public var daysAhead = 2
        /// The password (from a file or PGPASSWORD); never logged.
        public var password: String?
        /// Where the historian says that it falls behind and catches up.
        public var logger: Logger?
        public init() {}
    }

    enum Mode: Sendable { case direct, spooling }

    struct Counters: Sendable {
        var acknowledged = 0
        var committed = 0
        var dropped = 0
        var lastCommitted: Int64?
        var lastError: String?
    }

    /// What the server has told us about this plant (learnt at the first connection).
    struct ServerState: Sendable {
        var plant: Int32
        var partitions: PostgresPartitions
        var series: [String: Int32]
    }

    struct Buffer: Sendable {
        var samples: [Sample] = []
        var events: [JournalEvent] = []
        var series: [String: SeriesInfo] = [:]
        var runs: [RunInfo] = []
    }

    public let batchInterval: Duration
    /// The plant description's id: the plant this historian reads and writes.
    public let plantKey: String
    let options: Options
    let sessions: PostgresSessions
    let readOnly: Bool
    /// Whether ``close()`` closes the connections (not when they are a fleet's).
    let ownsSessions: Bool
    let spool: HistorianSpool?
    let writerID = UUID()
    private let nextSequence = Atomic<Int64>(1)
    let server = Mutex<ServerState?>(nil)
    /// The plant's rolled-up mark as last read, and when (history reads skip asking for a few seconds).
    let rolledUp = Mutex<(Int64?, ContinuousClock.Instant)?>(nil)
    let buffer = Mutex<Buffer>(Buffer())
    let snapshot = Mutex<PlantSnapshot?>(nil)
    let mode = Mutex<Mode>(.direct)
    let counters = Mutex<Counters>(Counters())
    /// Runs begun here, by id, so that ending one stores it whole.
    let openRuns = Mutex<[Int64: RunInfo]>([:])
    private let lastRunID = Mutex<Int64>(0)
    /// One flush at a time.
    let flushing = Mutex<Void>(())
    /// The connection that writes (a flush or the drainer, one at a time).
    let writer = Mutex<PostgresConnection?>(nil)
    /// Writes the spool to the server in the background (started only for a historian that writes).
    let drainer = SpoolDrainer()

    /// Opens the historian of plant `plant` at `location`, migrating the schema and creating the plant's
    /// partitions. With a spool (writing), an unreachable server is not an error: batches go to the spool until it
    /// answers. Without one (reading), it is.
    public convenience init(location: PostgresLocation, plant: String, options: Options) throws {
        try self.init(sessions: PostgresSessions(location: location, password: options.password, timeout: options.timeout),
                      plant: plant, options: options, ownsSessions: true)
    }

    /// A historian on connections shared with others (the fleet's readers share one set), or its own.
    init(sessions: PostgresSessions, plant: String, options: Options, ownsSessions: Bool = false) throws {
        self.ownsSessions = ownsSessions
        precondition(!plant.isEmpty, "a plant id is needed")
        let location = sessions.location
        self.options = options
        plantKey = plant
        batchInterval = options.batchInterval
        readOnly = options.spoolPath == nil
        self.sessions = sessions
        if let path = options.spoolPath {
            spool = try HistorianSpool(path: path, limitBytes: options.spoolLimitBytes, identity: "plant \(plant) at \(location.databaseIdentity)")
        } else {
            spool = nil
        }
        do {
            try prepare()
        } catch {
            guard !readOnly else {
                if ownsSessions { sessions.close() }
                throw error
            }
            let message = PostgresHistorianError.describe(error)
            counters.withLock { $0.lastError = message }
            mode.withLock { $0 = .spooling }
            options.logger?.warning("PostgreSQL unreachable at start: spooling until it answers",
                                    metadata: ["db": "\(location)", "error": "\(message)"])
        }
        if let spool {
            if !spool.isEmpty { mode.withLock { $0 = .spooling } }
            drainer.start(draining: self)
        }
    }

    /// Connects, migrates, registers the plant and learns its series and partitions; once per server state.
    @discardableResult
    func prepare() throws -> ServerState {
        if let state = server.withLock({ $0 }) { return state }
        let state = try sessions.withConnection { connection -> ServerState in
            if !readOnly { try PostgresSchema.migrate(sessions, upTo: PostgresSchema.latestVersion) }
            let id: Int32
            if readOnly {
                guard let row = try sessions.query(connection, "SELECT id FROM plants WHERE key = \(plantKey)").first else {
                    let known = try sessions.query(connection, "SELECT key FROM plants ORDER BY key").map { try $0.decode(String.self) }
                    throw PostgresHistorianError.server("no plant \"\(plantKey)\" in \(sessions.location)"
                        + (known.isEmpty ? " (it holds none)" : " (it holds \(known.joined(separator: ", ")))"))
                }
                id = try row.decode(Int32.self)
            } else {
                id = try sessions.query(connection, """
                    INSERT INTO plants (key) VALUES (\(plantKey)) ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id
                    """).first!.decode(Int32.self)
            }
            let partitions = PostgresPartitions(plant: id)
            if !readOnly { try partitions.createParents(sessions, connection) }
            try partitions.load(sessions, connection)
            var series: [String: Int32] = [:]
            for row in try sessions.query(connection, "SELECT id, name FROM series WHERE plant = \(id)") {
                let (seriesID, name) = try row.decode((Int32, String).self)
                series[name] = seriesID
            }
            let state = ServerState(plant: id, partitions: partitions, series: series)
            if !readOnly {
                let today = PostgresPartitions.day(of: Self.now())
                try partitions.ensure(days: today...(today + Int64(options.daysAhead)), on: connection, sessions)
            }
            return state
        }
        server.withLock { $0 = state }
        return state
    }

    static func now() -> Int64 { Timekeeping.Timestamp.now.milliseconds }

    // MARK: - Writing

    public func declare(_ info: SeriesInfo) {
        buffer.withLock { $0.series[info.name] = info }
    }

    public func append(_ samples: some Sequence<Sample>) {
        buffer.withLock { $0.samples.append(contentsOf: samples) }
    }

    public func record(_ event: JournalEvent) {
        buffer.withLock { $0.events.append(event) }
    }

    public var pending: Int { buffer.withLock { $0.samples.count + $0.events.count } }

    public func publish(_ snapshot: PlantSnapshot) {
        self.snapshot.withLock { $0 = snapshot }
    }

    /// A run's id: the start time in ms times 1,000 plus a counter, unique without asking the server (a run can
    /// begin while the server is away), increasing in the order runs begin.
    public func beginRun(_ run: RunInfo) throws -> Int64 {
        guard !readOnly else { throw PostgresHistorianError.readOnly }
        let id = lastRunID.withLock { last -> Int64 in
            last = max(last + 1, Self.now() * 1000)
            return last
        }
        var stored = run
        stored.id = id
        openRuns.withLock { $0[id] = stored }
        buffer.withLock { $0.runs.append(stored) }
        return id
    }

    public func endRun(_ id: Int64, at time: Int64) throws {
        guard !readOnly else { throw PostgresHistorianError.readOnly }
        guard var run = openRuns.withLock({ $0.removeValue(forKey: id) }) else { return }
        run.ended = time
        buffer.withLock { $0.runs.append(run) }
    }

    /// Stores what is buffered: one transaction on the server, or the spool while it is away or behind.
    @discardableResult
    public func flush() throws -> Int {
        guard !readOnly else { throw PostgresHistorianError.readOnly }
        return flushing.withLock { _ -> Int in
            var batch = HistorianBatch(writer: writerID, sequence: 0)
            buffer.withLock { buffer in
                batch.samples = buffer.samples
                batch.events = buffer.events
                batch.series = Array(buffer.series.values)
                batch.runs = buffer.runs
                buffer = Buffer()
            }
            // Times PostgreSQL cannot hold would make the batch fail forever: they are dropped and counted.
            let before = batch.samples.count
            batch.samples.removeAll { !PostgresTime.contains($0.time) }
            if batch.samples.count < before { counters.withLock { $0.dropped += before - batch.samples.count } }
            let state = snapshot.withLock { $0 }
            guard !batch.isEmpty || state != nil else { return 0 }
            batch.sequence = nextSequence.wrappingAdd(1, ordering: .relaxed).oldValue
            let count = batch.samples.count
            if mode.withLock({ $0 }) == .direct {
                do {
                    try write([batch], snapshot: state)
                    snapshot.withLock { if $0 == state { $0 = nil } }
                    counters.withLock { $0.acknowledged += count }
                    return count
                } catch {
                    noteFailure(error)
                }
            }
            guard !batch.isEmpty else { return 0 }
            return toSpool(batch)
        }
    }

    /// Puts a batch in the spool (switching to spooling): its sample count, or 0 when the spool refused it.
    private func toSpool(_ batch: HistorianBatch) -> Int {
        guard let spool else { return 0 }
        do {
            let kept = try mode.withLock { mode -> Bool in
                mode = .spooling
                return try spool.append(batch)
            }
            drainer.wake()
            if kept {
                counters.withLock { $0.acknowledged += batch.samples.count }
                return batch.samples.count
            }
        } catch {
            counters.withLock { $0.lastError = "spool: \(error)" }
            options.logger?.error("historian spool write failed: samples lost", metadata: ["error": "\(error)"])
        }
        counters.withLock { $0.dropped += batch.samples.count }
        return 0
    }

    /// Records a failed write; says so once when the historian falls behind.
    func noteFailure(_ error: any Error) {
        let message = PostgresHistorianError.describe(error)
        counters.withLock { $0.lastError = message }
        closeWriter()
        // Behind from now on: the drainer writes what is spooled and switches back once the server answers.
        let wasDirect = mode.withLock { mode -> Bool in
            defer { if spool != nil { mode = .spooling } }
            return mode == .direct
        }
        if wasDirect {
            options.logger?.warning("historian behind: PostgreSQL did not take a batch, spooling",
                                    metadata: ["db": "\(sessions.location)", "error": "\(message)"])
        }
    }

    public var status: HistorianStatus {
        let counters = self.counters.withLock { $0 }
        let totals = spool?.totals ?? HistorianSpool.Totals()
        let behind = mode.withLock { $0 } == .spooling
        return HistorianStatus(backend: "postgresql", location: "\(sessions.location) (plant \(plantKey))", behind: behind,
                               spooledBatches: totals.batches, spooledSamples: totals.samples, spoolBytes: totals.bytes,
                               spoolLimitBytes: spool?.limitBytes ?? 0, spoolFull: totals.full, droppedSamples: counters.dropped,
                               acknowledgedSamples: counters.acknowledged, committedSamples: counters.committed,
                               lastCommittedTime: counters.lastCommitted, lastError: behind ? counters.lastError : nil)
    }

    /// Flushes, stops the drainer (the spool keeps what it holds for the next start) and closes the connections.
    public func close() throws {
        if !readOnly { try flush() }
        drainer.stop()
        closeWriter()
        if ownsSessions { sessions.close() }
        try spool?.close()
    }

    func closeWriter() {
        if let connection = writer.withLock({ connection in defer { connection = nil }; return connection }) {
            _ = try? sessions.wait(connection.shut())
        }
    }
}
