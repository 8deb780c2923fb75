/// What the EEMUA 191 figures need to know about alarms raised in the last 24 h, kept in bounded space.
///
/// Keeping every raise for 24 h, as the engine first did, grows with the raise rate: a chattering alarm
/// raised every 2 s leaves 43,200 entries a day, and the list was pruned only when someone asked for the
/// figures (the HTTP API), so a daemon without HTTP clients grew without end. This log keeps instead
///
/// - the raise times of the last 10 minutes (for the sliding count; bounded by what 10 minutes can raise),
/// - one counter per clock-aligned 10-minute window, at most 145 of them (24 h, for floods),
/// - per alarm raised in the last 24 h, its last two raise times and when it last chattered.
///
/// Steady state: at most 145 window counters, one record per alarm that raised in the last 24 h (at most the
/// number of alarms the plant defines, plus its system alarms), and the raises of the last 10 minutes.
struct AlarmRaiseLog: Sendable {
    static let tenMinutes = AlarmRateRules.window
    static let day = AlarmRateRules.day
    static let windowsPerDay = Int(day / tenMinutes)

    /// Raise times of the last 10 minutes, in arrival order.
    private var recent: [Int64] = []
    /// Raises per 10-minute window (`time / 600,000`).
    private var windows: [Int64: Int] = [:]
    private var perAlarm: [String: AlarmRecord] = [:]

    private struct AlarmRecord: Sendable {
        var previous: Int64?
        var last: Int64
        /// The time of the last raise that was the third within a minute.
        var chattered: Int64?
    }

    /// Entries held: a measure of the log's size for tests and the soak benchmark.
    var retained: Int { recent.count + windows.count + perAlarm.count }

    mutating func record(_ id: String, at time: Int64) {
        let window = time / Self.tenMinutes
        if windows[window] == nil { forgetOld(at: time) }
        recent.append(time)
        windows[window, default: 0] += 1
        if var record = perAlarm[id] {
            // The third raise within a minute (``AlarmRateRules/chatterRaises``: the two before this one are kept).
            if let previous = record.previous, AlarmRateRules.chatters([previous, record.last, time]) { record.chattered = time }
            record.previous = record.last
            record.last = time
            perAlarm[id] = record
        } else {
            perAlarm[id] = AlarmRecord(previous: nil, last: time)
        }
        prune(at: time)
    }

    /// Forgets raise times older than 10 minutes (amortised O(1) per raise).
    mutating func prune(at time: Int64) {
        var drop = 0
        while drop < recent.count && time - recent[drop] > Self.tenMinutes { drop += 1 }
        recent.removeFirst(drop)
    }

    /// Forgets windows and alarm records older than a day; done when a new window opens, so at most once
    /// per 10 minutes.
    private mutating func forgetOld(at time: Int64) {
        let oldestWindow = time / Self.tenMinutes - Int64(Self.windowsPerDay)
        windows = windows.filter { $0.key >= oldestWindow }
        perAlarm = perAlarm.filter { time - $0.value.last <= Self.day }
    }

    /// Raises in the last 10 minutes.
    func raisedLast10Minutes(at time: Int64) -> Int {
        recent.filter { time - $0 <= Self.tenMinutes && $0 <= time }.count
    }

    /// 10-minute windows of the last 24 h with more than 10 raises.
    func floodWindows(at time: Int64) -> Int {
        let oldest = time / Self.tenMinutes - Int64(Self.windowsPerDay)
        return windows.filter { $0.key >= oldest && AlarmRateRules.isFlood($0.value) }.count
    }

    /// Alarms raised 3 or more times within a minute in the last 24 h.
    func chattering(at time: Int64) -> [String] {
        perAlarm.compactMap { id, record in
            (record.chattered.map { time - $0 <= Self.day } ?? false) ? id : nil
        }.sorted()
    }
}

extension AlarmEngine {
    /// Alarm-system health over the last 24 h (EEMUA 191): alarms raised in the last 10 minutes, 10-minute
    /// windows in flood (more than 10 alarms), chattering alarms (raised 3 or more times within a minute),
    /// standing alarms (active for more than 24 h).
    public struct Health: Sendable, Hashable, Codable {
        public var alarmsLast10Minutes: Int
        /// Clock-aligned 10-minute windows of the last 24 h with more than 10 alarms raised.
        public var floodWindows: Int
        public var chattering: [String]
        public var standing: [String]
        public var active: Int
        public var unacknowledged: Int
        public var shelved: Int
        public var outOfService: Int
    }

    public mutating func health(at time: Int64) -> Health {
        raiseLog.prune(at: time)
        let standing = alarms.values.filter { ($0.activeSince.map { time - $0 > AlarmRaiseLog.day }) ?? false }
        let unacknowledged = alarms.values.filter {
            $0.state == .unacknowledgedActive || $0.state == .returnedUnacknowledged
        }
        return Health(alarmsLast10Minutes: raiseLog.raisedLast10Minutes(at: time),
                      floodWindows: raiseLog.floodWindows(at: time),
                      chattering: raiseLog.chattering(at: time), standing: standing.map(\.definition.id).sorted(),
                      active: alarms.values.filter(\.isActive).count,
                      unacknowledged: unacknowledged.count,
                      shelved: alarms.values.filter { $0.shelvedUntil != nil }.count,
                      outOfService: alarms.values.filter(\.outOfService).count)
    }

    /// Entries the engine keeps besides its alarms: the raise log and the rate-of-change samples. Bounded
    /// (see ``AlarmRaiseLog``); reported by the soak benchmark and checked by tests.
    public var retainedHistory: Int { raiseLog.retained + recent.values.reduce(0) { $0 + $1.count } }
}
