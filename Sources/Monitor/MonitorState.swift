import Foundation
public import Historian
public import PlantConfig
public import ProcessModel
import RegisterVocabulary
import Synchronization

/// A device's connection status and poller statistics.
public struct DeviceStatus: Sendable, Hashable {
    public var name: String
    public var endpoint: String
    public var up = false
    /// Whether the device has been declared down (after its retries) and has not answered since: a device not yet
    /// polled is neither up nor down.
    public var down = false
    public var lastError: String?
    public var lastPoll: Int64?
    public var requests = 0
    public var errors: [String: Int] = [:]
    /// Reconnections after the device was down (the first connection at start is not one).
    public var reconnects = 0
    public var scans = 0
    public var overruns = 0
    /// Recent request latencies, seconds (the last 512).
    public var latencies: [Double] = []
    /// Recent scan start lateness against the deadline, seconds (the last 512).
    public var jitter: [Double] = []

    public func latencyQuantile(_ q: Double) -> Double? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
    }
}

/// The monitor's live state: latest tag values, device status, alarms, KPIs; writes to the historian and
/// the live feed. Thread-safe (one lock); every poller and the HTTP layer share it.
public final class MonitorState: Sendable {
    public let plant: Plant
    public let historian: (any HistoryStore)?
    public let feed = LiveFeed()
    /// Shared with the extensions of this type in other files (device health).
    let state: BlockingLock<Inner>
    /// Read blocks currently failing (``Inner/failingBlocks``' count), read without the lock: a successful read of
    /// a plant with none costs no lock.
    let failingBlockCount = Atomic<Int>(0)
    /// Told of each successful request (device, latency in seconds); see ``observeRequests(_:)``.
    private let requestObserver = Mutex<(@Sendable (String, Double) -> Void)?>(nil)
    private let allTags: [Tag]
    /// Each tag's slot in the arrays of ``Inner``, by name: the one hash a value costs.
    private let tagIndex: [String: Int]
    /// The first tag bound to each signal (its slot), with the unit conversion to the catalogue's unit.
    private let signalTags: [(signal: String, tag: Int, convert: @Sendable (Double) -> Double)]

    struct Inner {
        /// Latest value of each tag, by slot (``tagIndex``).
        var values: [TagValue] = []
        /// Swinging-door compressor of each tag, by slot.
        var compressors: [SwingingDoor] = []
        /// Stale limits by slot, converted once from the dictionary the ticker passes.
        var staleLimits: (source: [String: Int64], bySlot: [Int64?])?
        var devices: [String: DeviceStatus] = [:]
        /// Scan start lateness of every device over the whole run.
        var scanJitter = LatencyHistogram()
        var alarms: AlarmEngine
        var kpis: [String: KPIValue] = [:]
        var softSensors: SoftSensors
        /// KPI series declared to the historian, with their compressors: swinging door with no deviation,
        /// which keeps every change and drops only the points a straight line through its neighbours gives
        /// back exactly (a KPI of slow-scanned inputs holds its value between their scans).
        var kpiDoors: [String: (series: String, door: SwingingDoor)] = [:]
        /// Consecutive failures of each read block that answered with an exception, by block key.
        var failingBlocks: [String: BlockFailure] = [:]
    }

    /// Whether changes are published to ``feed`` (off for replays that no live client watches).
    let publishes: Bool

    /// - Parameter publishesLiveUpdates: publish every change to ``feed`` for live clients (the HTTP
    ///   stream); a replay run as fast as possible turns it off, since building each update's JSON would
    ///   cost more than the rest of the pipeline.
    public init(plant: Plant, historian: (any HistoryStore)?, softSensors: SoftSensors = SoftSensors(), publishesLiveUpdates: Bool = true) {
        self.plant = plant
        self.historian = historian
        publishes = publishesLiveUpdates
        var inner = Inner(alarms: AlarmEngine(definitions: plant.allTags.flatMap(AlarmDefinition.definitions(for:))),
                          softSensors: softSensors)
        for device in plant.devices {
            inner.devices[device.name] = DeviceStatus(name: device.name, endpoint: device.endpoint.description)
            for tag in device.tags {
                historian?.declare(SeriesInfo(name: tag.name, kind: .tag, unit: tag.unit.symbol, device: device.name))
                inner.compressors.append(SwingingDoor(deviation: tag.deadband ?? 0, maximumInterval: 600_000))
                inner.values.append(TagValue(value: .nan, quality: .uncertain(.initialValue), time: 0))
            }
        }
        state = BlockingLock(inner)
        allTags = plant.allTags
        let tagIndex = Dictionary(plant.allTags.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.tagIndex = tagIndex
        signalTags = plant.tagsBySignal.compactMap { signal, tags in
            guard let tag = tags.first, let slot = tagIndex[tag.name] else { return nil }
            let from = tag.unit
            if let definition = SignalCatalogue.definition(for: signal), let to = EngineeringUnit.named(definition.displayUnit),
               to.dimension == from.dimension {
                return (signal, slot, { to.fromSI(from.toSI($0)) })
            }
            return (signal, slot, { $0 })
        }.sorted { $0.signal < $1.signal }
    }

    // MARK: - Reads for the API

    public var tagValues: [String: TagValue] {
        let values = state.withLock { $0.values }
        return Dictionary(zip(allTags.map(\.name), values), uniquingKeysWith: { first, _ in first })
    }
    /// One tag's latest value, without building ``tagValues``' dictionary (nil for a name the plant does not have).
    public func tagValue(_ name: String) -> TagValue? {
        guard let slot = tagIndex[name] else { return nil }
        return state.withLock { $0.values[slot] }
    }
    public var deviceStatuses: [DeviceStatus] { state.withLock { Array($0.devices.values) }.sorted { $0.name < $1.name } }
    public var kpis: [KPIValue] { state.withLock { Array($0.kpis.values) }.sorted { $0.name < $1.name } }
    public var alarms: [AlarmStatus] { state.withLock { Array($0.alarms.alarms.values) }.sorted { $0.definition.id < $1.definition.id } }
    /// The reconciliation of the integrated Li and brine balances, worked out when asked: the totals change
    /// little from one tick to the next, and solving it every tick cost more than the soft sensors.
    public var reconciliation: BalanceReconciliation.Result? {
        let sensors = state.withLock { $0.softSensors }
        return sensors.reconciliation()
    }
    /// Scan start lateness against the deadline, every scan of every device since the start.
    public var scanJitter: LatencyHistogram { state.withLock { $0.scanJitter } }
    public func alarmHealth(at time: Int64) -> AlarmEngine.Health { state.withLock { $0.alarms.health(at: time) } }

    /// Elements held in the monitor's retained collections; each is bounded (the soak benchmark prints
    /// them, tests check them).
    public struct Footprint: Sendable, Hashable {
        public var tagValues: Int
        /// The alarm engine's raise log and rate-of-change samples (``AlarmEngine/retainedHistory``).
        public var alarmHistory: Int
        /// Request latencies and scan jitter kept per device (512 each at most).
        public var deviceSamples: Int
        public var completedCycles: Int
        public var liveFeed: Int
        /// Samples and events waiting for the historian's next flush.
        public var historianPending: Int
    }

    public var footprint: Footprint {
        var footprint = state.withLock { inner in
            Footprint(tagValues: inner.values.count, alarmHistory: inner.alarms.retainedHistory,
                      deviceSamples: inner.devices.values.reduce(0) { $0 + $1.latencies.count + $1.jitter.count },
                      completedCycles: inner.softSensors.completedCycles.count, liveFeed: 0, historianPending: 0)
        }
        footprint.liveFeed = feed.retained
        footprint.historianPending = historian?.pending ?? 0
        return footprint
    }

    // MARK: - Updates from pollers

    /// New values of tags read by a poller.
    func update(_ values: [(Tag, TagValue)], device: String, at time: Int64) {
        var transitions: [AlarmTransition] = []
        var samples: [Sample] = []
        state.withLock { inner in
            for (tag, new) in values {
                guard let slot = tagIndex[tag.name] else { continue }
                var value = new
                let previous = inner.values[slot]
                value.lastGood = value.quality.isGood ? time : previous.lastGood
                inner.values[slot] = value
                transitions += inner.alarms.process(tag: tag.name, value: value.value, quality: value.quality, at: time)
                if value.quality.isGood, previous.quality == .uncertain(.stale) {
                    transitions += inner.alarms.setSystemCondition(.stale, source: tag.name, active: false, message: "", at: time)
                }
                // In place, so the compressor's state is not copied out and back for each value.
                let sample = Sample(series: tag.name, time: time, value: value.value, quality: value.quality)
                inner.compressors[slot].offer(sample, into: &samples)
                if publishes, previous.value != value.value || previous.quality != value.quality {
                    feed.publish(tag: tag.name, value: value)
                }
            }
        }
        historian?.append(samples)
        journal(transitions)
    }

    /// Applies values as a poller would (for tools and tests).
    public func apply(_ values: [(Tag, TagValue)], at time: Int64) { update(values, device: "", at: time) }

    /// Marks the tags of a failed read bad; the values keep their last reading.
    func fail(_ tags: [Tag], quality: Quality, at time: Int64) {
        let values = state.withLock { inner in
            tags.map { tag -> (Tag, TagValue) in
                let old = tagIndex[tag.name].map { inner.values[$0] } ?? TagValue(value: .nan, quality: quality, time: time)
                return (tag, TagValue(value: old.value, quality: quality, time: time, lastGood: old.lastGood))
            }
        }
        update(values, device: "", at: time)
    }

    /// Calls `observer` with the device and latency (seconds) of every successful Modbus request from now on,
    /// on the poller's thread (keep it short), e.g. to fill a latency histogram; replaces an earlier observer.
    public func observeRequests(_ observer: @escaping @Sendable (_ device: String, _ seconds: Double) -> Void) {
        requestObserver.withLock { $0 = observer }
    }

    func recordRequest(device: String, latency: Double?, error: String?) {
        if let latency, let observer = requestObserver.withLock({ $0 }) { observer(device, latency) }
        state.withLock { inner in
            inner.devices[device]?.requests += 1
            if let latency {
                inner.devices[device]?.latencies.append(latency)
                if (inner.devices[device]?.latencies.count ?? 0) > 512 { inner.devices[device]?.latencies.removeFirst() }
            }
            if let error { inner.devices[device]?.errors[error, default: 0] += 1 }
        }
    }

    func scanned(device: String, overrun: Bool, lateness: Double? = nil, at time: Int64) {
        state.withLock { inner in
            if let lateness {
                inner.scanJitter.record(lateness)
                inner.devices[device]?.jitter.append(lateness)
                if (inner.devices[device]?.jitter.count ?? 0) > 512 { inner.devices[device]?.jitter.removeFirst() }
            }
            inner.devices[device]?.scans += 1
            inner.devices[device]?.lastPoll = time
            if overrun { inner.devices[device]?.overruns += 1 }
        }
    }

    /// Periodic work: stale tags, alarm delays and shelves, KPIs.
    public func tick(at time: Int64, staleAfter: [String: Int64]) {
        var transitions: [AlarmTransition] = []
        var kpiSamples: [Sample] = []
        var staleTags: [(Tag, TagValue)] = []
        let historianFull = historian?.status.spoolFull
        state.withLock { inner in
            transitions += inner.alarms.tick(at: time)
            if let full = historianFull {
                transitions += inner.alarms.setSystemCondition(.historianSpoolFull, source: "historian", active: full, priority: 100,
                                                               message: "historian spool full: samples are lost until the database takes them",
                                                               at: time)
            }
            // The ticker passes the same limits every time: converted to slots once, compared by identity of
            // content only when they change.
            if inner.staleLimits?.source != staleAfter {
                inner.staleLimits = (staleAfter, allTags.map { staleAfter[$0.name] })
            }
            let limits = inner.staleLimits!.bySlot
            for (slot, tag) in allTags.enumerated() {
                let value = inner.values[slot]
                guard value.quality.isGood, let limit = limits[slot], time - value.time > limit else { continue }
                staleTags.append((tag, TagValue(value: value.value, quality: .uncertain(.stale), time: value.time, lastGood: value.lastGood)))
                transitions += inner.alarms.setSystemCondition(.stale, source: tag.name, active: true, priority: 300,
                                                               message: "\(tag.name) stale: no new value", at: time)
            }
            var signals: [String: SoftSensors.Input] = [:]
            for (signal, slot, convert) in signalTags {
                let value = inner.values[slot]
                guard value.time > 0 else { continue }
                signals[signal] = (convert(value.value), value.quality)
            }
            for kpi in inner.softSensors.compute(signals, at: time) {
                inner.kpis[kpi.name] = kpi
                // An idle KPI has no value to store: its history shows a gap, not a zero.
                if historian != nil, !kpi.idle {
                    if inner.kpiDoors[kpi.name] == nil {
                        historian?.declare(SeriesInfo(name: "kpi:\(kpi.name)", kind: .kpi, unit: kpi.unit))
                        inner.kpiDoors[kpi.name] = ("kpi:\(kpi.name)", SwingingDoor(deviation: 0, maximumInterval: 600_000))
                    }
                    let series = inner.kpiDoors[kpi.name]!.series
                    kpiSamples += inner.kpiDoors[kpi.name]!.door.offer(Sample(series: series, time: time, value: kpi.value, quality: kpi.quality))
                }
                if publishes { feed.publish(.kpi(kpi)) }
            }
        }
        if !staleTags.isEmpty {
            update(staleTags, device: "", at: time)
        }
        historian?.append(kpiSamples)
        journal(transitions)
    }

    /// Hands the points the compressors still hold (the latest value of each tag and KPI) to the historian:
    /// on shutdown and at the end of a replay, so the last values are stored.
    public func drain() {
        let samples = state.withLock { inner -> [Sample] in
            var out: [Sample] = []
            for slot in inner.compressors.indices { out += inner.compressors[slot].drain() }
            for name in inner.kpiDoors.keys { out += inner.kpiDoors[name]!.door.drain() }
            return out
        }
        historian?.append(samples)
    }

    // MARK: - Operator actions

    public func acknowledge(_ id: String, user: String, at time: Int64) throws -> Bool {
        let transition = try state.withLock { try $0.alarms.acknowledge(id, user: user, at: time) }
        if let transition { journal([transition]) }
        return transition != nil
    }

    /// The longest shelve an operator may ask for, in whole minutes (8 h by default, ISA-18.2's shelving with a
    /// time limit).
    public var maximumShelveMinutes: Int64 { state.withLock { $0.alarms.maximumShelve } / 60_000 }

    public func shelve(_ id: String, user: String, for duration: Int64, at time: Int64) throws {
        let transition = try state.withLock { try $0.alarms.shelve(id, user: user, for: duration, at: time) }
        journal([transition])
    }

    func journal(_ transitions: [AlarmTransition]) {
        for t in transitions { historian?.record(t.journalEvent) }
        guard publishes, !transitions.isEmpty else { return }
        // The alarm's status after the transition goes with it, so that a client applies the event as it is.
        let statuses = state.withLock { inner in transitions.map { inner.alarms.alarms[$0.alarmID] } }
        for (transition, status) in zip(transitions, statuses) { feed.publish(.alarm(transition, status)) }
    }
}
