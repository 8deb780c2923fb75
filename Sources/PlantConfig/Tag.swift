public import ProcessModel
public import RegisterVocabulary

/// One value read from a device: where it lives, how to decode it and what it means.
///
/// `engineering value = raw × scale + offset`, in ``unit``, computed exactly to the register's decimal resolution
/// (``scaling``).
public struct Tag: Sendable, Hashable {
    /// Unique plant-wide, e.g. `PW1.FT101`.
    public var name: String
    public var description: String
    public var table: RegisterTable
    /// Zero-based register or bit address, 0...65535.
    public var address: Int
    public var dataType: RegisterDataType
    public var wordOrder: WordOrder
    /// Registers of a string tag; ignored for other types.
    public var length: Int
    public var scale: Double { didSet { scaling = RegisterScaling(scale: scale, offset: offset) } }
    public var offset: Double { didSet { scaling = RegisterScaling(scale: scale, offset: offset) } }
    /// ``scale`` and ``offset`` prepared for exact decimal arithmetic, kept in step with them.
    public private(set) var scaling: RegisterScaling
    public var unit: EngineeringUnit
    /// Valid range in ``unit``; values outside are bad (out of range).
    public var range: ClosedRange<Double>?
    /// A raw value the device sends to mean "sensor fault".
    public var sentinel: Double?
    public var alarms: AlarmLimits?
    /// The process signal this tag measures (see ``SignalCatalogue``).
    public var signal: String?
    public var scanGroup: String
    /// Change (in ``unit``) below which a new value is not stored.
    public var deadband: Double?
    public var writable: Bool
    /// Where the tag is described.
    public var location: SourceLocation

    public init(
        name: String, description: String = "", table: RegisterTable, address: Int, dataType: RegisterDataType,
        wordOrder: WordOrder = .abcd, length: Int = 0, scale: Double = 1, offset: Double = 0,
        unit: EngineeringUnit, range: ClosedRange<Double>? = nil, sentinel: Double? = nil,
        alarms: AlarmLimits? = nil, signal: String? = nil, scanGroup: String, deadband: Double? = nil,
        writable: Bool = false, location: SourceLocation
    ) {
        self.name = name
        self.description = description
        self.table = table
        self.address = address
        self.dataType = dataType
        self.wordOrder = wordOrder
        self.length = length
        self.scale = scale
        self.offset = offset
        self.scaling = RegisterScaling(scale: scale, offset: offset)
        self.unit = unit
        self.range = range
        self.sentinel = sentinel
        self.alarms = alarms
        self.signal = signal
        self.scanGroup = scanGroup
        self.deadband = deadband
        self.writable = writable
        self.location = location
    }

    /// Registers (or bits, in a bit table) the tag occupies: bool 1, 16-bit 1, 32-bit 2, 64-bit 4,
    /// string ``length``.
    public var registerCount: Int { Self.registerCount(of: dataType, length: length) }

    static func registerCount(of type: RegisterDataType, length: Int) -> Int {
        switch type {
        case .bool, .int16, .uint16: return 1
        case .int32, .uint32, .float32: return 2
        case .int64, .uint64, .float64: return 4
        case .string: return length
        }
    }

    /// The last address the tag occupies.
    public var lastAddress: Int { address + max(registerCount, 1) - 1 }
}

/// Alarm limits of a tag, in the tag's unit. Present limits are ordered lowLow < low < high < highHigh.
public struct AlarmLimits: Sendable, Hashable {
    public var lowLow: Double?
    public var low: Double?
    public var high: Double?
    public var highHigh: Double?
    /// Largest allowed change per minute, in unit/min.
    public var rateOfChange: Double?
    /// Hysteresis before an alarm clears.
    public var deadband: Double
    /// Time a limit must be exceeded before the alarm is raised.
    public var onDelay: Duration
    /// Time a value must be back inside before the alarm clears.
    public var offDelay: Duration
    /// 1 (highest) ... 1000.
    public var priority: Int

    public init(
        lowLow: Double? = nil, low: Double? = nil, high: Double? = nil, highHigh: Double? = nil,
        rateOfChange: Double? = nil, deadband: Double = 0, onDelay: Duration = .zero, offDelay: Duration = .zero,
        priority: Int = 500
    ) {
        self.lowLow = lowLow
        self.low = low
        self.high = high
        self.highHigh = highHigh
        self.rateOfChange = rateOfChange
        self.deadband = deadband
        self.onDelay = onDelay
        self.offDelay = offDelay
        self.priority = priority
    }
}
