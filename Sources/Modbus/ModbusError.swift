internal import CModbus
import Foundation

/// A Modbus operation that failed, with what failed, where and the errno it failed with.
///
/// Tell the kinds apart with pattern matching:
/// ```swift
/// do { … } catch ModbusError.timeout { … } catch ModbusError.illegalDataAddress { … }
/// ```
public struct ModbusError: Error, Sendable, CustomStringConvertible {
    public var code: Code
    /// The errno the failing call left (libmodbus's own codes included: MODBUS_ENOBASE + n, which are not system
    /// errors and are described as libmodbus's); 0 when not from C.
    public var errno: Int32
    /// The operation, e.g. "read holding registers".
    public var operation: String
    /// The first address of the request, when there was one.
    public var address: Int?
    /// Detail for errors raised by Geolith itself (argument checks, decoding).
    public var detail: String?

    public init(_ code: Code, errno: Int32 = 0, operation: String, address: Int? = nil, detail: String? = nil) {
        self.code = code
        self.errno = errno
        self.operation = operation
        self.address = address
        self.detail = detail
    }

    /// The kind of failure. A struct over a private enum, so kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Kind: Hashable, Sendable {
            case connectFailed, timeout, connectionReset, notConnected
            case exception(UInt8)
            case badCRC, badResponse, decodeError, invalidArgument, other
        }

        fileprivate let kind: Kind

        public static let connectFailed = Code(kind: .connectFailed)
        public static let timeout = Code(kind: .timeout)
        public static let connectionReset = Code(kind: .connectionReset)
        public static let notConnected = Code(kind: .notConnected)
        public static let badCRC = Code(kind: .badCRC)
        /// A response that does not fit the request (wrong length, unit id, transaction or data).
        public static let badResponse = Code(kind: .badResponse)
        public static let decodeError = Code(kind: .decodeError)
        public static let invalidArgument = Code(kind: .invalidArgument)
        public static let other = Code(kind: .other)
        /// A Modbus exception response with the given exception code (1–11, Modbus spec §7).
        public static func exception(_ code: UInt8) -> Code { Code(kind: .exception(code)) }
        public static let illegalFunction = exception(1)
        public static let illegalDataAddress = exception(2)
        public static let illegalDataValue = exception(3)
        public static let serverDeviceFailure = exception(4)
        public static let acknowledge = exception(5)
        public static let serverDeviceBusy = exception(6)
        public static let negativeAcknowledge = exception(7)
        public static let memoryParityError = exception(8)
        public static let gatewayPathUnavailable = exception(10)
        public static let gatewayTargetFailedToRespond = exception(11)

        /// The exception code of an exception response.
        public var exceptionCode: UInt8? {
            if case .exception(let code) = kind { return code }
            return nil
        }

        /// Whether the connection must be closed and reopened after this error: the link is broken or the
        /// byte stream may hold a late answer that would be taken for the next one.
        public var breaksConnection: Bool {
            switch kind {
            case .connectFailed, .timeout, .connectionReset, .notConnected, .badCRC, .badResponse, .other: true
            case .exception, .decodeError, .invalidArgument: false
            }
        }

        public var description: String {
            switch kind {
            case .connectFailed: "connect failed"
            case .timeout: "timeout"
            case .connectionReset: "connection reset"
            case .notConnected: "not connected"
            case .badCRC: "bad CRC"
            case .badResponse: "bad response"
            case .decodeError: "decode error"
            case .invalidArgument: "invalid argument"
            case .other: "I/O error"
            case .exception(let code): "exception \(code) (\(Self.exceptionName(code)))"
            }
        }

        static func exceptionName(_ code: UInt8) -> String {
            switch code {
            case 1: "illegal function"
            case 2: "illegal data address"
            case 3: "illegal data value"
            case 4: "server device failure"
            case 5: "acknowledge"
            case 6: "server device busy"
            case 7: "negative acknowledge"
            case 8: "memory parity error"
            case 10: "gateway path unavailable"
            case 11: "gateway target failed to respond"
            default: "unknown"
            }
        }
    }

    public static let connectFailed = Code.connectFailed
    public static let timeout = Code.timeout
    public static let connectionReset = Code.connectionReset
    public static let notConnected = Code.notConnected
    public static let badCRC = Code.badCRC
    public static let badResponse = Code.badResponse
    public static let decodeError = Code.decodeError
    public static let invalidArgument = Code.invalidArgument
    public static let illegalFunction = Code.illegalFunction
    public static let illegalDataAddress = Code.illegalDataAddress
    public static let illegalDataValue = Code.illegalDataValue
    public static let serverDeviceFailure = Code.serverDeviceFailure
    public static let serverDeviceBusy = Code.serverDeviceBusy
    public static let gatewayPathUnavailable = Code.gatewayPathUnavailable
    public static let gatewayTargetFailedToRespond = Code.gatewayTargetFailedToRespond


    public var exceptionCode: UInt8? { code.exceptionCode }

    public var description: String {
        var text = "\(operation)"
        if let address { text += " at \(address)" }
        text += ": \(code)"
        if let detail { text += ": \(detail)" }
        if errno != 0 {
            // libmodbus numbers its own errors from MODBUS_ENOBASE (112345678): they are not errno values, and the
            // base itself (an exception answer with code 0) has no text at all.
            let base = cmodbus_enobase()
            if errno == base {
                text += " (libmodbus: an exception answer with code 0, which Modbus does not define)"
            } else if errno > base {
                text += " (libmodbus: \(String(cString: modbus_strerror(errno))))"
            } else {
                text += " (\(String(cString: modbus_strerror(errno))), errno \(errno))"
            }
        }
        return text
    }

    /// Classifies the errno a failed libmodbus call left.
    static func fromErrno(_ errno: Int32, operation: String, address: Int? = nil, connecting: Bool = false) -> ModbusError {
        let base = cmodbus_enobase()
        let code: Code
        switch errno {
        case _ where errno > base && errno <= base + 11: code = .exception(UInt8(errno - base))
        case base: code = .badResponse   // an exception answer with code 0: not a Modbus exception
        case cmodbus_embbadcrc(): code = .badCRC
        case cmodbus_embbaddata(), cmodbus_embbadexc(), cmodbus_embunkexc(), cmodbus_embbadslave(): code = .badResponse
        case cmodbus_embmdata(), EINVAL: code = .invalidArgument
        case ETIMEDOUT, EAGAIN: code = connecting ? .connectFailed : .timeout
        case ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN, EBADF, ESHUTDOWN: code = connecting ? .connectFailed : .connectionReset
        case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EINPROGRESS, ENOENT, EACCES, EADDRNOTAVAIL: code = .connectFailed
        default: code = connecting ? .connectFailed : .other
        }
        return ModbusError(code, errno: errno, operation: operation, address: address)
    }
}

extension ModbusError.Code {
    /// Lets callers write `catch ModbusError.timeout`.
    public static func ~= (code: ModbusError.Code, error: any Error) -> Bool {
        (error as? ModbusError)?.code == code
    }
}
