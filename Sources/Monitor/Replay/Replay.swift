import Foundation
import Historian
import Modbus
import PlantConfig
import RegisterVocabulary

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
/// timeouts, resets and exceptions the poller would have met, with its backoff (``ReconnectPolicy``, same
/// seeds) deciding when a device is probed again. A monitor's historian is replayed from its stored values
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

    private struct Group {
        var device: Int
        var period: Int64
        var tags: [Int]          // indices into `tags`
        var plan: ReadPlan
        var next: Int64
    }

    /// One tag's recorded samples in the current chunk, and where the replay is in them.
    private struct Track {
        var series: String
        var column = SampleColumns()
        var index = -1
        var carried: (time: Int64, value: Double, quality: Quality)?
    }

    /// Runs the replay to the end of the recording.
    ///
    /// - Parameter progress: called after each chunk with the fraction of the run replayed.
    /// - Returns: counts, per-device data quality and the truth KPIs.
    /// - Throws: ``ReplayError``, the historian's errors, or `CancellationError`.
    public func run(progress: (Double) -> Void = { _ in }) async throws -> ReplaySummary {
        let wallClock = ContinuousClock()
        let wallStart = wallClock.now
        let plant = state.plant
        let interpolate = run.origin != .simulation
        var summary = ReplaySummary(start: run.start, end: run.end)
        let tags = plant.allTags
        let tagIndex = Dictionary(tags.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var tracks = tags.map { Track(series: $0.name) }
        summary.missingTags = tags.filter { !run.seriesNames.contains($0.name) && $0.dataType != .string }.map(\.name)
        let faults = run.origin == .simulation ? ReplayCommFaults(events: run.events, plant: plant, end: run.end) : ReplayCommFaults()
        for device in faults.windows.keys.sorted() {
            for w in faults.windows[device]! {
                let what: String
                switch w.fault {
                case .link(let quality, _): what = "\(quality)"
                case .exception(_, let range, let code): what = "exception \(code) on \(range.lowerBound)–\(range.upperBound)"
                }
                summary.commFaults.append((device, w.from, w.to, what))
            }
        }
        // Device events of a monitor's journal, replayed at their times.
        var deviceEvents = interpolate ? run.events.filter { $0.kind == .device } : []
        deviceEvents.sort { $0.time < $1.time }
        var nextDeviceEvent = 0

        var groups: [Group] = []
        for (d, device) in plant.devices.enumerated() {
            for group in device.scanGroups {
                let (groupTags, plan) = device.readPlan(group: group.name)
                guard !groupTags.isEmpty else { continue }
                groups.append(Group(device: d, period: max(1, milliseconds(group.period)), tags: groupTags.map { tagIndex[$0.name]! },
                                    plan: plan, next: run.start))
            }
        }
        var policies = plant.devices.map {
            ReconnectPolicy<ReplayInstant>(base: options.backoffBase, cap: options.backoffCap, jitter: 0.5,
                                           seed: DevicePoller.jitterSeed(device: $0.name))
        }
        var down = [Bool](repeating: false, count: plant.devices.count)
        // Values by device slot and quality; named as text once at the end.
        var qualities = [[Quality: Int]](repeating: [:], count: plant.devices.count)
        let tick = max(1, milliseconds(options.tickInterval))
        var nextTick = run.start + tick
        let staleAfter = staleLimits(for: plant, periods: options.staleAfterPeriods)

        // Truth: the simulator's true signals through a second set of soft sensors.
        let truthSignals = run.seriesNames.filter { $0.hasPrefix("signal:") }.sorted()
        var truthTracks = truthSignals.map { Track(series: $0) }
        let truthNames = truthSignals.map { String($0.dropFirst("signal:".count)) }
        var truthInputs: [String: SoftSensors.Input] = [:]   // updated in place each tick: same keys, no rehashing
        var truth = softSensors
        var nextTruthSample = run.start
        // The historian writes one chunk while the next is replayed (its buffer is swapped under a lock).
        var writing: Task<Void, any Error>?

        // The next chunk is read while this one is replayed.
        let recording = run, chunk = options.chunk, following = interpolate ? 1 : 0
        let tagSeries = tracks.map { recording.seriesNames.contains($0.series) ? $0.series : nil }
        func read(_ from: Int64) -> Task<(tags: [SampleColumns], truth: [SampleColumns]), any Error> {
            Task.detached {
                let before = min(from + chunk, recording.end + 1)
                return (try tagSeries.map { try $0.map { try recording.columns($0, from: from, before: before, following: following) } ?? SampleColumns() },
                        try truthSignals.map { try recording.columns($0, from: from, before: before) })
            }
        }
        var reading = read(run.start)

        var chunkStart = run.start
        while chunkStart <= run.end {
            try Task.checkCancellation()
            let chunkEnd = min(chunkStart + options.chunk, run.end + 1)
            let readStart = wallClock.now
            let columns = try await reading.value
            if chunkEnd <= run.end { reading = read(chunkEnd) }
            for i in tracks.indices { Self.install(&tracks[i], columns.tags[i]) }
            for i in truthTracks.indices { Self.install(&truthTracks[i], columns.truth[i]) }
            summary.readSeconds += (wallClock.now - readStart).seconds

            while true {
                let g = groups.indices.min { groups[$0].next < groups[$1].next }
                let scanTime = g.map { groups[$0].next } ?? .max
                let time = min(scanTime, nextTick)
                guard time < chunkEnd else { break }
                while nextDeviceEvent < deviceEvents.count, deviceEvents[nextDeviceEvent].time <= time {
                    let event = deviceEvents[nextDeviceEvent]
                    let up = event.message == "up"
                    state.setDevice(event.source, up: up, error: up ? nil : String(event.message.dropFirst("down: ".count)), at: event.time)
                    nextDeviceEvent += 1
                }
                if let g, scanTime <= nextTick {
                    var group = groups[g]
                    group.next += group.period
                    groups[g] = group
                    summary.scans += 1
                    let device = plant.devices[group.device]
                    let active = faults.active(on: device.name, at: time)
                    let now = ReplayInstant(ms: time)
                    if case .wait = policies[group.device].nextAction(now: now) {
                        state.scanned(device: device.name, overrun: false, at: time)
                        continue
                    }
                    if let link = active.lazy.compactMap({ fault -> (Quality, String)? in
                        if case .link(let q, let kind) = fault { return (q, kind) } else { return nil }
                    }).first {
                        // The first request fails and breaks the link: every tag of the device is bad.
                        state.recordRequest(device: device.name, latency: nil, error: link.1)
                        state.fail(device.tags, quality: link.0, at: time)
                        qualities[group.device][link.0, default: 0] += device.tags.count
                        policies[group.device].failed(now: now)
                        down[group.device] = true
                        state.setDevice(device.name, up: false, error: link.1, at: time)
                        state.scanned(device: device.name, overrun: false, at: time)
                        continue
                    }
                    for request in group.plan.requests {
                        let exception = active.lazy.compactMap { fault -> UInt8? in
                            guard case .exception(let table, let range, let code) = fault,
                                  table == nil || table == request.table,
                                  range.overlaps(request.address...(request.address + max(request.count, 1) - 1)) else { return nil }
                            return code
                        }.first
                        let requestTags = request.items.map { tags[group.tags[$0]] }
                        if let code = exception {
                            state.recordRequest(device: device.name, latency: nil, error: "exception_\(code)")
                            let quality = Quality.bad(.exception, detail: UInt16(code))
                            state.fail(requestTags, quality: quality, at: time)
                            qualities[group.device][quality, default: 0] += requestTags.count
                            state.blockResult(device: device.name, block: request.label, reason: "\(ModbusError.Code.exception(code))",
                                              at: time)
                            continue
                        }
                        state.recordRequest(device: device.name, latency: nil, error: nil)
                        state.blockResult(device: device.name, block: request.label, reason: nil, at: time)
                        var values: [(Tag, TagValue)] = []
                        values.reserveCapacity(requestTags.count)
                        for item in request.items {
                            let t = group.tags[item]
                            guard let value = Self.value(of: tags[t], track: &tracks[t], at: time, interpolate: interpolate) else { continue }
                            values.append((tags[t], value))
                            qualities[group.device][value.quality, default: 0] += 1
                        }
                        summary.values += values.count
                        state.update(values, device: device.name, at: time)
                    }
                    if run.origin == .simulation {
                        policies[group.device].connected()
                        if down[group.device] {
                            // Back from a failure: every group is read now, as the live poller does.
                            for other in groups.indices where groups[other].device == group.device && other != g {
                                groups[other].next = min(groups[other].next, time)
                            }
                        }
                        down[group.device] = false
                        state.setDevice(device.name, up: true, error: nil, at: time)
                    }
                    state.scanned(device: device.name, overrun: false, at: time)
                } else {
                    nextTick += tick
                    summary.ticks += 1
                    state.tick(at: time, staleAfter: staleAfter)
                    let sampling = time >= nextTruthSample
                    if sampling {
                        for kpi in state.kpis where !kpi.idle {
                            summary.kpis[kpi.name, default: []].append((time, kpi.value))
                        }
                    }
                    if !truthTracks.isEmpty {
                        for i in truthTracks.indices {
                            guard let sample = Self.sample(track: &truthTracks[i], at: time, interpolate: false) else { continue }
                            truthInputs[truthNames[i]] = (sample.value, .good)
                        }
                        let kpis = truth.compute(truthInputs, at: time).filter { !$0.idle }
                        if sampling {
                            for kpi in kpis {
                                if summary.truthKPIs[kpi.name] == nil {
                                    state.historian?.declare(SeriesInfo(name: "truth:kpi:\(kpi.name)", kind: .truth, unit: kpi.unit))
                                }
                                summary.truthKPIs[kpi.name, default: []].append((time, kpi.value))
                            }
                            state.historian?.append(kpis.map { Sample(series: "truth:kpi:\($0.name)", time: time, value: $0.value) })
                        }
                    }
                    if sampling { nextTruthSample += options.truthInterval }
                    if let speed = options.speed, speed > 0 {
                        let target = wallStart.advanced(by: .milliseconds(Int64(Double(time - run.start) / speed)))
                        if wallClock.now < target { try await wallClock.sleep(until: target, tolerance: .milliseconds(2)) }
                    }
                }
            }
            if let historian = state.historian {
                let waitStart = wallClock.now
                try await writing?.value
                summary.writeWaitSeconds += (wallClock.now - waitStart).seconds
                // Rolled up as the chunk is written, as the monitor's flusher does every minute: from the
                // earliest time a point still held by a compressor can carry (its maximum interval, 10 min).
                let (from, to) = (chunkStart - 600_000, chunkEnd)
                writing = Task.detached {
                    try historian.flush()
                    try historian.updateRollups(from: max(from, recording.start), to: to, inFlight: 600_000)
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
        summary.writeWaitSeconds += (wallClock.now - waitStart).seconds
        for (d, counts) in qualities.enumerated() where !counts.isEmpty {
            summary.qualityByDevice[plant.devices[d].name] = Dictionary(counts.map { ("\($0.key)", $0.value) }, uniquingKeysWith: +)
        }
        summary.wallSeconds = (wallClock.now - wallStart).seconds
        return summary
    }

    /// Gives a track the samples of the next chunk, keeping the last sample of the previous one.
    private static func install(_ track: inout Track, _ column: SampleColumns) {
        if track.index >= 0, track.index < track.column.count {
            let i = track.index
            track.carried = (track.column.times[i], track.column.values[i], track.column.qualities[i])
        }
        track.column = column
        track.index = -1
    }

    /// The recorded sample at `time`: the latest at or before it, or (interpolating) the straight line to
    /// the next one, with the earlier sample's quality, as swinging-door compression reconstructs.
    private static func sample(track: inout Track, at time: Int64, interpolate: Bool) -> (value: Double, quality: Quality)? {
        let c = track.column
        while track.index + 1 < c.count, c.times[track.index + 1] <= time { track.index += 1 }
        let previous: (time: Int64, value: Double, quality: Quality)
        if track.index >= 0 {
            previous = (c.times[track.index], c.values[track.index], c.qualities[track.index])
        } else if let carried = track.carried {
            previous = carried
        } else {
            return nil
        }
        let nextIndex = track.index + 1
        if interpolate, previous.time < time, nextIndex < c.count, previous.quality.status != .bad, c.values[nextIndex].isFinite,
           previous.value.isFinite {
            let fraction = Double(time - previous.time) / Double(c.times[nextIndex] - previous.time)
            return (previous.value + (c.values[nextIndex] - previous.value) * fraction, previous.quality)
        }
        return (previous.value, previous.quality)
    }

    /// A tag's value as the monitor would have it at `time`.
    private static func value(of tag: Tag, track: inout Track, at time: Int64, interpolate: Bool) -> TagValue? {
        guard let sample = sample(track: &track, at: time, interpolate: interpolate) else { return nil }
        if !interpolate { return TagPipeline.evaluate(tag, served: sample.value, at: time) }
        // A historian's bad values keep their reason (a timeout stays a timeout); the rest is checked again
        // against the plant description replayed with.
        if sample.quality.status == .bad { return TagValue(value: sample.value, quality: sample.quality, time: time) }
        let raw = tag.scaling.raw(for: sample.value)
        var value = TagPipeline.evaluate(tag, raw: raw, at: time)
        value.value = sample.value
        if value.quality.isGood, sample.quality.status == .uncertain, sample.quality.reason != .stale { value.quality = sample.quality }
        return value
    }
}
