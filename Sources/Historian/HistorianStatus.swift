/// Where a historian's acknowledged data is: in the database, or waiting in a local spool for the server.
///
/// SQLite commits every flush to its file, so it is never behind. A server's backend is behind while batches
/// wait in its spool (the server down or slower than the batch interval); a full spool refuses new batches,
/// which are then lost and counted (``droppedSamples``), and the monitor raises an alarm.
public struct HistorianStatus: Sendable, Hashable, Codable {
    /// `sqlite` or `postgresql`.
    public var backend: String
    /// The file, or the server's URL (never with a password).
    public var location: String
    /// Batches wait in the spool: the database does not hold everything acknowledged yet.
    public var behind: Bool
    public var spooledBatches: Int
    public var spooledSamples: Int
    public var spoolBytes: Int64
    /// The spool's bound (0: no spool).
    public var spoolLimitBytes: Int64
    /// The spool is at its bound: new batches are refused until it drains.
    public var spoolFull: Bool
    /// Samples refused since the start because the spool was full.
    public var droppedSamples: Int
    /// Samples acknowledged since the start: committed to the database or to the spool.
    public var acknowledgedSamples: Int
    /// Samples committed to the database since the start.
    public var committedSamples: Int
    /// The newest sample time committed to the database, ms UTC.
    public var lastCommittedTime: Int64?
    /// The last error talking to the database, if the last attempt failed.
    public var lastError: String?

    public init(backend: String, location: String, behind: Bool = false, spooledBatches: Int = 0, spooledSamples: Int = 0,
                spoolBytes: Int64 = 0, spoolLimitBytes: Int64 = 0, spoolFull: Bool = false, droppedSamples: Int = 0,
                acknowledgedSamples: Int = 0, committedSamples: Int = 0, lastCommittedTime: Int64? = nil,
                lastError: String? = nil) {
        self.backend = backend
        self.location = location
        self.behind = behind
        self.spooledBatches = spooledBatches
        self.spooledSamples = spooledSamples
        self.spoolBytes = spoolBytes
        self.spoolLimitBytes = spoolLimitBytes
        self.spoolFull = spoolFull
        self.droppedSamples = droppedSamples
        self.acknowledgedSamples = acknowledgedSamples
        self.committedSamples = committedSamples
        self.lastCommittedTime = lastCommittedTime
        self.lastError = lastError
    }
}

/// A plant's live state as its monitor last published it (``HistoryStore/publish(_:)``): what a fleet overview
/// shows of each plant.
public struct PlantSnapshot: Sendable, Hashable, Codable {
    public struct Device: Sendable, Hashable, Codable {
        public var name: String
        public var up: Bool
        public var lastError: String?
        public init(name: String, up: Bool, lastError: String? = nil) {
            self.name = name
            self.up = up
            self.lastError = lastError
        }
    }

    public struct Alarm: Sendable, Hashable, Codable {
        public var id: String
        public var priority: Int
        public var state: String
        public var message: String
        public var activeSince: Int64?
        public init(id: String, priority: Int, state: String, message: String, activeSince: Int64?) {
            self.id = id
            self.priority = priority
            self.state = state
            self.message = message
            self.activeSince = activeSince
        }
    }

    public struct KPI: Sendable, Hashable, Codable {
        public var name: String
        public var label: String
        /// Nil when not finite (JSON has no NaN).
        public var value: Double?
        public var unit: String
        public var quality: String
        public init(name: String, label: String, value: Double?, unit: String, quality: String) {
            self.name = name
            self.label = label
            self.value = value
            self.unit = unit
            self.quality = quality
        }
    }

    /// When it was taken, ms UTC.
    public var time: Int64
    public var name: String
    public var site: String
    public var devices: [Device]
    /// Active or unacknowledged alarms, highest priority first (at most ``alarmListLimit``).
    public var alarms: [Alarm]
    /// Alarms active, and alarms not acknowledged (active or returned), all of them.
    public var activeAlarms: Int
    public var unacknowledgedAlarms: Int
    public var kpis: [KPI]
    public var historian: HistorianStatus

    /// Alarms listed in a snapshot: a flood is counted, not copied.
    public static let alarmListLimit = 50

    public init(time: Int64, name: String, site: String, devices: [Device], alarms: [Alarm], activeAlarms: Int,
                unacknowledgedAlarms: Int, kpis: [KPI], historian: HistorianStatus) {
        self.time = time
        self.name = name
        self.site = site
        self.devices = devices
        self.alarms = Array(alarms.prefix(Self.alarmListLimit))
        self.activeAlarms = activeAlarms
        self.unacknowledgedAlarms = unacknowledgedAlarms
        self.kpis = kpis
        self.historian = historian
    }
}
