import Foundation

/// A journal entry: alarm transitions, device up/down, config loads, operator actions, scenario events.
///
/// Its kind is typed and its detail is a typed value; the database keeps both as text (the kind's name, the
/// detail as a JSON object), as it always did, so that older databases and spool files read unchanged.
public struct JournalEvent: Sendable, Hashable {
    public var time: Int64
    public var kind: Kind
    /// Where it comes from: a device, a tag, an alarm id, a user.
    public var source: String
    public var message: String
    public var detail: Detail
    /// Who did it, for operator actions.
    public var user: String?
    /// Row id once stored.
    public var id: Int64?

    public init(time: Int64, kind: Kind, source: String, message: String, detail: Detail = .none, user: String? = nil, id: Int64? = nil) {
        self.time = time
        self.kind = kind
        self.source = source
        self.message = message
        self.detail = detail
        self.user = user
        self.id = id
    }

    /// An event as a database row holds it: the kind's name and the detail's text.
    public init(time: Int64, kind: String, source: String, message: String, storedDetail: String, user: String? = nil, id: Int64? = nil) {
        let kind = Kind(rawValue: kind)
        self.init(time: time, kind: kind, source: source, message: message,
                  detail: Detail(stored: storedDetail, kind: kind, message: message), user: user, id: id)
    }

    /// What a journal entry is about.
    public enum Kind: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        case alarm, device, config, `operator`, scenario, system
        /// A kind this version does not know (written by another program): kept as it was.
        case other(String)

        public init(rawValue: String) {
            switch rawValue {
            case "alarm": self = .alarm
            case "device": self = .device
            case "config": self = .config
            case "operator": self = .operator
            case "scenario": self = .scenario
            case "system": self = .system
            default: self = .other(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .alarm: "alarm"
            case .device: "device"
            case .config: "config"
            case .operator: "operator"
            case .scenario: "scenario"
            case .system: "system"
            case .other(let name): name
            }
        }

        public var description: String { rawValue }
    }

    /// What happened to an alarm (ISA-18.2's transitions).
    public enum AlarmEvent: String, Sendable, Hashable, Codable, CaseIterable {
        case raised, cleared, acknowledged, shelved, unshelved, removedFromService, returnedToService
    }

    /// The detail of an alarm transition.
    public struct AlarmChange: Sendable, Hashable, Codable {
        /// Nil only in rows written before the event was stored in the detail and whose message does not name it.
        public var event: AlarmEvent?
        /// The alarm states before and after (`normal`, `unacknowledgedActive`, …).
        public var from: String
        public var to: String
        public var priority: Int
        /// The value that caused it, if any.
        public var value: Double?

        public init(event: AlarmEvent, from: String, to: String, priority: Int, value: Double?) {
            self.event = event
            self.from = from
            self.to = to
            self.priority = priority
            self.value = value
        }
    }

    /// A communication fault a scenario injects (the simulator records it; replay reproduces it).
    public struct CommFault: Sendable, Hashable, Codable {
        public enum Fault: String, Sendable, Hashable, Codable {
            case noResponse = "no_response", lateResponse = "late_response", exception
            case dropConnections = "drop_connections", restart
        }

        public var fault: Fault
        public var devices: [String]
        /// Seconds, for a late response.
        public var delay: Double?
        /// The register table, first and last address and the exception code, for an exception.
        public var table: String?
        public var from: Int?
        public var to: Int?
        public var code: UInt8?

        public init(fault: Fault, devices: [String], delay: Double? = nil, table: String? = nil, from: Int? = nil, to: Int? = nil,
                    code: UInt8? = nil) {
            self.fault = fault
            self.devices = devices
            self.delay = delay
            self.table = table
            self.from = from
            self.to = to
            self.code = code
        }
    }
}
