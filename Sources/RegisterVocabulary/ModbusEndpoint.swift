/// Where a Modbus device is reached.
public enum ModbusEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Modbus TCP; the standard port is 502 (docs/sources.md §5.2).
    case tcp(host: String, port: Int)
    /// Modbus RTU on a serial line.
    case rtu(RTUSettings)

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        case .rtu(let s): "rtu://\(s.device)?baud=\(s.baud)&parity=\(s.parity.rawValue)&data=\(s.dataBits)&stop=\(s.stopBits)"
        }
    }
}

/// Serial line settings of a Modbus RTU device.
public struct RTUSettings: Sendable, Hashable {
    public enum Parity: String, Sendable, Hashable, CaseIterable, Codable {
        case none = "N", even = "E", odd = "O"
    }

    public var device: String
    public var baud: Int
    public var parity: Parity
    public var dataBits: Int
    public var stopBits: Int
    /// Put the port in RS-485 mode where the driver supports it (a pty or plain RS-232 port does not).
    public var rs485: Bool

    public init(device: String, baud: Int = 19200, parity: Parity = .even, dataBits: Int = 8, stopBits: Int = 1, rs485: Bool = false) {
        self.device = device
        self.baud = baud
        self.parity = parity
        self.dataBits = dataBits
        self.stopBits = stopBits
        self.rs485 = rs485
    }
}

/// The time limits of a connection. libmodbus blocks in `select()` up to these, so every call is bounded.
public struct ModbusTimeouts: Sendable, Hashable {
    /// Limit for establishing a TCP connection.
    public var connect: Duration
    /// Limit for the first byte of a response.
    public var response: Duration
    /// Limit between two bytes of one response.
    public var byte: Duration

    public init(connect: Duration = .seconds(1), response: Duration = .milliseconds(500), byte: Duration = .milliseconds(100)) {
        self.connect = connect
        self.response = response
        self.byte = byte
    }
}
