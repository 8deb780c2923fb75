import PlantConfig
public import RegisterVocabulary
import Timekeeping

/// Evaluates alarms per ISA-18.2 / IEC 62682: limits with deadband, on- and off-delays, the four states,
/// acknowledgement, shelving with a maximum time, out-of-service; system alarms for devices down and stale
/// tags; and the alarm-system health figures of EEMUA 191.
///
/// Pure and clock-free: every call takes the time (ms UTC), so tests drive it step by step.
///
/// Bad values do not change process alarms: a value that cannot be trusted neither raises nor clears an
/// alarm (the bad quality itself is reported, and a device down raises its own system alarm).
public struct AlarmEngine: Sendable {
    public private(set) var alarms: [String: AlarmStatus] = [:]
    /// Longest time an alarm may be shelved, ms.
    public var maximumShelve: Int64
    /// Pending condition changes awaiting their delay: alarm id → (condition, since).
    private var pending: [String: (condition: Bool, since: Int64)] = [:]
    /// Recent values per tag for rate of change, measured over `rateWindow` so that noise does not chatter.
    var recent: [String: [(value: Double, time: Int64)]] = [:]
    /// The window over which a rate of change is measured, ms.
    public var rateWindow: Int64 = 60_000
    private var byTag: [String: [String]] = [:]
    /// Tags with a rate-of-change alarm: only they keep a window of recent values.
    private var rateTags: Set<String> = []
    /// The earliest time a shelf expires (`Int64.max` when nothing is shelved), so that evaluating a value
    /// does not walk every alarm to look for expired shelves.
    private var nextShelfExpiry = Int64.max
    /// What the EEMUA 191 figures need of the last 24 h's raises, in bounded space.
    var raiseLog = AlarmRaiseLog()

    public init(definitions: [AlarmDefinition], maximumShelve: Int64 = 8 * 3_600_000) {
        self.maximumShelve = maximumShelve
        for definition in definitions { add(definition) }
    }

    public mutating func add(_ definition: AlarmDefinition) {
        alarms[definition.id] = AlarmStatus(definition: definition)
        byTag[definition.source, default: []].append(definition.id)
        if definition.kind == .rateOfChange { rateTags.insert(definition.source) }
    }

    /// Evaluates a tag's new value. Returns the transitions it caused.
    public mutating func process(tag: String, value: Double, quality: Quality, at time: Int64) -> [AlarmTransition] {
        guard let ids = byTag[tag] else { return [] }
        var transitions: [AlarmTransition] = []
        transitions += expireShelves(at: time)
        guard quality.status != .bad, value.isFinite else { return transitions }
        var rate: Double?
        if rateTags.contains(tag) {
            var history = recent.removeValue(forKey: tag) ?? []
            history.append((value, time))
            // Keep the newest sample at least one window old as the reference, and everything after it.
            var drop = 0
            while history.count - drop > 2 && time - history[drop + 1].time >= rateWindow { drop += 1 }
            if drop > 0 { history.removeFirst(drop) }
            if let reference = history.first, time - reference.time >= rateWindow {
                rate = (value - reference.value) / (Double(time - reference.time) / 60_000)
            }
            recent[tag] = history
        }
        for id in ids {
            guard let status = alarms[id] else { continue }
            let d = status.definition
            let condition: Bool
            switch d.kind {
            case .highHigh, .high:
                condition = status.isActive ? value > d.limit - d.deadband : value > d.limit
            case .low, .lowLow:
                condition = status.isActive ? value < d.limit + d.deadband : value < d.limit
            case .rateOfChange:
                guard let rate else { continue }
                condition = status.isActive ? abs(rate) > d.limit - d.deadband : abs(rate) > d.limit
            case .deviceDown, .stale, .readFailing, .historianSpoolFull:
                continue
            }
            alarms[id]?.value = value
            if let transition = update(id, condition: condition, at: time) { transitions.append(transition) }
        }
        return transitions
    }

    /// Sets a system alarm's condition (device down, tag stale), creating the alarm on first use.
    public mutating func setSystemCondition(_ kind: AlarmKind, source: String, active: Bool, priority: Int = 100,
                                            onDelay: Duration = .zero, message: String, at time: Int64) -> [AlarmTransition] {
        let id = "\(source):\(kind.rawValue)"
        if alarms[id] == nil {
            guard active else { return [] }
            add(AlarmDefinition(id: id, source: "system:\(source)", kind: kind, onDelay: onDelay, priority: priority,
                                message: message))
        }
        return update(id, condition: active, at: time).map { [$0] } ?? []
    }

    /// Applies delays: a condition must hold for the on-delay (off-delay) before the state changes.
    private mutating func update(_ id: String, condition: Bool, at time: Int64) -> AlarmTransition? {
        guard let status = alarms[id] else { return nil }
        let d = status.definition
        if condition == status.isActive {
            pending[id] = nil
            return nil
        }
        let delay = condition ? d.onDelay : d.offDelay
        let since: Int64
        if let p = pending[id], p.condition == condition { since = p.since } else {
            since = time
            pending[id] = (condition, time)
        }
        guard time - since >= delay.wholeMilliseconds else { return nil }
        pending[id] = nil
        let from = status.state
        let to: AlarmState
        if condition {
            to = .unacknowledgedActive
            alarms[id]?.activeSince = time
            alarms[id]?.acknowledgedBy = nil
            raiseLog.record(id, at: time)
        } else {
            to = from == .acknowledgedActive ? .normal : .returnedUnacknowledged
            alarms[id]?.activeSince = nil
        }
        alarms[id]?.state = to
        return AlarmTransition(alarmID: id, event: condition ? .raised : .cleared, from: from, to: to, time: time,
                               value: status.value, user: nil, priority: d.priority, message: d.message)
    }

    /// Re-evaluates pending delays without a new value (e.g. on a timer): a condition that has held long
    /// enough changes the state even when the value stops changing.
    public mutating func tick(at time: Int64) -> [AlarmTransition] {
        var transitions = expireShelves(at: time)
        for (id, p) in pending {
            if let transition = update(id, condition: p.condition, at: time) { transitions.append(transition) }
        }
        return transitions
    }

    // MARK: - Operator actions

    public enum ActionError: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownAlarm(String)
        case invalidShelveDuration(maximum: Int64)
        public var description: String {
            switch self {
            case .unknownAlarm(let id): "no alarm '\(id)'"
            case .invalidShelveDuration(let maximum): "shelve for more than 0 and at most \(maximum / 60_000) minutes"
            }
        }
    }

    /// Acknowledges an alarm: active → acknowledged active, returned → normal.
    public mutating func acknowledge(_ id: String, user: String, at time: Int64) throws(ActionError) -> AlarmTransition? {
        guard let status = alarms[id] else { throw .unknownAlarm(id) }
        let to: AlarmState
        switch status.state {
        case .unacknowledgedActive: to = .acknowledgedActive
        case .returnedUnacknowledged: to = .normal
        case .normal, .acknowledgedActive: return nil
        }
        alarms[id]?.state = to
        alarms[id]?.acknowledgedBy = user
        return AlarmTransition(alarmID: id, event: .acknowledged, from: status.state, to: to, time: time, value: status.value,
                               user: user, priority: status.definition.priority, message: status.definition.message)
    }

    /// Shelves an alarm for `duration` ms (at most `maximumShelve`): not annunciated until it expires.
    public mutating func shelve(_ id: String, user: String, for duration: Int64, at time: Int64) throws(ActionError) -> AlarmTransition {
        guard let status = alarms[id] else { throw .unknownAlarm(id) }
        guard duration > 0 && duration <= maximumShelve else { throw .invalidShelveDuration(maximum: maximumShelve) }
        alarms[id]?.shelvedUntil = time + duration
        alarms[id]?.shelvedBy = user
        nextShelfExpiry = min(nextShelfExpiry, time + duration)
        return AlarmTransition(alarmID: id, event: .shelved, from: status.state, to: status.state, time: time, value: status.value,
                               user: user, priority: status.definition.priority, message: status.definition.message)
    }

    /// Takes an alarm out of service (or back): out of service, it is never annunciated.
    public mutating func setOutOfService(_ id: String, _ outOfService: Bool, user: String, at time: Int64) throws(ActionError) -> AlarmTransition {
        guard let status = alarms[id] else { throw .unknownAlarm(id) }
        alarms[id]?.outOfService = outOfService
        return AlarmTransition(alarmID: id, event: outOfService ? .removedFromService : .returnedToService, from: status.state,
                               to: status.state, time: time, value: status.value, user: user,
                               priority: status.definition.priority, message: status.definition.message)
    }

    private mutating func expireShelves(at time: Int64) -> [AlarmTransition] {
        guard time >= nextShelfExpiry else { return [] }
        var transitions: [AlarmTransition] = []
        nextShelfExpiry = .max
        for (id, status) in alarms {
            guard let until = status.shelvedUntil else { continue }
            if time < until {
                nextShelfExpiry = min(nextShelfExpiry, until)
            } else {
                alarms[id]?.shelvedUntil = nil
                alarms[id]?.shelvedBy = nil
                transitions.append(AlarmTransition(alarmID: id, event: .unshelved, from: status.state, to: status.state, time: time,
                                                   value: status.value, user: nil, priority: status.definition.priority,
                                                   message: status.definition.message))
            }
        }
        return transitions
    }
}

