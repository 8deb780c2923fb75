import Historian
import Hummingbird
import PlantConfig
import RegisterVocabulary

/// The JSON the monitor's API and the fleet's share: a downsampled history, a journal event, the historian's status.

/// `{"series", "from", "to", "behind", "points": [{"t", "min", "max", "mean", "count", "quality"}]}`; `behind` is
/// true while samples of the range may still be waiting in the historian's spool.
func historyJSON(series: String, from: Int64, to: Int64, points: [HistoryPoint], behind: Bool) -> JSONWriter {
    var w = JSONWriter(capacity: 80 + points.count * 110)
    w.beginObject()
    w.key("series"); w.string(series)
    w.key("from"); w.int(from)
    w.key("to"); w.int(to)
    w.key("behind"); w.bool(behind)
    w.key("points"); w.beginArray()
    for p in points {
        w.beginObject()
        w.key("t"); w.int(p.time)
        w.key("min"); w.number(p.min)
        w.key("max"); w.number(p.max)
        w.key("mean"); w.number(p.mean)
        w.key("count"); w.int(Int64(p.count))
        w.key("quality"); w.string(p.quality.isGood ? "good" : p.quality.description)
        w.endObject()
    }
    w.endArray()
    w.endObject()
    return w
}

func eventJSON(_ e: JournalEvent) -> JSON {
    .pairs([("id", e.id.map(JSON.int) ?? .null), ("time", .int(e.time)), ("kind", .string(e.kind)), ("source", .string(e.source)),
            ("message", .string(e.message)), ("user", e.user.map(JSON.string) ?? .null)])
}

func statusJSON(_ s: HistorianStatus) -> JSON {
    .pairs([("backend", .string(s.backend)), ("location", .string(s.location)), ("behind", .bool(s.behind)),
            ("spooledBatches", .number(Double(s.spooledBatches))), ("spooledSamples", .number(Double(s.spooledSamples))),
            ("spoolBytes", .int(s.spoolBytes)), ("spoolLimitBytes", .int(s.spoolLimitBytes)), ("spoolFull", .bool(s.spoolFull)),
            ("droppedSamples", .number(Double(s.droppedSamples))), ("acknowledgedSamples", .number(Double(s.acknowledgedSamples))),
            ("committedSamples", .number(Double(s.committedSamples))), ("lastCommittedTime", s.lastCommittedTime.map(JSON.int) ?? .null),
            ("lastError", s.lastError.map(JSON.string) ?? .null)])
}

/// An integer query parameter, or nil when absent; 400 when it is not an integer.
func queryInteger(_ query: Parameters, _ key: String) throws -> Int64? {
    guard let text = query[Substring(key)].map(String.init) else { return nil }
    guard let value = Int64(text) else { throw APIError(status: .badRequest, message: "\(key) must be an integer, got '\(text.prefix(40))'") }
    return value
}

/// A time parameter in ms since 1970 UTC, checked against ``HistoryBounds/time`` before any arithmetic (so a
/// default such as `to - 3,600,000` cannot overflow).
func queryTime(_ query: Parameters, _ key: String) throws -> Int64? {
    guard let value = try queryInteger(query, key) else { return nil }
    let range = HistoryBounds.time
    guard range.contains(value) else {
        throw APIError(
            status: .badRequest,
            message: "\(key) must be a time in ms since 1970 UTC from \(range.lowerBound) to \(range.upperBound) (years 1 to 9999)")
    }
    return value
}
