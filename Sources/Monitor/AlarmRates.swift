public import Historian

/// The alarm-rate rules of ANSI/ISA-18.2-2016 (§16.5, Table 5) and EEMUA 191 (docs/sources.md), in one place for
/// the live engine's health (``AlarmEngine/Health``, over the last 24 h) and the report of a replay (``AlarmRates``,
/// over the run).
public enum AlarmRateRules {
    /// The window alarm rates are counted in: 10 minutes.
    public static let window: Int64 = 600_000
    /// A window with more than this many raises is in flood.
    public static let floodAbove = 10
    /// An alarm chatters when it is raised this many times…
    public static let chatterRaises = 3
    /// …within this span (1 minute).
    public static let chatterSpan: Int64 = 60_000
    /// An alarm active for longer than this stands; the engine's health looks back as far.
    public static let day: Int64 = 86_400_000

    public static func isFlood(_ raises: Int) -> Bool { raises > floodAbove }

    /// Whether raise times (oldest first) hold ``chatterRaises`` within ``chatterSpan``.
    public static func chatters(_ times: [Int64]) -> Bool {
        let k = chatterRaises - 1
        return times.indices.contains { $0 + k < times.count && times[$0 + k] - times[$0] <= chatterSpan }
    }

    /// Whether a journal event of kind `alarm` is a raise (its other transitions: cleared, acknowledged, shelved…),
    /// from its typed detail.
    public static func isRaise(_ event: JournalEvent) -> Bool { event.detail.alarm?.event == .raised }
}

/// Alarm-rate figures over a run by ``AlarmRateRules``: raised alarms per fixed 10-minute window from the run's
/// start, the average per 10 minutes and per day, the peak, flood windows, chattering alarms and the share of the
/// 10 most frequent alarms.
public struct AlarmRates: Sendable {
    public var raised = 0
    public var windows: [(start: Int64, count: Int)] = []
    public var perTenMinutes = 0.0
    public var perDay = 0.0
    public var peak = 0
    public var floods = 0
    public var chattering: [String] = []
    public var counts: [(id: String, count: Int)] = []
    public var topTenShare = 0.0

    /// The figures of the alarm events (journal kind "alarm") of a run from `start` to `end` (ms).
    public init(events: [JournalEvent], start: Int64, end: Int64) {
        let raises = events.filter(AlarmRateRules.isRaise)
        raised = raises.count
        let window = AlarmRateRules.window
        let n = max(1, Int((end - start) / window) + 1)
        var buckets = [Int](repeating: 0, count: n)
        for event in raises { buckets[min(n - 1, max(0, Int((event.time - start) / window)))] += 1 }
        windows = buckets.enumerated().map { (start + Int64($0.offset) * window, $0.element) }
        let spanMinutes = max(Double(end - start) / 60_000, 1)
        perTenMinutes = Double(raised) / spanMinutes * 10
        perDay = Double(raised) / spanMinutes * 1440
        peak = buckets.max() ?? 0
        floods = buckets.filter(AlarmRateRules.isFlood).count
        let byID = Dictionary(grouping: raises, by: \.source)
        counts = byID.map { ($0.key, $0.value.count) }.sorted { ($0.count, $1.id) > ($1.count, $0.id) }
        chattering = byID.filter { AlarmRateRules.chatters($0.value.map(\.time).sorted()) }.keys.sorted()
        topTenShare = raised > 0 ? Double(counts.prefix(10).map(\.count).reduce(0, +)) / Double(raised) : 0
    }
}
