import Historian
import Monitor
import PlantConfig

/// A device with its poller's statistics (`GET /api/v1/devices`, a resync's `devices`).
struct DeviceShape: Encodable {
    let device: DeviceStatus

    private enum Key: String, CodingKey {
        case name, endpoint, up, lastError, lastPoll, requests, errors, reconnects, scans, overruns, latencyP50, latencyP99
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(device.name, forKey: .name)
        try c.encode(device.endpoint, forKey: .endpoint)
        try c.encode(device.up, forKey: .up)
        try c.encode(device.lastError, forKey: .lastError)
        try c.encode(device.lastPoll, forKey: .lastPoll)
        try c.encode(device.requests, forKey: .requests)
        try c.encode(JSON.pairs(device.errors.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) }), forKey: .errors)
        try c.encode(device.reconnects, forKey: .reconnects)
        try c.encode(device.scans, forKey: .scans)
        try c.encode(device.overruns, forKey: .overruns)
        try c.encode(device.latencyQuantile(0.5), forKey: .latencyP50)
        try c.encode(device.latencyQuantile(0.99), forKey: .latencyP99)
    }
}

/// A device that went up or down (a live `device` event): `{"name", "up", "lastError", "time"}`, the fields of
/// ``DeviceShape`` that changed, and when.
struct DeviceChangeShape: Encodable {
    let change: DeviceChange

    private enum Key: String, CodingKey { case name, up, lastError, time }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(change.name, forKey: .name)
        try c.encode(change.up, forKey: .up)
        try c.encode(change.lastError, forKey: .lastError)
        try c.encode(change.time, forKey: .time)
    }
}

/// A live alarm event: `{"alarm": <the alarm's status after the transition>, "journal": <its journal entry>}`.
struct AlarmEventShape: Encodable {
    let transition: AlarmTransition
    let alarm: AlarmStatus?

    private enum Key: String, CodingKey { case alarm, journal }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(alarm.map(AlarmShape.init), forKey: .alarm)
        try c.encode(JournalShape(event: transition.journalEvent), forKey: .journal)
    }
}

/// The data of a live update, by kind.
struct LiveUpdateShape: Encodable {
    let update: LiveUpdate

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch update.event {
        case .tag(let name, let value): try c.encode(TagReadingShape(name: name, value: value))
        case .kpi(let kpi): try c.encode(KPIShape(kpi: kpi))
        case .alarm(let transition, let status): try c.encode(AlarmEventShape(transition: transition, alarm: status))
        case .device(let change): try c.encode(DeviceChangeShape(change: change))
        }
    }
}

/// A resync: `{"sequence", "tags", "kpis", "alarms", "devices"}`, every current value with the last sequence
/// number published before it was read (every update up to that number is in it).
struct ResyncShape: Encodable {
    let sequence: UInt64
    let state: MonitorState

    private enum Key: String, CodingKey { case sequence, tags, kpis, alarms, devices }

    /// Reads the state now.
    init(_ state: MonitorState) {
        sequence = state.feed.lastSequence
        self.state = state
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(sequence, forKey: .sequence)
        let values = state.tagValues
        try c.encode(state.plant.allTags.map { TagReadingShape(name: $0.name, value: values[$0.name]) }, forKey: .tags)
        try c.encode(state.kpis.map(KPIShape.init), forKey: .kpis)
        try c.encode(state.alarms.filter { $0.state != .normal || $0.shelvedUntil != nil }.map(AlarmShape.init), forKey: .alarms)
        try c.encode(state.deviceStatuses.map(DeviceShape.init), forKey: .devices)
    }
}
