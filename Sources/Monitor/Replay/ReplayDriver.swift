import Historian
import Modbus
import PlantConfig
import RegisterVocabulary
import Timekeeping

/// Replay's driver of the ``ScanScheduler``: every device's scan groups and the ticker on recorded time. At each
/// deadline it does what the scheduler says, as ``DevicePoller`` does on its clock; a read serves the recorded
/// values through ``TagPipeline``, or the communication fault the recording journaled at that time.
struct ReplayDriver {
    /// A scan group with something to read: its tags (indices into ``tags``) and read plan.
    struct Group {
        var tags: [Int]
        var plan: ReadPlan
    }

    let state: MonitorState
    let plant: Plant
    let tags: [Tag]
    /// A monitor's historian: interpolated between the points compression kept; device events from its journal.
    let interpolate: Bool
    let simulation: Bool
    let faults: ReplayCommFaults
    /// Groups by device.
    let groups: [[Group]]
    let staleAfter: [String: Int64]
    let truthInterval: Int64
    var scheduler: ScanScheduler<Timestamp>
    var tracks: [ReplayTrack]
    var summary: ReplaySummary
    /// Values by device slot and quality; named as text once at the end.
    var qualities: [[Quality: Int]]
    var deviceEvents: [JournalEvent]
    var nextDeviceEvent = 0
    // Truth: the simulator's true signals through a second set of soft sensors.
    var truthTracks: [ReplayTrack]
    let truthNames: [String]
    var truthInputs: [String: SoftSensors.Input] = [:]   // updated in place each tick: same keys, no rehashing
    var truth: SoftSensors
    var nextTruthSample: Int64

    init(run: RecordedRun, state: MonitorState, softSensors: SoftSensors, options: ReplayOptions) {
        let plant = state.plant
        self.state = state
        self.plant = plant
        tags = plant.allTags
        interpolate = run.origin != .simulation
        simulation = run.origin == .simulation
        summary = ReplaySummary(start: run.start, end: run.end)
        tracks = tags.map { ReplayTrack(series: $0.name) }
        summary.missingTags = tags.filter { !run.seriesNames.contains($0.name) && $0.dataType != .string }.map(\.name)
        faults = simulation ? ReplayCommFaults(events: run.events, plant: plant, end: run.end) : ReplayCommFaults()
        summary.commFaults = faults.summary
        // Device events of a monitor's journal, replayed at their times.
        deviceEvents = interpolate ? run.events.filter { $0.kind == .device }.sorted { $0.time < $1.time } : []
        let tagIndex = Dictionary(tags.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var groups: [[Group]] = []
        var timings: [ScanScheduler<Timestamp>.DeviceTiming] = []
        for device in plant.devices {
            var periods: [Duration] = []
            groups.append([])
            for group in device.scanGroups {
                let (groupTags, plan) = device.readPlan(group: group.name)
                guard !groupTags.isEmpty else { continue }
                groups[groups.count - 1].append(Group(tags: groupTags.map { tagIndex[$0.name]! }, plan: plan))
                periods.append(max(.milliseconds(1), group.period))
            }
            timings.append(.init(periods: periods, downDelay: device.effectiveDownDelay,
                                 seed: ScanScheduler<Timestamp>.jitterSeed(device: device.name)))
        }
        self.groups = groups
        scheduler = ScanScheduler(devices: timings, start: Timestamp(milliseconds: run.start), backoffBase: options.backoffBase,
                                  backoffCap: options.backoffCap, tick: max(.milliseconds(1), options.tickInterval))
        qualities = Array(repeating: [:], count: plant.devices.count)
        staleAfter = staleLimits(for: plant, periods: options.staleAfterPeriods)
        let truthSignals = run.seriesNames.filter { $0.hasPrefix("signal:") }.sorted()
        truthTracks = truthSignals.map { ReplayTrack(series: $0) }
        truthNames = truthSignals.map { String($0.dropFirst("signal:".count)) }
        truth = softSensors
        truthInterval = options.truthInterval
        nextTruthSample = run.start
    }

    /// The next instant something is due.
    var nextDeadline: Timestamp? { scheduler.nextDeadline }

    /// Gives the tracks the samples of the next chunk.
    mutating func install(_ columns: (tags: [SampleColumns], truth: [SampleColumns])) {
        for i in tracks.indices { ReplayTrack.install(&tracks[i], columns.tags[i]) }
        for i in truthTracks.indices { ReplayTrack.install(&truthTracks[i], columns.truth[i]) }
    }

    /// Does what is due at `now` (the scheduler's next deadline).
    /// - Returns: whether it was a tick (replay paces on ticks).
    mutating func perform(at now: Timestamp) -> Bool {
        let time = now.milliseconds
        while nextDeviceEvent < deviceEvents.count, deviceEvents[nextDeviceEvent].time <= time {
            let event = deviceEvents[nextDeviceEvent]
            let up = event.message == "up"
            state.setDevice(event.source, up: up, error: up ? nil : String(event.message.dropFirst("down: ".count)), at: event.time)
            nextDeviceEvent += 1
        }
        switch scheduler.next(now: now) {
        case .wait:
            return false
        case .tick:
            tick(at: time)
            return true
        case .downDelayEnds:
            state.evaluateAlarmDelays(at: time)
        case .skip(let d, _, _):
            summary.scans += 1
            state.scanned(device: plant.devices[d].name, overrun: false, at: time)
        case .read(let d, let g, _, _):
            summary.scans += 1
            scan(device: d, group: g, at: now)
            state.scanned(device: plant.devices[d].name, overrun: false, at: time)
        }
        return false
    }

    /// A scan of group `g` of device `d`: the recording's values, or the faults the poller would have met.
    private mutating func scan(device d: Int, group g: Int, at now: Timestamp) {
        let (device, time) = (plant.devices[d], now.milliseconds)
        let active = faults.active(on: device.name, at: time)
        if let link = active.lazy.compactMap({ fault -> (Quality, String)? in
            if case .link(let q, let kind) = fault { return (q, kind) } else { return nil }
        }).first {
            // The first request fails and breaks the link: every tag of the device is bad.
            state.recordRequest(device: device.name, latency: nil, error: link.1)
            scheduler.linkBroke(device: d, at: now)
            state.fail(device.tags, quality: link.0, at: time)
            qualities[d][link.0, default: 0] += device.tags.count
            let outcome = scheduler.scanFailed(device: d, now: now)
            state.setDevice(device.name, up: false, error: link.1, since: scheduler.failingSince(device: d)?.milliseconds, at: time)
            if outcome.downDelayEnded { state.evaluateAlarmDelays(at: time) }
            return
        }
        for request in groups[d][g].plan.requests {
            read(request, device: d, group: g, faults: active, at: time)
        }
        if simulation {
            scheduler.scanSucceeded(device: d, group: g, now: now)
            state.setDevice(device.name, up: true, error: nil, at: time)
        }
    }

    private mutating func read(_ request: ReadRequest, device d: Int, group g: Int, faults active: [ReplayCommFaults.Fault], at time: Int64) {
        let device = plant.devices[d]
        let group = groups[d][g]
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
            qualities[d][quality, default: 0] += requestTags.count
            state.blockResult(device: device.name, block: request.label, reason: "\(ModbusError.Code.exception(code))", at: time)
            return
        }
        state.recordRequest(device: device.name, latency: nil, error: nil)
        state.blockResult(device: device.name, block: request.label, reason: nil, at: time)
        var values: [(Tag, TagValue)] = []
        values.reserveCapacity(requestTags.count)
        for item in request.items {
            let t = group.tags[item]
            guard let value = ReplayTrack.value(of: tags[t], track: &tracks[t], at: time, interpolate: interpolate) else { continue }
            values.append((tags[t], value))
            qualities[d][value.quality, default: 0] += 1
        }
        summary.values += values.count
        state.update(values, device: device.name, at: time)
    }

    /// The ticker: KPIs, staleness and alarm timers; every ``ReplayOptions/truthInterval`` the KPIs and the truth KPIs
    /// are kept for the summary.
    private mutating func tick(at time: Int64) {
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
                guard let sample = ReplayTrack.sample(track: &truthTracks[i], at: time, interpolate: false) else { continue }
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
        if sampling { nextTruthSample += truthInterval }
    }

    /// The summary, with the values counted by device and quality.
    func finish() -> ReplaySummary {
        var summary = self.summary
        for (d, counts) in qualities.enumerated() where !counts.isEmpty {
            summary.qualityByDevice[plant.devices[d].name] = Dictionary(counts.map { ("\($0.key)", $0.value) }, uniquingKeysWith: +)
        }
        return summary
    }
}
