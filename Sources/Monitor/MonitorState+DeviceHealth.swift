import Historian
import PlantConfig
import Synchronization

/// Device health without chatter: a device is declared down after its retries, its DEVICE_DOWN alarm waits for
/// the device's on-delay (two scan periods by default) counted from the first failed request, and a read block
/// that keeps answering with an exception is a system alarm of its own. Live pollers and replay call the same
/// functions, so both raise the same alarms.
extension MonitorState {
    /// A read block's run of exception answers.
    struct BlockFailure: Sendable {
        var count: Int
        var reason: String
        var raised: Bool
    }

    /// What changed for a read block, for the poller to log once per change.
    public enum BlockChange: Sendable, Equatable {
        /// It keeps failing (the second failure in a row, or a new reason): logged and alarmed.
        case failing(String)
        /// It answers again after it was alarmed.
        case recovered
    }

    /// Failures in a row before a block's READ_FAILING alarm: one exception may be a device's passing state.
    static let blockFailuresToAlarm = 2

    /// A device went up or down: status, journal, and the DEVICE_DOWN condition with the device's on-delay,
    /// counted from `since`, the first failed request (a device back within the delay raises nothing).
    func setDevice(_ device: String, up: Bool, error: String?, since: Int64? = nil, at time: Int64) {
        let delay = plant.devices.first { $0.name == device }?.effectiveDownDelay ?? .seconds(2)
        var transitions: [AlarmTransition] = []
        let changed = state.withLock { inner -> Bool in
            guard let status = inner.devices[device] else { return false }
            inner.devices[device]?.lastError = error
            if up {
                guard !status.up else { return false }
                inner.devices[device]?.up = true
                // A reconnection is one after the device was down, not the first connection at start.
                if status.down { inner.devices[device]?.reconnects += 1 }
                inner.devices[device]?.down = false
                transitions = inner.alarms.setSystemCondition(.deviceDown, source: device, active: false, message: "", at: time)
            } else {
                guard !status.down else { return false }
                inner.devices[device]?.up = false
                inner.devices[device]?.down = true
                transitions = inner.alarms.setSystemCondition(.deviceDown, source: device, active: true, priority: 100,
                                                              onDelay: delay, message: "device \(device) not responding",
                                                              at: min(since ?? time, time))
                transitions += inner.alarms.tick(at: time)
            }
            return true
        }
        guard changed else { return }
        historian?.record(JournalEvent(time: time, kind: .device, source: device, message: up ? "up" : "down: \(error ?? "")"))
        if publishes { feed.publish(.device(DeviceChange(name: device, up: up, lastError: up ? nil : error, time: time))) }
        journal(transitions)
    }

    /// Raises the alarms whose on-delay has run out by `time` (a poller calls it when a device's on-delay ends, so
    /// DEVICE_DOWN is not late by up to a tick).
    public func evaluateAlarmDelays(at time: Int64) {
        journal(state.withLock { $0.alarms.tick(at: time) })
    }

    /// A read block's answer: `reason` is the exception it answered with, or nil when it read. Raises READ_FAILING
    /// after ``blockFailuresToAlarm`` failures in a row and clears it when the block reads again.
    ///
    /// - Returns: what changed, for the caller to log once per change; nil when nothing did.
    @discardableResult
    func blockResult(device: String, block: String, reason: String?, at time: Int64) -> BlockChange? {
        if reason == nil, failingBlockCount.load(ordering: .acquiring) == 0 { return nil }
        let key = "\(device) \(block)"
        var transitions: [AlarmTransition] = []
        let change = state.withLock { inner -> BlockChange? in
            guard let reason else {
                guard let failure = inner.failingBlocks.removeValue(forKey: key) else { return nil }
                failingBlockCount.store(inner.failingBlocks.count, ordering: .releasing)
                guard failure.raised else { return nil }
                transitions = inner.alarms.setSystemCondition(.readFailing, source: key, active: false, message: "", at: time)
                return .recovered
            }
            var failure = inner.failingBlocks[key] ?? BlockFailure(count: 0, reason: reason, raised: false)
            let newReason = failure.reason != reason
            failure.count += 1
            failure.reason = reason
            defer {
                inner.failingBlocks[key] = failure
                failingBlockCount.store(inner.failingBlocks.count, ordering: .releasing)
            }
            guard failure.count >= Self.blockFailuresToAlarm, !failure.raised || newReason else { return nil }
            failure.raised = true
            transitions = inner.alarms.setSystemCondition(.readFailing, source: key, active: true, priority: 200,
                                                          message: "\(key): \(reason)", at: time)
            return .failing(reason)
        }
        journal(transitions)
        return change
    }
}
