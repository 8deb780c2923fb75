import Historian
import Monitor
import PlantConfig
import ProcessModel
import RegisterVocabulary

/// The shapes of the monitor's JSON, written by ``JSONBodyEncoder``. Each is the one shape of its thing: the
/// REST answers and the live stream's events use the same ones (docs/http-api.md lists them). An optional is
/// written as null (the encoder's `encodeIfPresent` writes null too).

/// A quality: `{"good": false, "status": "bad", "reason": "exception", "detail": 2}`; `detail` (the Modbus
/// exception code) only when there is one.
struct QualityShape: Encodable, JSONWritable {
    let quality: Quality

    private enum Key: String, CodingKey { case good, status, reason, detail }

    /// Reason names by raw value (string interpolation of an enum goes through reflection: slow per tag).
    private static let reasons: [String] = (0..<256).map { raw in Quality.Reason(rawValue: UInt8(raw)).map { "\($0)" } ?? "unknown" }

    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("good")
        w.bool(quality.isGood)
        w.key("status")
        w.string(quality.status.name)
        w.key("reason")
        w.string(Self.reasons[Int(quality.reason.rawValue)])
        if quality.detail != 0 {
            w.key("detail")
            w.int(Int64(quality.detail))
        }
        w.endObject()
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(quality.isGood, forKey: .good)
        try c.encode(quality.status.name, forKey: .status)
        try c.encode(Self.reasons[Int(quality.reason.rawValue)], forKey: .reason)
        if quality.detail != 0 { try c.encode(quality.detail, forKey: .detail) }
    }
}

/// A tag's value: `{"name", "value", "quality", "time"}` (a live `tag` event and a resync's `tags`); the REST tag
/// (``TagShape``) is the same object with the tag's description after these fields. A tag never read has no
/// value and no time (null), rather than 0 and 1970.
struct TagReadingShape: Encodable, JSONWritable {
    let name: String
    let value: TagValue?

    fileprivate enum Key: String, CodingKey { case name, value, quality, time, device, description, unit, signal, range, limits }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try write(into: &c)
    }

    func write(to w: inout JSONWriter) {
        w.beginObject()
        writeFields(to: &w)
        w.endObject()
    }

    /// The fields of ``write(into:)``, written directly (a plant's tags are written several thousand at a time).
    func writeFields(to w: inout JSONWriter) {
        w.key("name")
        w.string(name)
        w.key("value")
        w.number(value?.value)
        w.key("quality")
        QualityShape(quality: value?.quality ?? .uncertain(.initialValue)).write(to: &w)
        w.key("time")
        if let time = value?.time, time > 0 { w.int(time) } else { w.null() }
    }

    fileprivate func write(into c: inout KeyedEncodingContainer<Key>) throws {
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(value?.value, forKey: .value)
        try c.encode(QualityShape(quality: value?.quality ?? .uncertain(.initialValue)), forKey: .quality)
        try c.encodeIfPresent(value.flatMap { $0.time > 0 ? $0.time : nil }, forKey: .time)
    }
}

/// A tag as `GET /api/v1/tags` lists it: its reading, then its device, description, unit, signal, range and alarm
/// limits (by kind: `LL`, `L`, `H`, `HH`).
struct TagShape: Encodable, JSONWritable {
    let tag: Tag
    let device: String
    let value: TagValue?

    func write(to w: inout JSONWriter) {
        w.beginObject()
        TagReadingShape(name: tag.name, value: value).writeFields(to: &w)
        writeStaticFields(to: &w)
        w.endObject()
    }

    /// The fields after the reading: the same for every value (``TagList`` writes them once per loaded plant).
    func writeStaticFields(to w: inout JSONWriter) {
        w.key("device")
        w.string(device)
        w.key("description")
        w.string(tag.description)
        w.key("unit")
        w.string(tag.unit.symbol)
        w.key("signal")
        w.string(tag.signal)
        w.key("range")
        if let range = tag.range {
            w.beginArray()
            w.number(range.lowerBound)
            w.number(range.upperBound)
            w.endArray()
        } else {
            w.null()
        }
        w.key("limits")
        if let limits = tag.alarms { LimitsShape(limits: limits).write(to: &w) } else { w.null() }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: TagReadingShape.Key.self)
        try TagReadingShape(name: tag.name, value: value).write(into: &c)
        try c.encode(device, forKey: .device)
        try c.encode(tag.description, forKey: .description)
        try c.encode(tag.unit.symbol, forKey: .unit)
        try c.encode(tag.signal, forKey: .signal)
        try c.encode(tag.range.map { [$0.lowerBound, $0.upperBound] }, forKey: .range)
        try c.encode(tag.alarms.map(LimitsShape.init), forKey: .limits)
    }
}

/// A tag's alarm limits by kind, only those it has.
struct LimitsShape: Encodable, JSONWritable {
    let limits: AlarmLimits

    func write(to w: inout JSONWriter) {
        w.beginObject()
        for (key, value) in [("LL", limits.lowLow), ("L", limits.low), ("H", limits.high), ("HH", limits.highHigh)] {
            guard let value else { continue }
            w.key(key)
            w.number(value)
        }
        w.endObject()
    }

    private enum Key: String, CodingKey { case LL, L, H, HH }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (key, value) in [(Key.LL, limits.lowLow), (.L, limits.low), (.H, limits.high), (.HH, limits.highHigh)] {
            if let value { try c.encode(value, forKey: key) }
        }
    }
}

/// A KPI: `{"name", "label", "value", "unit", "quality", "idle", "time"}` (REST, a live `kpi` event, a resync).
struct KPIShape: Encodable, JSONWritable {
    let kpi: KPIValue

    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("name")
        w.string(kpi.name)
        w.key("label")
        w.string(kpi.label)
        w.key("value")
        w.number(kpi.value)
        w.key("unit")
        w.string(kpi.unit)
        w.key("quality")
        QualityShape(quality: kpi.quality).write(to: &w)
        w.key("idle")
        w.bool(kpi.idle)
        w.key("time")
        w.int(kpi.time)
        w.endObject()
    }

    private enum Key: String, CodingKey { case name, label, value, unit, quality, idle, time }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kpi.name, forKey: .name)
        try c.encode(kpi.label, forKey: .label)
        try c.encode(kpi.value, forKey: .value)
        try c.encode(kpi.unit, forKey: .unit)
        try c.encode(QualityShape(quality: kpi.quality), forKey: .quality)
        try c.encode(kpi.idle, forKey: .idle)
        try c.encode(kpi.time, forKey: .time)
    }
}

/// An alarm's status (`GET /api/v1/alarms`, the `alarm` of a live alarm event, a resync's `alarms`).
struct AlarmShape: Encodable {
    let alarm: AlarmStatus

    private enum Key: String, CodingKey {
        case id, source, kind, priority, state, message, limit, value, activeSince, acknowledgedBy, shelvedUntil, outOfService
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let definition = alarm.definition
        try c.encode(definition.id, forKey: .id)
        try c.encode(definition.source, forKey: .source)
        try c.encode(definition.kind.rawValue, forKey: .kind)
        try c.encode(definition.priority, forKey: .priority)
        try c.encode(alarm.state.rawValue, forKey: .state)
        try c.encode(definition.message, forKey: .message)
        try c.encode(definition.limit, forKey: .limit)
        try c.encode(alarm.value, forKey: .value)
        try c.encode(alarm.activeSince, forKey: .activeSince)
        try c.encode(alarm.acknowledgedBy, forKey: .acknowledgedBy)
        try c.encode(alarm.shelvedUntil, forKey: .shelvedUntil)
        try c.encode(alarm.outOfService, forKey: .outOfService)
    }
}

/// A journal entry (`GET /api/v1/events`, `/alarms/journal`, the `journal` of a live alarm event). `detail` is
/// the typed detail: an alarm's `{"event", "from", "to", "priority", "value"}`, a scenario's fault, or null.
struct JournalShape: Encodable {
    let event: JournalEvent

    private enum Key: String, CodingKey { case id, time, kind, source, message, detail, user }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(event.id, forKey: .id)
        try c.encode(event.time, forKey: .time)
        try c.encode(event.kind.rawValue, forKey: .kind)
        try c.encode(event.source, forKey: .source)
        try c.encode(event.message, forKey: .message)
        switch event.detail {
        case .none: try c.encodeNil(forKey: .detail)
        case .alarm(let change): try c.encode(change, forKey: .detail)
        case .commFault(let fault): try c.encode(fault, forKey: .detail)
        case .text(let text): try c.encode(text, forKey: .detail)
        }
        try c.encode(event.user, forKey: .user)
    }
}
