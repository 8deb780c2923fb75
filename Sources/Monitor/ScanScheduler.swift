import Modbus

/// When each scan group of each device is read, as a state machine without I/O, generic over the instant.
///
/// The live poller (``DevicePoller``, one device, `ContinuousClock` or a test's manual clock) and ``Replay``
/// (every device and the ticker, recorded time as a `Timestamp`) are thin drivers of it: they ask what to do
/// at an instant (``next(now:)``), do it, and report how a read went (``linkBroke(device:at:)``,
/// ``scanSucceeded(device:group:now:)``, ``scanFailed(device:now:)``). So replay schedules, backs off and probes as
/// live does by construction [STYLE: Concurrency, sans-IO state machines].
///
/// - Scan groups run on absolute deadlines `start + n × period` (no drift); a deadline missed by a period or
///   more is an overrun, and the group's next deadline skips ahead rather than bursting.
/// - A scan whose link breaks puts the device down: ``ReconnectPolicy`` (capped exponential backoff with jitter,
///   seeded by the device's name) decides when it is probed again; until then its groups come due as
///   ``Action/skip(device:group:overrun:)`` (demoted scanning). Back up, every group of the device is due at once.
/// - The device's DEVICE_DOWN on-delay runs from its first failed request: ``Action/downDelayEnds(device:)`` is
///   due when it ends, so the alarm is not late by up to a tick.
/// - With a tick interval, ``Action/tick`` is due every interval from the start (replay's ticker).
///
/// Among actions due at the same instant, scans come first (devices and groups in order), then on-delays, then
/// the tick.
public struct ScanScheduler<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public enum Action: Sendable, Equatable {
        /// Read `group` of `device` (a probe if the device is down); `lateness` after its deadline.
        case read(device: Int, group: Int, overrun: Bool, lateness: Duration)
        /// The group is due but its device is backing off: count the scan, read nothing.
        case skip(device: Int, group: Int, overrun: Bool)
        /// The device's DEVICE_DOWN on-delay ends now.
        case downDelayEnds(device: Int)
        /// Evaluate KPIs, staleness and alarm timers.
        case tick
        /// Nothing is due before the instant: sleep until then and ask again.
        case wait(until: Instant)
    }

    /// What the scheduler needs to know of a device.
    public struct DeviceTiming: Sendable {
        /// The periods of its scan groups that have something to read.
        public var periods: [Duration]
        /// The DEVICE_DOWN on-delay.
        public var downDelay: Duration
        /// The seed of its backoff jitter.
        public var seed: UInt64
        public init(periods: [Duration], downDelay: Duration, seed: UInt64) {
            self.periods = periods
            self.downDelay = downDelay
            self.seed = seed
        }
    }

    struct DeviceState: Sendable {
        var next: [Instant]
        var periods: [Duration]
        var downDelay: Duration
        var policy: ReconnectPolicy<Instant>
        var down = false
        var failingSince: Instant?
        var downDelayDue: Instant?
    }

    private(set) var devices: [DeviceState]
    private let tickInterval: Duration?
    private var nextTick: Instant?

    /// - Parameters:
    ///   - devices: each device's scan-group periods, on-delay and jitter seed.
    ///   - start: every group is first due at `start`; the first tick at `start + tick`.
    ///   - tick: the tick interval, or nil for no ticks (live, where the ticker is a service of its own).
    public init(devices: [DeviceTiming], start: Instant, backoffBase: Duration, backoffCap: Duration, tick: Duration? = nil) {
        precondition(devices.allSatisfy { $0.periods.allSatisfy { $0 > .zero } }, "scan periods are positive")
        self.devices = devices.map {
            DeviceState(next: Array(repeating: start, count: $0.periods.count), periods: $0.periods, downDelay: $0.downDelay,
                        policy: ReconnectPolicy(base: backoffBase, cap: backoffCap, jitter: 0.5, seed: $0.seed))
        }
        tickInterval = tick
        nextTick = tick.map { start.advanced(by: $0) }
    }

    /// The earliest instant something is due (nil: nothing ever is).
    public var nextDeadline: Instant? {
        var earliest = nextTick
        for device in devices {
            for next in device.next where earliest.map({ next < $0 }) ?? true { earliest = next }
            if let due = device.downDelayDue, earliest.map({ due < $0 }) ?? true { earliest = due }
        }
        return earliest
    }

    /// What to do at `now`: the earliest due action, or how long to wait.
    public mutating func next(now: Instant) -> Action {
        var best: (at: Instant, device: Int, group: Int?)?
        for (d, device) in devices.enumerated() {
            for (g, next) in device.next.enumerated() where best.map({ next < $0.at }) ?? true { best = (next, d, g) }
        }
        for (d, device) in devices.enumerated() {
            if let due = device.downDelayDue, best.map({ due < $0.at }) ?? true { best = (due, d, nil) }
        }
        if let tick = nextTick, best.map({ tick < $0.at }) ?? true {
            guard tick <= now else { return .wait(until: tick) }
            nextTick = tick.advanced(by: tickInterval!)
            return .tick
        }
        guard let best else { return .wait(until: now.advanced(by: .seconds(3600))) }
        guard best.at <= now else { return .wait(until: best.at) }
        guard let g = best.group else {
            devices[best.device].downDelayDue = nil
            return .downDelayEnds(device: best.device)
        }
        return scan(device: best.device, group: g, now: now)
    }

    private mutating func scan(device d: Int, group g: Int, now: Instant) -> Action {
        let deadline = devices[d].next[g]
        let period = devices[d].periods[g]
        var next = deadline.advanced(by: period)
        var overrun = false
        if next <= now {
            overrun = true
            let behind = next.duration(to: now) / period
            next = next.advanced(by: period * (Int(behind.rounded(.down)) + 1))
        }
        devices[d].next[g] = next
        if case .wait = devices[d].policy.nextAction(now: now) {
            return .skip(device: d, group: g, overrun: overrun)
        }
        return .read(device: d, group: g, overrun: overrun, lateness: deadline.duration(to: now))
    }
}

extension ScanScheduler {
    /// Whether the device is down (backing off, probed on its policy's delays).
    public func isDown(device: Int) -> Bool { devices[device].down }

    /// The first failed request of the device's current failure.
    public func failingSince(device: Int) -> Instant? { devices[device].failingSince }

    /// A request to the device failed in a way that breaks the link, at `at` (the request's start).
    public mutating func linkBroke(device: Int, at instant: Instant) {
        if devices[device].failingSince == nil { devices[device].failingSince = instant }
    }

    /// The scan of `group` read what it could and the link held.
    /// - Returns: whether the device was down and is now back (every other group of it is then due at once, so
    ///   slow groups are not left bad for a period).
    @discardableResult
    public mutating func scanSucceeded(device d: Int, group: Int, now: Instant) -> Bool {
        devices[d].policy.connected()
        devices[d].failingSince = nil
        devices[d].downDelayDue = nil
        let recovered = devices[d].down
        if recovered {
            for g in devices[d].next.indices where g != group { devices[d].next[g] = min(devices[d].next[g], now) }
        }
        devices[d].down = false
        return recovered
    }

    /// What follows a scan whose link broke.
    public struct Failure: Sendable, Equatable {
        /// No probe before this instant.
        public var retryAt: Instant
        /// The device was up until this scan.
        public var wentDown: Bool
        /// The on-delay of DEVICE_DOWN has already ended: evaluate alarm delays now (otherwise
        /// ``Action/downDelayEnds(device:)`` comes due when it ends).
        public var downDelayEnded: Bool
    }

    /// The scan broke the link (after its retries): the device is down and backs off.
    public mutating func scanFailed(device d: Int, now: Instant) -> Failure {
        let retryAt = devices[d].policy.failed(now: now)
        let wentDown = !devices[d].down
        devices[d].down = true
        if devices[d].failingSince == nil { devices[d].failingSince = now }
        let due = devices[d].failingSince!.advanced(by: devices[d].downDelay)
        var ended = false
        if due > now { devices[d].downDelayDue = due } else { ended = true }
        return Failure(retryAt: retryAt, wentDown: wentDown, downDelayEnded: ended)
    }

    /// The seed of a device's backoff jitter: FNV-1a of its name, so each device draws its own delays and a
    /// replay draws the same ones.
    public static func jitterSeed(device name: String) -> UInt64 {
        var seed: UInt64 = 1469598103934665603
        for byte in name.utf8 { seed = (seed ^ UInt64(byte)) &* 1099511628211 }
        return seed
    }
}
