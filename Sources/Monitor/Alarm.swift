public import PlantConfig
import ProcessModel

/// The kind of an alarm: a limit of a tag, its rate of change, or a system alarm.
public enum AlarmKind: String, Sendable, Hashable, Codable, CaseIterable {
    case highHigh = "HH", high = "H", low = "L", lowLow = "LL", rateOfChange = "ROC"
    case deviceDown = "DEVICE_DOWN", stale = "STALE"
    /// A read request of a device that keeps failing with a Modbus exception while the device answers.
    case readFailing = "READ_FAILING"
    /// The historian's spool is full: samples are being lost until the database takes them.
    case historianSpoolFull = "HISTORIAN_SPOOL_FULL"
}

/// ISA-18.2 / IEC 62682 alarm states.
public enum AlarmState: String, Sendable, Hashable, Codable {
    /// Inactive and acknowledged.
    case normal
    /// Active, not acknowledged.
    case unacknowledgedActive
    /// Active, acknowledged.
    case acknowledgedActive
    /// Back to normal, not acknowledged.
    case returnedUnacknowledged
}

/// What an alarm watches and how.
public struct AlarmDefinition: Sendable, Hashable {
    /// Stable id, e.g. `PW1.TT101:HH` or `demo-wellhead:DEVICE_DOWN`.
    public var id: String
    public var source: String
    public var kind: AlarmKind
    /// The limit (unit of the tag; unit per minute for rate of change); unused by system alarms.
    public var limit: Double
    /// Hysteresis: a high alarm clears below `limit − deadband`, a low one above `limit + deadband`.
    public var deadband: Double
    public var onDelay: Duration
    public var offDelay: Duration
    /// 1 highest … 1000 lowest.
    public var priority: Int
    public var message: String

    public init(id: String, source: String, kind: AlarmKind, limit: Double = 0, deadband: Double = 0, onDelay: Duration = .zero,
                offDelay: Duration = .zero, priority: Int = 500, message: String) {
        self.id = id
        self.source = source
        self.kind = kind
        self.limit = limit
        self.deadband = deadband
        self.onDelay = onDelay
        self.offDelay = offDelay
        self.priority = priority
        self.message = message
    }

    /// The alarms of a tag's limits.
    public static func definitions(for tag: Tag) -> [AlarmDefinition] {
        guard let limits = tag.alarms else { return [] }
        let unit = tag.unit.symbol
        func make(_ kind: AlarmKind, _ limit: Double?, _ words: String) -> AlarmDefinition? {
            limit.map {
                AlarmDefinition(id: "\(tag.name):\(kind.rawValue)", source: tag.name, kind: kind, limit: $0, deadband: limits.deadband,
                                onDelay: limits.onDelay, offDelay: limits.offDelay,
                                priority: kind == .highHigh || kind == .lowLow ? max(1, limits.priority / 2) : limits.priority,
                                message: "\(tag.description.isEmpty ? tag.name : tag.description) \(words) \($0) \(unit)")
            }
        }
        return [make(.highHigh, limits.highHigh, "above"), make(.high, limits.high, "above"), make(.low, limits.low, "below"),
                make(.lowLow, limits.lowLow, "below"), make(.rateOfChange, limits.rateOfChange, "changing faster than")]
            .compactMap { $0 }
            .map { definition in
                var d = definition
                if d.kind == .rateOfChange { d.message += "/min" }
                return d
            }
    }
}

/// An alarm's state as operators see it.
public struct AlarmStatus: Sendable, Hashable {
    public var definition: AlarmDefinition
    public var state: AlarmState = .normal
    /// When it last became active, ms UTC.
    public var activeSince: Int64?
    public var acknowledgedBy: String?
    /// Shelved until this time (ms UTC), if shelved.
    public var shelvedUntil: Int64?
    public var shelvedBy: String?
    public var outOfService = false
    /// The last value evaluated.
    public var value: Double?

    public var isActive: Bool { state == .unacknowledgedActive || state == .acknowledgedActive }
    /// Annunciated to operators: not shelved, not out of service, and not normal.
    public var isAnnunciated: Bool { shelvedUntil == nil && !outOfService && state != .normal }
}

/// A change of an alarm, for the journal and the live stream.
public struct AlarmTransition: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable, Codable {
        case raised, cleared, acknowledged, shelved, unshelved, removedFromService, returnedToService
    }

    public var alarmID: String
    public var event: Event
    public var from: AlarmState
    public var to: AlarmState
    public var time: Int64
    public var value: Double?
    public var user: String?
    public var priority: Int
    public var message: String
}
