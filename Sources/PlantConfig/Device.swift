/// A Modbus device (PLC, meter, analyser) and the tags read from it.
public struct Device: Sendable, Hashable {
    public var name: String
    public var description: String
    public var endpoint: Endpoint
    /// Modbus unit identifier (slave address): 1...247 on a serial line, 0...255 over TCP.
    public var unitID: Int
    public var timeouts: Timeouts
    /// Largest register read the device accepts, at most 125 (FC03/FC04 limit, docs/sources.md §5.2).
    public var maxRegistersPerRequest: Int
    /// Largest bit read the device accepts, at most 2000 (FC01/FC02 limit of the Modbus specification).
    public var maxBitsPerRequest: Int
    /// Unused registers the read planner may bridge between two tags to save a request.
    public var maxGap: Int
    /// Close the connection after each poll (for gateways that allow few connections).
    public var closeAfterPoll: Bool
    /// Times a request that broke the link (a timeout, a reset) is tried again, on a new connection, before the
    /// device counts as down: one lost answer must not mark a device down.
    public var retries: Int
    /// How long a device must stay down before its DEVICE_DOWN alarm is raised (the alarm's on-delay); `nil` for
    /// the default, two periods of its fastest scan group (``effectiveDownDelay``).
    public var downDelay: Duration?
    /// Accept answers whatever unit id they carry (key `any_unit`, default false): for a gateway that answers
    /// with its own id. Otherwise an answer from another unit id is a communication failure.
    public var anyUnit = false
    /// Scan groups, at least one; tags name theirs, default the first.
    public var scanGroups: [ScanGroup]
    public var tags: [Tag]
    /// Where the device is described.
    public var location: SourceLocation

    public init(
        name: String, description: String, endpoint: Endpoint, unitID: Int, timeouts: Timeouts = Timeouts(),
        maxRegistersPerRequest: Int = 125, maxBitsPerRequest: Int = 2000, maxGap: Int = 0,
        closeAfterPoll: Bool = false, retries: Int = 1, downDelay: Duration? = nil, scanGroups: [ScanGroup], tags: [Tag],
        location: SourceLocation
    ) {
        self.name = name
        self.description = description
        self.endpoint = endpoint
        self.unitID = unitID
        self.timeouts = timeouts
        self.maxRegistersPerRequest = maxRegistersPerRequest
        self.maxBitsPerRequest = maxBitsPerRequest
        self.maxGap = maxGap
        self.closeAfterPoll = closeAfterPoll
        self.retries = retries
        self.downDelay = downDelay
        self.scanGroups = scanGroups
        self.tags = tags
        self.location = location
    }

    /// The DEVICE_DOWN on-delay: ``downDelay``, or two periods of the fastest scan group (2 s by default).
    public var effectiveDownDelay: Duration {
        downDelay ?? (scanGroups.map(\.period).min() ?? .seconds(1)) * 2
    }

    /// The tags of one scan group.
    public func tags(inGroup group: String) -> [Tag] { tags.filter { $0.scanGroup == group } }
}

/// How to reach a device.
public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// Modbus TCP (default port 502, docs/sources.md §5.2).
    case tcp(host: String, port: Int)
    /// Modbus RTU on a serial line.
    case rtu(device: String, baud: Int, parity: Parity, dataBits: Int, stopBits: Int)

    public enum Parity: String, Sendable, Hashable, CaseIterable {
        case none, even, odd
    }

    public var description: String {
        switch self {
        case let .tcp(host, port): return "tcp://\(host):\(port)"
        case let .rtu(device, baud, parity, dataBits, stopBits):
            return "rtu:\(device)@\(baud) \(dataBits)\(parity.rawValue.prefix(1).uppercased())\(stopBits)"
        }
    }
}

/// Timeouts of one device connection.
public struct Timeouts: Sendable, Hashable {
    /// Time allowed for the first byte of an answer.
    public var response: Duration
    /// Time allowed between two bytes of an answer.
    public var byte: Duration
    /// Time allowed to open the connection.
    public var connect: Duration

    public init(
        response: Duration = .milliseconds(500), byte: Duration = .milliseconds(50),
        connect: Duration = .seconds(2)
    ) {
        self.response = response
        self.byte = byte
        self.connect = connect
    }
}

/// Tags polled together at one period.
public struct ScanGroup: Sendable, Hashable {
    public var name: String
    public var period: Duration

    public init(name: String, period: Duration) {
        self.name = name
        self.period = period
    }
}
