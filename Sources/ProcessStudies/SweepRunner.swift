import Foundation

/// Runs a sweep on several threads and writes its rows in point order.
///
/// The points (of the shard) are cut into chunks; each worker thread takes the next chunk, evaluates it with its
/// own ``SweepEvaluator`` copy into its own buffer, and hands it over; the calling thread writes chunks in
/// order as they complete. The only shared state is the hand-over (one lock per chunk, not per point), and
/// workers stay at most a few chunks per job ahead of the writer, so memory stays bounded whatever the
/// sweep's size. A row depends only on its point, so the output is the same for any job count.
public enum SweepRunner {
    /// How to run.
    public struct Options: Sendable {
        /// Worker threads (at least 1).
        public var jobs: Int
        /// The slice to run; `nil` runs the whole sweep without shard metadata (`1/1` writes it).
        public var shard: SweepShard?
        /// Keep every row's numbers for a report.
        public var keepTable = false
        /// Points per chunk; by default a few thousand for the flowsheet, 1 when a point runs the column model.
        public var chunkSize: Int?
        /// Written into a shard's metadata (informational).
        public var objective: String?

        public init(jobs: Int) {
            precondition(jobs >= 1, "at least one job")
            self.jobs = jobs
        }
    }

    /// Where the sweep stands, for a progress display.
    public struct Progress: Sendable {
        public var completed: Int
        public var total: Int
        public var failed: Int
    }

    /// What a finished sweep did.
    public struct Summary: Sendable {
        public var points: Int
        /// Points per status.
        public var counts: [SweepStatus: Int]
        /// The rows' numbers, when ``Options/keepTable`` was set.
        public var table: SweepTable?
    }

    /// Runs `definition`, passing the file's bytes to `write` in order (the shard's metadata first when it is
    /// a shard, then the header, then the rows) and calling `progress` from the calling thread.
    ///
    /// - Throws: whatever `write` throws (the workers stop first). Failing points do not throw: they are rows.
    public static func run(
        _ definition: SweepDefinition, options: Options, write: ([UInt8]) throws -> Void,
        progress: (Progress) -> Void = { _ in }
    ) throws -> Summary {
        let shard = options.shard ?? .whole
        let total = shard.pointCount(of: definition.plan.count)
        let evaluator = definition.evaluator
        let chunkSize = max(1, options.chunkSize ?? (evaluator.mayRunColumnModel ? 1 : 2048))
        var preamble = ""
        if let slice = options.shard {
            preamble = SweepMetadata(definition: definition, shard: slice, objective: options.objective).lines
        }
        try write(Array((preamble + SweepCSV.headerLine(definition.columnTitles)).utf8))
        var table = options.keepTable ? SweepTable(plan: definition.plan, valueKeys: definition.valueKeys) : nil
        let pipeline = ChunkPipeline(chunks: (total + chunkSize - 1) / chunkSize, window: 4 * options.jobs)
        let keep = options.keepTable
        for _ in 0..<options.jobs {
            let thread = Thread {
                let worker = evaluator
                var inputs = [Double](repeating: 0, count: worker.plan.dimensions.count)
                var values = [Double](repeating: .nan, count: worker.valueCount)
                while let c = pipeline.take() {
                    var chunk = Chunk()
                    let range = c * chunkSize..<min(total, (c + 1) * chunkSize)
                    chunk.bytes.bytes.reserveCapacity(range.count * (64 + 24 * values.count))
                    for j in range {
                        let i = shard.point(j)
                        let outcome = worker.evaluate(i, inputs: &inputs, values: &values)
                        SweepCSV.appendRow(
                            index: i, inputs: inputs, values: values, outcome: outcome, words: worker.words,
                            to: &chunk.bytes)
                        chunk.statuses.append(outcome.status)
                        if outcome.status != .ok { chunk.failures.append((i, outcome.status, outcome.error ?? "")) }
                        if keep {
                            chunk.numbers.append(contentsOf: inputs)
                            chunk.numbers.append(contentsOf: values)
                        }
                    }
                    pipeline.finish(c, chunk, points: range.count)
                }
                pipeline.workerExited()
            }
            thread.stackSize = 8 << 20
            pipeline.workerStarted()
            thread.start()
        }
        var counts: [SweepStatus: Int] = [:]
        var failed = 0
        defer { pipeline.shutDown() }
        for c in 0..<pipeline.chunks {
            let chunk = pipeline.next(c) { completed in
                progress(Progress(completed: completed, total: total, failed: failed))
            }
            try write(chunk.bytes.bytes)
            for status in chunk.statuses { counts[status, default: 0] += 1 }
            failed += chunk.failures.count
            table?.append(chunk, firstPosition: c * chunkSize, shard: shard)
        }
        progress(Progress(completed: total, total: total, failed: failed))
        return Summary(points: total, counts: counts, table: table)
    }
}

/// One chunk's rows and numbers.
struct Chunk: Sendable {
    var bytes = ByteStream()
    var statuses: [SweepStatus] = []
    var failures: [(point: Int, status: SweepStatus, error: String)] = []
    /// Per point: the inputs, then the values (only when a table is kept).
    var numbers: [Double] = []
}

/// The hand-over between worker threads and the writer.
///
/// `@unchecked Sendable`: every stored property is read and written only while `condition` is locked.
final class ChunkPipeline: @unchecked Sendable {
    let chunks: Int
    private let window: Int
    private let condition = NSCondition()
    private var nextChunk = 0
    private var consumed = 0
    private var ready: [Int: Chunk] = [:]
    private var completedPoints = 0
    private var stopped = false
    private var running = 0

    init(chunks: Int, window: Int) {
        self.chunks = chunks
        self.window = window
    }

    /// The next chunk to compute, or `nil` when there is none left (or the run stopped). Waits while the
    /// workers are `window` chunks ahead of the writer.
    func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && nextChunk < chunks && nextChunk - consumed >= window { condition.wait() }
        guard !stopped, nextChunk < chunks else { return nil }
        nextChunk += 1
        return nextChunk - 1
    }

    func finish(_ c: Int, _ chunk: Chunk, points: Int) {
        condition.lock()
        ready[c] = chunk
        completedPoints += points
        condition.broadcast()
        condition.unlock()
    }

    func workerStarted() {
        condition.lock()
        running += 1
        condition.unlock()
    }

    func workerExited() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for chunk `c`, calling `tick` with the points completed so far every 0.2 s while waiting.
    func next(_ c: Int, tick: (Int) -> Void) -> Chunk {
        condition.lock()
        var lastTick = Date()
        while ready[c] == nil {
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.2))
            if Date().timeIntervalSince(lastTick) >= 0.2 {
                let completed = completedPoints
                condition.unlock()
                tick(completed)
                condition.lock()
                lastTick = Date()
            }
        }
        let chunk = ready.removeValue(forKey: c)!
        consumed += 1
        condition.broadcast()
        condition.unlock()
        return chunk
    }

    /// Stops the workers and waits until every one has exited.
    func shutDown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
