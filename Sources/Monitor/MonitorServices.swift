import Foundation
import Historian
public import Logging
import PlantConfig
public import ServiceLifecycle
public import Timekeeping

/// Options of the monitoring daemon.
public struct MonitorOptions: Sendable {
    /// How often KPIs, staleness and alarm timers are evaluated.
    public var tickInterval: Duration = .seconds(1)
    /// A tag is stale after this many scan periods without a new good value.
    public var staleAfterPeriods: Int = 3
    public var backoffBase: Duration = .milliseconds(250)
    public var backoffCap: Duration = .seconds(30)
    /// Historian retention in days (nil: keep everything).
    public var retentionDays: Int?
    /// The clock the pollers, the ticker and the flusher sleep on, and where the times they record come from
    /// (a test's ``ManualClock`` and its wall time make the daemon deterministic).
    public var clock: any Clock<Duration> = ContinuousClock()
    public var wallTime: any WallTimeSource = SystemWallTime()
    public init() {}
}

/// Evaluates KPIs, staleness and alarm timers periodically.
struct MonitorTicker: Service {
    let state: MonitorState
    let interval: Duration
    let staleAfter: [String: Int64]
    var clock: any Clock<Duration> = ContinuousClock()
    var wallTime: any WallTimeSource = SystemWallTime()

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.ticks(on: self.clock) }
        } catch is CancellationError {
            // Graceful shutdown.
        }
    }

    private func ticks<C: Clock>(on clock: C) async throws where C.Duration == Duration {
        var next = clock.now
        while true {
            next = next.advanced(by: interval)
            try await clock.sleep(until: next, tolerance: nil)
            state.tick(at: wallTime.now().milliseconds, staleAfter: staleAfter)
        }
    }
}

/// Flushes the historian every batch interval, and once more on shutdown; publishes the plant's live state every
/// ``snapshotInterval`` (a fleet database shows it); rolls up and does the backend's upkeep once a minute.
struct HistorianFlusher: Service {
    let historian: any HistoryStore
    let logger: Logger
    /// Called before the last flush, to store what the compressors hold.
    var drain: @Sendable () -> Void = {}
    /// The plant's live state at a time, for ``HistoryStore/publish(_:)``.
    var snapshot: @Sendable (Int64) -> PlantSnapshot? = { _ in nil }
    static let snapshotInterval: Int64 = 5_000

    /// Samples older than this are deleted once an hour (nil keeps everything).
    var retentionDays: Int?
    var clock: any Clock<Duration> = ContinuousClock()
    var wallTime: any WallTimeSource = SystemWallTime()

    /// The flushes and rollups block in SQLite for tens to hundreds of milliseconds at 10,000 tags (CHANGELOG.md,
    /// "Flushes off the pool"). They run on this queue's thread, not on the cooperative pool (one thread per core),
    /// where they held up the HTTP API's requests for as long.
    private let queue = DispatchQueue(label: "geolith.historian-flusher")

    func run() async throws {
        let historian = self.historian
        let retention = retentionDays
        let (clock, wallTime) = (self.clock, self.wallTime)
        do {
            try await cancelWhenGracefulShutdown {
                var lastRollup = wallTime.now().milliseconds
                var lastRetention: Int64 = 0
                var lastSnapshot: Int64 = 0
                let snapshot = self.snapshot
                while true {
                    try await clock.sleep(for: historian.batchInterval)
                    (lastRollup, lastRetention, lastSnapshot) = try await onQueue { [lastRollup, lastRetention, lastSnapshot] in
                        var (rollup, kept, published) = (lastRollup, lastRetention, lastSnapshot)
                        let before = wallTime.now().milliseconds
                        if before - published >= Self.snapshotInterval, let state = snapshot(before) {
                            historian.publish(state)
                            published = before
                        }
                        try historian.flush()
                        let now = wallTime.now().milliseconds
                        // 1-minute and 1-hour rollups of the buckets that changed, and the backend's upkeep, once a minute.
                        // A server that is away fails these: they are done again next time (the rollups from their mark).
                        if now - rollup >= 60_000 {
                            do {
                                try historian.updateRollups(from: rollup - 60_000, to: now)
                                try historian.maintain(at: now)
                            } catch {
                                logger.warning("historian rollups deferred", metadata: ["error": "\(error)"])
                            }
                            rollup = now
                        }
                        if let retention, now - kept >= 3_600_000 {
                            do {
                                try historian.deleteOlder(than: now - Int64(retention) * 86_400_000)
                                kept = now
                            } catch {
                                logger.warning("historian retention deferred", metadata: ["error": "\(error)"])
                            }
                        }
                        return (rollup, kept, published)
                    }
                }
            }
        } catch is CancellationError {
        }
        drain()
        let written = try historian.flush()
        logger.info("historian flushed", metadata: ["samples": "\(written)"])
    }
}

extension HistorianFlusher {
    /// Runs blocking `work` on the flusher's queue and waits for it without holding a thread of the pool.
    func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// The services of a monitor for one plant: a poller per device, the ticker and the historian flusher.
public func monitorServices(state: MonitorState, options: MonitorOptions = .init(), logger: Logger) -> [any Service] {
    let staleAfter = staleLimits(for: state.plant, periods: options.staleAfterPeriods)
    var services: [any Service] = state.plant.devices.map {
        DevicePoller(device: $0, state: state, backoffBase: options.backoffBase, backoffCap: options.backoffCap, clock: options.clock,
                     wallTime: options.wallTime, logger: logger)
    }
    services.append(MonitorTicker(state: state, interval: options.tickInterval, staleAfter: staleAfter, clock: options.clock,
                                  wallTime: options.wallTime))
    if let historian = state.historian {
        services.append(HistorianFlusher(historian: historian, logger: logger, drain: { state.drain() },
                                         snapshot: { state.snapshot(at: $0) }, retentionDays: options.retentionDays,
                                         clock: options.clock, wallTime: options.wallTime))
    }
    return services
}

/// How long each tag may go without a new value before it is stale, ms: `periods` scan periods of its scan
/// group, and never less than 3 s.
func staleLimits(for plant: Plant, periods: Int) -> [String: Int64] {
    var staleAfter: [String: Int64] = [:]
    for device in plant.devices {
        let groupPeriods = Dictionary(device.scanGroups.map { ($0.name, $0.period) }, uniquingKeysWith: { first, _ in first })
        for tag in device.tags {
            let period = groupPeriods[tag.scanGroup] ?? .seconds(1)
            staleAfter[tag.name] = max(3000, Int64(periods) * period.wholeMilliseconds)
        }
    }
    return staleAfter
}
