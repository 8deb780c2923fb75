import Foundation
public import Logging
import Modbus
public import PlantConfig
import RegisterVocabulary
public import ServiceLifecycle
public import Timekeeping

/// Polls one device, as the driver of a ``ScanScheduler`` on an injected clock: scan groups on absolute deadlines
/// (no drift; an overrun is counted and the next deadline skips ahead), the read plans of the plant description,
/// and isolation of a dead or slow device: a request that breaks the link is tried again on a new connection
/// (the device's `retries`, one by default), and only then is the device down, its tags bad, and probed again
/// only after a capped exponential backoff with jitter (demoted scanning), so it costs the other devices nothing.
/// Its DEVICE_DOWN alarm waits for the device's on-delay from the first failed request, so a lost answer raises
/// nothing. A block that keeps answering with an exception is logged once per change and raises READ_FAILING.
/// The loop runs on the connection's own thread (its executor), so requests cost no thread switch and a blocked
/// device blocks only itself.
public struct DevicePoller: Service {
    public let device: Device
    let state: MonitorState
    let client: ModbusClient
    let backoffBase: Duration
    let backoffCap: Duration
    let logger: Logger
    /// The clock scans are scheduled on (`ContinuousClock` live, a ``ManualClock`` in tests).
    let clock: any Clock<Duration>
    /// Where the times of values and events come from.
    let wallTime: any WallTimeSource

    public init(device: Device, state: MonitorState, backoffBase: Duration = .milliseconds(250), backoffCap: Duration = .seconds(30),
                clock: any Clock<Duration> = ContinuousClock(), wallTime: any WallTimeSource = SystemWallTime(), logger: Logger) {
        self.device = device
        self.state = state
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.clock = clock
        self.wallTime = wallTime
        self.logger = logger
        client = ModbusClient(endpoint: device.endpoint.modbusEndpoint, unitID: UInt8(clamping: device.unitID),
                              anyUnit: device.anyUnit, timeouts: device.modbusTimeouts)
    }

    public func run() async throws {
        let client = self.client
        do {
            try await cancelWhenGracefulShutdown {
                try await withTaskExecutorPreference(client.executor) {
                    try await self.loop(clock: self.clock)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
        await client.close()
    }

    /// A scan group with something to read.
    struct GroupPlan {
        var period: Duration
        var tags: [Tag]
        var plan: ReadPlan
    }

    /// The poller's state between scans besides the scheduler's: the wall time of the current failure's first
    /// failed request (the DEVICE_DOWN on-delay runs from it), and the read buffer.
    private struct Scan<Instant: InstantProtocol> where Instant.Duration == Duration {
        var scheduler: ScanScheduler<Instant>
        var failingSinceWall: Int64?
        var buffer = [UInt16](repeating: 0, count: 2000)
    }

    private func loop<C: Clock>(clock: C) async throws where C.Duration == Duration {
        let groups = device.scanGroups.compactMap { group -> GroupPlan? in
            let (tags, plan) = device.readPlan(group: group.name)
            return tags.isEmpty ? nil : GroupPlan(period: group.period, tags: tags, plan: plan)
        }
        guard !groups.isEmpty else { return }
        let timing = ScanScheduler<C.Instant>.DeviceTiming(periods: groups.map(\.period), downDelay: device.effectiveDownDelay,
                                                           seed: ScanScheduler<C.Instant>.jitterSeed(device: device.name))
        var scan = Scan(scheduler: ScanScheduler(devices: [timing], start: clock.now, backoffBase: backoffBase, backoffCap: backoffCap))
        while true {
            switch scan.scheduler.next(now: clock.now) {
            case .wait(let until):
                try await clock.sleep(until: until, tolerance: nil)
            case .tick:
                break
            case .downDelayEnds:
                // The wall time the on-delay ends at, at least: milliseconds truncated on both sides must not leave
                // it a millisecond short (the ticker would then raise it up to a second late).
                let end = (scan.failingSinceWall ?? 0) + device.effectiveDownDelay.wholeMilliseconds
                state.evaluateAlarmDelays(at: max(wallTime.now().milliseconds, end))
            case .skip(_, _, let overrun):
                // Demoted: the device is backing off; its tags stay bad until the next probe.
                state.scanned(device: device.name, overrun: overrun, at: wallTime.now().milliseconds)
            case .read(_, let g, let overrun, let lateness):
                let time = wallTime.now().milliseconds
                let failure = try await read(groups[g], clock: clock, scan: &scan, at: time)
                finish(scan: &scan, group: g, failure: failure, now: clock.now)
                state.scanned(device: device.name, overrun: overrun, lateness: lateness.seconds, at: wallTime.now().milliseconds)
                if device.closeAfterPoll { await client.close() }
            }
        }
    }

    /// Reads a group's requests; returns the error that broke the link (after the device's retries), if any.
    private func read<C: Clock>(_ group: GroupPlan, clock: C, scan: inout Scan<C.Instant>, at wallTime: Int64) async throws
        -> (any Error)? where C.Duration == Duration {
        for request in group.plan.requests {
            var attempt = 0
            while true {
                let t0 = clock.now
                do {
                    try await client.read(request.table, address: request.address, count: request.count, into: &scan.buffer)
                    state.recordRequest(device: device.name, latency: t0.duration(to: clock.now).seconds, error: nil)
                    if let change = state.blockResult(device: device.name, block: request.label, reason: nil, at: wallTime) {
                        log(change, request)
                    }
                    store(request, of: group, from: scan.buffer, at: self.wallTime.now().milliseconds)
                    break
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    state.recordRequest(device: device.name, latency: nil, error: Self.kind(of: error))
                    if let modbusError = error as? ModbusError, !modbusError.code.breaksConnection {
                        // An exception answers for this request only; the device is up.
                        state.fail(request.items.map { group.tags[$0] }, quality: TagPipeline.quality(for: error),
                                   at: self.wallTime.now().milliseconds)
                        if let change = state.blockResult(device: device.name, block: request.label, reason: "\(modbusError.code)",
                                                          at: wallTime) {
                            log(change, request)
                        }
                        break
                    }
                    if scan.failingSinceWall == nil {
                        scan.failingSinceWall = self.wallTime.now().milliseconds - t0.duration(to: clock.now).wholeMilliseconds
                    }
                    scan.scheduler.linkBroke(device: 0, at: t0)
                    // The link is broken (the client closed it): try again on a new connection, then give up.
                    if attempt < device.retries, !scan.scheduler.isDown(device: 0) {
                        attempt += 1
                        continue
                    }
                    return error
                }
            }
        }
        return nil
    }

    /// Decodes a request's registers into its tags' values.
    private func store(_ request: ReadRequest, of group: GroupPlan, from buffer: [UInt16], at time: Int64) {
        let values = buffer.withUnsafeBufferPointer { pointer in
            request.items.map { item -> (Tag, TagValue) in
                let tag = group.tags[item]
                let offset = tag.address - request.address
                return (tag, TagPipeline.evaluate(tag, registers: UnsafeBufferPointer(rebasing: pointer[offset..<request.count]), at: time))
            }
        }
        state.update(values, device: device.name, at: time)
    }

    /// Reports how a scan went to the scheduler and the state: the device up, or down and backing off.
    private func finish<Instant>(scan: inout Scan<Instant>, group: Int, failure: (any Error)?, now: Instant)
        where Instant.Duration == Duration {
        let time = wallTime.now().milliseconds
        guard let failure else {
            if scan.scheduler.scanSucceeded(device: 0, group: group, now: now) {
                logger.info("device up", metadata: ["device": "\(device.name)"])
            }
            scan.failingSinceWall = nil
            state.setDevice(device.name, up: true, error: nil, at: time)
            return
        }
        let outcome = scan.scheduler.scanFailed(device: 0, now: now)
        // Every tag of the device is now unreachable, not only this group's.
        state.fail(device.tags, quality: TagPipeline.quality(for: failure), at: time)
        if outcome.wentDown {
            logger.warning("device down", metadata: ["device": "\(device.name)", "error": "\(failure)",
                                                     "retry_in_ms": "\(now.duration(to: outcome.retryAt).roundedMilliseconds)"])
        }
        state.setDevice(device.name, up: false, error: "\(failure)", since: scan.failingSinceWall, at: time)
        if outcome.downDelayEnded { state.evaluateAlarmDelays(at: time) }
    }

    private func log(_ change: MonitorState.BlockChange, _ request: ReadRequest) {
        switch change {
        case .failing(let reason):
            logger.warning("read failing", metadata: ["device": "\(device.name)", "block": "\(request.label)", "error": "\(reason)"])
        case .recovered:
            logger.info("read recovered", metadata: ["device": "\(device.name)", "block": "\(request.label)"])
        }
    }

    static func kind(of error: any Error) -> String {
        guard let error = error as? ModbusError else { return "other" }
        if let code = error.exceptionCode { return "exception_\(code)" }
        return "\(error.code)".replacingOccurrences(of: " ", with: "_")
    }
}
