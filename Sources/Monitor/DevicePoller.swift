import Foundation
public import Logging
import Modbus
public import PlantConfig
import RegisterVocabulary
public import ServiceLifecycle

/// Polls one device: scan groups on absolute deadlines of a monotonic clock (no drift; an overrun is counted
/// and the next deadline skips ahead), the read plans of the plant description, and isolation of a dead or
/// slow device: a request that breaks the link is tried again on a new connection (the device's `retries`,
/// one by default), and only then is the device down, its tags bad, and probed again only after a capped
/// exponential backoff with jitter (demoted scanning), so it costs the other devices nothing. Its DEVICE_DOWN
/// alarm waits for the device's on-delay from the first failed request, so a lost answer raises nothing. A
/// block that keeps answering with an exception is logged once per change and raises READ_FAILING. The loop
/// runs on the connection's own thread (its executor), so requests cost no thread switch and a blocked device
/// blocks only itself.
public struct DevicePoller: Service {
    public let device: Device
    let state: MonitorState
    let client: ModbusClient
    let backoffBase: Duration
    let backoffCap: Duration
    let logger: Logger

    public init(device: Device, state: MonitorState, backoffBase: Duration = .milliseconds(250), backoffCap: Duration = .seconds(30),
                logger: Logger) {
        self.device = device
        self.state = state
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.logger = logger
        client = ModbusClient(endpoint: device.endpoint.modbusEndpoint, unitID: UInt8(clamping: device.unitID),
                              anyUnit: device.anyUnit, timeouts: device.modbusTimeouts)
    }

    public func run() async throws {
        let client = self.client
        do {
            try await cancelWhenGracefulShutdown {
                try await withTaskExecutorPreference(client.executor) {
                    try await self.loop()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
        await client.close()
    }

    private struct Group {
        var period: Duration
        var tags: [Tag]
        var plan: ReadPlan
        var next: ContinuousClock.Instant
    }

    private func loop() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var groups = device.scanGroups.compactMap { group -> Group? in
            let (tags, plan) = device.readPlan(group: group.name)
            return tags.isEmpty ? nil : Group(period: group.period, tags: tags, plan: plan, next: start)
        }
        guard !groups.isEmpty else { return }
        var policy = ReconnectPolicy<ContinuousClock.Instant>(base: backoffBase, cap: backoffCap, jitter: 0.5,
                                                              seed: Self.jitterSeed(device: device.name))
        var buffer = [UInt16](repeating: 0, count: 2000)
        var down = false
        // The first failed request of the current failure, and when the device's DEVICE_DOWN on-delay ends.
        var failingSince: (wall: Int64, instant: ContinuousClock.Instant)?
        var alarmDue: ContinuousClock.Instant?
        while true {
            let index = groups.indices.min { groups[$0].next < groups[$1].next }!
            let deadline = groups[index].next
            if let due = alarmDue, due < deadline {
                // Wake when the on-delay ends, so the alarm is not late by up to a tick.
                try await clock.sleep(until: due, tolerance: nil)
                alarmDue = nil
                // The wall time the on-delay ends at, at least: milliseconds truncated on both sides must not leave
                // it a millisecond short (the ticker would then raise it up to a second late).
                let end = (failingSince?.wall ?? 0) + milliseconds(device.effectiveDownDelay)
                state.evaluateAlarmDelays(at: max(Int64(Date().timeIntervalSince1970 * 1000), end))
                continue
            }
            try await clock.sleep(until: deadline, tolerance: nil)
            let now = clock.now
            let lateness = (now - deadline).seconds
            let wallTime = Int64(Date().timeIntervalSince1970 * 1000)
            var group = groups[index]
            // Next deadline on the grid start + n × period; an overrun skips ahead rather than bursting.
            group.next = group.next.advanced(by: group.period)
            var overrun = false
            if group.next <= now {
                overrun = true
                let behind = (now - group.next) / group.period
                group.next = group.next.advanced(by: group.period * (Int(behind.rounded(.down)) + 1))
            }
            groups[index] = group
            switch policy.nextAction(now: now) {
            case .wait:
                // Demoted: the device is backing off; its tags stay bad until the next probe.
                state.scanned(device: device.name, overrun: overrun, at: wallTime)
                continue
            case .connect, .proceed:
                break
            }
            var failure: (any Error)?
            requests: for request in group.plan.requests {
              var attempt = 0
              while true {
                let t0 = clock.now
                do {
                    try await client.read(request.table, address: request.address, count: request.count, into: &buffer)
                    state.recordRequest(device: device.name, latency: (clock.now - t0).seconds, error: nil)
                    if let change = state.blockResult(device: device.name, block: request.label, reason: nil, at: wallTime) {
                        log(change, request)
                    }
                    let time = Int64(Date().timeIntervalSince1970 * 1000)
                    let values = buffer.withUnsafeBufferPointer { pointer in
                        request.items.map { item -> (Tag, TagValue) in
                            let tag = group.tags[item]
                            let offset = tag.address - request.address
                            return (tag, TagPipeline.evaluate(tag, registers: UnsafeBufferPointer(rebasing: pointer[offset..<request.count]), at: time))
                        }
                    }
                    state.update(values, device: device.name, at: time)
                    break
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    state.recordRequest(device: device.name, latency: nil, error: Self.kind(of: error))
                    if let modbusError = error as? ModbusError, !modbusError.code.breaksConnection {
                        // An exception answers for this request only; the device is up.
                        state.fail(request.items.map { group.tags[$0] }, quality: TagPipeline.quality(for: error),
                                   at: Int64(Date().timeIntervalSince1970 * 1000))
                        if let change = state.blockResult(device: device.name, block: request.label, reason: "\(modbusError.code)",
                                                          at: wallTime) {
                            log(change, request)
                        }
                        break
                    }
                    if failingSince == nil { failingSince = (Int64(Date().timeIntervalSince1970 * 1000) - Int64((clock.now - t0).seconds * 1000), t0) }
                    // The link is broken (the client closed it): try again on a new connection, then give up.
                    if attempt < device.retries, !down {
                        attempt += 1
                        continue
                    }
                    failure = error
                    break requests
                }
              }
            }
            let time = Int64(Date().timeIntervalSince1970 * 1000)
            if let failure {
                let until = policy.failed(now: clock.now)
                // Every tag of the device is now unreachable, not only this group's.
                let quality = TagPipeline.quality(for: failure)
                state.fail(device.tags, quality: quality, at: time)
                if !down {
                    logger.warning("device down", metadata: ["device": "\(device.name)", "error": "\(failure)",
                                                             "retry_in_ms": "\((until - clock.now).seconds * 1000)"])
                }
                down = true
                state.setDevice(device.name, up: false, error: "\(failure)", since: failingSince?.wall, at: time)
                if let since = failingSince?.instant {
                    let due = since.advanced(by: device.effectiveDownDelay)
                    if due > clock.now { alarmDue = due } else { state.evaluateAlarmDelays(at: time) }
                }
            } else {
                policy.connected()
                failingSince = nil
                alarmDue = nil
                if down {
                    logger.info("device up", metadata: ["device": "\(device.name)"])
                    // Back from a failure: read every group now, so slow groups are not left bad for a period.
                    for other in groups.indices where other != index { groups[other].next = min(groups[other].next, clock.now) }
                }
                down = false
                state.setDevice(device.name, up: true, error: nil, at: time)
            }
            state.scanned(device: device.name, overrun: overrun, lateness: lateness, at: time)
            if device.closeAfterPoll { await client.close() }
        }
    }

    private func log(_ change: MonitorState.BlockChange, _ request: ReadRequest) {
        switch change {
        case .failing(let reason):
            logger.warning("read failing", metadata: ["device": "\(device.name)", "block": "\(request.label)", "error": "\(reason)"])
        case .recovered:
            logger.info("read recovered", metadata: ["device": "\(device.name)", "block": "\(request.label)"])
        }
    }

    /// The seed of a device's backoff jitter: FNV-1a of its name, so each device draws its own delays and a
    /// replay draws the same ones.
    static func jitterSeed(device name: String) -> UInt64 {
        var seed: UInt64 = 1469598103934665603
        for byte in name.utf8 { seed = (seed ^ UInt64(byte)) &* 1099511628211 }
        return seed
    }

    static func kind(of error: any Error) -> String {
        guard let error = error as? ModbusError else { return "other" }
        if let code = error.exceptionCode { return "exception_\(code)" }
        return "\(error.code)".replacingOccurrences(of: " ", with: "_")
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
