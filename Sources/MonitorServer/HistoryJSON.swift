import Historian
import Hummingbird
import PlantConfig
import RegisterVocabulary

/// The JSON the monitor's API and the fleet's share: a downsampled history, a journal event, the historian's status.

/// `{"series", "from", "to", "behind", "points": [{"t", "min", "max", "mean", "count", "quality"}]}`; `behind` is
/// true while samples of the range may still be waiting in the historian's spool; a point's quality is the worst
/// of its samples' (``QualityShape``).
struct HistoryShape: Encodable, JSONWritable {
    let series: String
    let from: Int64
    let to: Int64
    let points: [HistoryPoint]
    let behind: Bool

    private enum Key: String, CodingKey { case series, from, to, behind, points }

    private struct Point: Encodable {
        let point: HistoryPoint
        private enum Key: String, CodingKey { case t, min, max, mean, count, quality }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(point.time, forKey: .t)
            try c.encode(point.min, forKey: .min)
            try c.encode(point.max, forKey: .max)
            try c.encode(point.mean, forKey: .mean)
            try c.encode(point.count, forKey: .count)
            try c.encode(QualityShape(quality: point.quality), forKey: .quality)
        }
    }

    /// The same bytes as the `Encodable` path, written directly (a day's history is thousands of points).
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("series")
        w.string(series)
        w.key("from")
        w.int(from)
        w.key("to")
        w.int(to)
        w.key("behind")
        w.bool(behind)
        w.key("points")
        w.beginArray()
        for point in points {
            w.beginObject()
            w.key("t")
            w.int(point.time)
            w.key("min")
            w.number(point.min)
            w.key("max")
            w.number(point.max)
            w.key("mean")
            w.number(point.mean)
            w.key("count")
            w.int(Int64(point.count))
            w.key("quality")
            QualityShape(quality: point.quality).write(to: &w)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(series, forKey: .series)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(behind, forKey: .behind)
        try c.encode(points.map(Point.init), forKey: .points)
    }
}

func historyJSON(series: String, from: Int64, to: Int64, points: [HistoryPoint], behind: Bool) -> JSONWriter {
    JSONBodyEncoder.encode(HistoryShape(series: series, from: from, to: to, points: points, behind: behind), capacity: 80 + points.count * 130)
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
