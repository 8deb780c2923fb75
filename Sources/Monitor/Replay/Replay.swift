import Foundation
import Historian
import Modbus
import PlantConfig
import RegisterVocabulary
import Timekeeping

/// Options of a replay.
public struct ReplayOptions: Sendable {
    /// How often KPIs, staleness and alarm timers are evaluated, as the live monitor's ticker does.
    public var tickInterval: Duration = .seconds(1)
    public var staleAfterPeriods = 3
    public var backoffBase: Duration = .milliseconds(250)
    public var backoffCap: Duration = .seconds(30)
    /// Replayed seconds per wall-clock second; nil replays as fast as possible.
    public var speed: Double?
    /// Recorded time read from the file at once, ms (bounds memory whatever the run's length).
    public var chunk: Int64 = 600_000
    /// How often the KPIs, and the truth KPIs from the simulator's true signals, are kept for the summary, ms.
    public var truthInterval: Int64 = 60_000
    public init() {}
}

/// What a replay saw, beside what it wrote to its historian.
public struct ReplaySummary: Sendable {
    public var start: Int64
    public var end: Int64
    /// Tag values that went through the pipeline.
    public var values = 0
    public var scans = 0
    public var ticks = 0
    /// Values by device and quality text (`good`, `bad(timeout)`, …).
    public var qualityByDevice: [String: [String: Int]] = [:]
    /// KPIs computed from the simulator's true signals, every ``ReplayOptions/truthInterval``: name → points.
    public var truthKPIs: [String: [(time: Int64, value: Double)]] = [:]
    /// The replayed KPIs at the same instants (what the monitor showed then), for plots and comparisons.
    public var kpis: [String: [(time: Int64, value: Double)]] = [:]
    /// Tags of the plant that the run does not hold (they stay without a value).
    public var missingTags: [String] = []
    /// Communication-fault windows applied, as (device, from, to, what).
    public var commFaults: [(device: String, from: Int64, to: Int64, what: String)] = []
    /// Wall-clock seconds the replay took; of them, reading the run and waiting for the historian's writes.
    public var wallSeconds = 0.0
    public var readSeconds = 0.0
    public var writeWaitSeconds = 0.0
}

/// Feeds a recorded run through the live monitor's pipeline — decoding, quality, alarms, soft sensors,
/// historian — in replayed time.
///
/// Each device's scan groups are read on their periods from the run's start, as the poller reads them: a
/// recording's served value is encoded into the tag's registers and decoded by ``TagPipeline`` (float32
/// rounding, sentinels and range checks included), and the recording's communication faults become the
/// timeouts, resets and exceptions the poller would have met, with the live poller's scheduler (``ScanScheduler``, same
/// backoff seeds) deciding when each group is read and a device probed again: replay drives the scheduler on
/// recorded time as the poller drives it on a clock. A monitor's historian is replayed from its stored values
/// and qualities, interpolated between the points swinging-door compression kept, with the journal's
/// device events. The ticker runs every ``ReplayOptions/tickInterval``. Nothing reads a clock but the
/// optional pacing, so the same run and settings give the same output.
public struct Replay: Sendable {
    public let run: RecordedRun
    public let state: MonitorState
    public let options: ReplayOptions
    private let softSensors: SoftSensors

    /// - Parameters:
    ///   - run: the recorded run.
    ///   - state: the monitor state to feed, built for the plant description to replay with (its alarm
    ///     limits may differ from the recording's) and the historian that receives the output.
    ///   - softSensors: the soft-sensor settings the state was built with, for the truth KPIs.
    public init(run: RecordedRun, state: MonitorState, softSensors: SoftSensors = SoftSensors(), options: ReplayOptions = .init()) {
        self.run = run
        self.state = state
        self.options = options
        self.softSensors = softSensors
    }

    /// Runs the replay to the end of the recording.
    ///
    /// - Parameter progress: called after each chunk with the fraction of the run replayed.
    /// - Returns: counts, per-device data quality and the truth KPIs.
    /// - Throws: ``ReplayError``, the historian's errors, or `CancellationError`.
    public func run(progress: (Double) -> Void = { _ in }) async throws -> ReplaySummary {
        let wallClock = ContinuousClock()
        let wallStart = wallClock.now
        var driver = ReplayDriver(run: run, state: state, softSensors: softSensors, options: options)
        let reader = ReplayChunkReader(run: run, tracks: driver.tracks.map(\.series), truth: driver.truthTracks.map(\.series),
                                       chunk: options.chunk)
        var reading = reader.read(from: run.start)
        // The historian writes one chunk while the next is replayed (its buffer is swapped under a lock).
        var writing: Task<Void, any Error>?
        var chunkStart = run.start
        while chunkStart <= run.end {
            try Task.checkCancellation()
            let chunkEnd = min(chunkStart + options.chunk, run.end + 1)
            let readStart = wallClock.now
            let columns = try await reading.value
            if chunkEnd <= run.end { reading = reader.read(from: chunkEnd) }
            driver.install(columns)
            driver.summary.readSeconds += readStart.duration(to: wallClock.now).seconds
            while let due = driver.nextDeadline, due.milliseconds < chunkEnd {
                guard driver.perform(at: due), let speed = options.speed, speed > 0 else { continue }
                // Paced after each tick: replayed time runs `speed` times as fast as the wall clock.
                let target = wallStart.advanced(by: .milliseconds(Int64(Double(due.milliseconds - run.start) / speed)))
                if wallClock.now < target { try await wallClock.sleep(until: target, tolerance: .milliseconds(2)) }
            }
            if let historian = state.historian {
                let waitStart = wallClock.now
                try await writing?.value
                driver.summary.writeWaitSeconds += waitStart.duration(to: wallClock.now).seconds
                // Rolled up as the chunk is written, as the monitor's flusher does every minute: from the
                // earliest time a point still held by a compressor can carry (its maximum interval, 10 min).
                let (from, to, start) = (chunkStart - 600_000, chunkEnd, run.start)
                writing = Task.detached {
                    try historian.flush()
                    try historian.updateRollups(from: max(from, start), to: to, inFlight: 600_000)
                }
            }
            chunkStart = chunkEnd
            progress(run.end > run.start ? Double(min(chunkEnd, run.end) - run.start) / Double(run.end - run.start) : 1)
        }
        let waitStart = wallClock.now
        try await writing?.value
        state.drain()
        if let historian = state.historian {
            try historian.flush()
            try historian.updateRollups(from: max(run.start, run.end - 1_200_000), to: run.end + 1, inFlight: 0)
        }
        var summary = driver.finish()
        summary.writeWaitSeconds += waitStart.duration(to: wallClock.now).seconds
        summary.wallSeconds = wallStart.duration(to: wallClock.now).seconds
        return summary
    }
}

/// Reads the next chunk of a run's tag and truth series while the current one is replayed.
struct ReplayChunkReader: Sendable {
    let run: RecordedRun
    /// The series of each tag (nil: the run does not hold it), and the simulator's true signals.
    let tagSeries: [String?]
    let truth: [String]
    let chunk: Int64

    init(run: RecordedRun, tracks: [String], truth: [String], chunk: Int64) {
        self.run = run
        tagSeries = tracks.map { run.seriesNames.contains($0) ? $0 : nil }
        self.truth = truth
        self.chunk = chunk
    }

    func read(from: Int64) -> Task<(tags: [SampleColumns], truth: [SampleColumns]), any Error> {
        let (run, tagSeries, truth, chunk) = (run, tagSeries, truth, chunk)
        // A monitor's historian is interpolated: each series also needs its first point after the chunk.
        let following = run.origin != .simulation ? 1 : 0
        return Task.detached {
            let before = min(from + chunk, run.end + 1)
            return (try tagSeries.map { try $0.map { try run.columns($0, from: from, before: before, following: following) } ?? SampleColumns() },
                    try truth.map { try run.columns($0, from: from, before: before) })
        }
    }
}
