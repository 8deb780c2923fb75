/// One Modbus request and the checks its answer must pass, in pure Swift (no socket, no libmodbus).
///
/// libmodbus 3.1.6 frames an answer by its function code and byte count but never reads the MBAP length
/// field, does not compare the unit id on TCP, and tests the protocol id with `&&` (a protocol id of 0x0100
/// passes); a server that got any of these wrong had its registers stored as good values. ``check(_:)``
/// checks every field of the answer against the request (docs/sources.md, "Modbus framing"):
///
/// - TCP (MBAP header): the transaction id echoes the request's, the protocol id is 0, the length field counts
///   exactly the unit id and the PDU that arrived, and the unit id is the one asked for (unless the device is a
///   gateway that answers for any unit: ``anyUnit``).
/// - RTU: the CRC-16 over the frame, and the unit address.
/// - PDU: the function code is the request's (or the request's + 0x80 with an exception code 1–255), a read's
///   byte count is what the quantity asked for and matches the bytes that came, a write's echo repeats the
///   address and the value or quantity.
///
/// ```swift
/// var exchange = ModbusExchange(framing: .tcp, transactionID: 7, unitID: 1, function: 3, address: 100, quantity: 2)
/// let answer = try exchange.check(frame)          // throws ModbusAnswerViolation
/// if case .data(let bytes) = answer { … }         // frame[bytes]: the registers, big-endian
/// ```
public struct ModbusExchange: Sendable, Hashable {
    public enum Framing: Sendable, Hashable { case tcp, rtu }

    public var framing: Framing
    /// The MBAP transaction id of the request (TCP only).
    public var transactionID: UInt16
    public var unitID: UInt8
    /// Accept an answer from any unit id: for gateways that answer with their own id (device key `any_unit`).
    public var anyUnit: Bool
    public var function: UInt8
    public var address: UInt16
    /// The quantity of a read or multiple write; the value of a single write (FC5: 0xFF00 or 0, FC6: the word).
    public var quantity: UInt16

    public init(framing: Framing, transactionID: UInt16 = 0, unitID: UInt8, anyUnit: Bool = false, function: UInt8,
                address: UInt16, quantity: UInt16) {
        self.framing = framing
        self.transactionID = transactionID
        self.unitID = unitID
        self.anyUnit = anyUnit
        self.function = function
        self.address = address
        self.quantity = quantity
    }

    /// What a valid answer carries.
    public enum Answer: Sendable, Hashable {
        /// A read's data bytes: their positions in the frame.
        case data(Range<Int>)
        /// A write, echoed as sent.
        case acknowledged
        /// An exception response with its code (1–255).
        case exception(UInt8)
    }

    /// The data bytes a read of `quantity` items by `function` must carry: bits packed eight to a byte (FC1,
    /// FC2), two bytes per register (FC3, FC4); `nil` for other functions.
    public static func expectedByteCount(function: UInt8, quantity: UInt16) -> Int? {
        switch function {
        case 1, 2: (Int(quantity) + 7) / 8
        case 3, 4: 2 * Int(quantity)
        default: nil
        }
    }

    /// Checks a whole answer frame (TCP: MBAP header and PDU; RTU: address, PDU and CRC).
    public func check(_ frame: UnsafeBufferPointer<UInt8>) throws(ModbusAnswerViolation) -> Answer {
        let pdu: Range<Int>
        switch framing {
        case .tcp:
            guard frame.count >= 9 else { throw .init(.tooShort, expected: 9, received: frame.count) }
            let transaction = UInt16(frame[0]) << 8 | UInt16(frame[1])
            guard transaction == transactionID else {
                throw .init(.transactionID, expected: Int(transactionID), received: Int(transaction))
            }
            let protocolID = UInt16(frame[2]) << 8 | UInt16(frame[3])
            guard protocolID == 0 else { throw .init(.protocolID, expected: 0, received: Int(protocolID)) }
            let length = Int(frame[4]) << 8 | Int(frame[5])
            guard length == frame.count - 6 else { throw .init(.mbapLength, expected: frame.count - 6, received: length) }
            pdu = 7..<frame.count
        case .rtu:
            guard frame.count >= 5 else { throw .init(.tooShort, expected: 5, received: frame.count) }
            let crc = Self.crc16(UnsafeBufferPointer(rebasing: frame[0..<(frame.count - 2)]))
            let sent = UInt16(frame[frame.count - 2]) | UInt16(frame[frame.count - 1]) << 8
            guard crc == sent else { throw .init(.crc, expected: Int(crc), received: Int(sent)) }
            pdu = 1..<(frame.count - 2)
        }
        let unit = frame[pdu.lowerBound - 1]
        guard unit == unitID || anyUnit else { throw .init(.unitID, expected: Int(unitID), received: Int(unit)) }
        return try checkPDU(frame, pdu)
    }

    /// Checks the PDU at `pdu` in `frame`: function code, exception, byte count or echo.
    private func checkPDU(_ frame: UnsafeBufferPointer<UInt8>, _ pdu: Range<Int>) throws(ModbusAnswerViolation) -> Answer {
        let code = frame[pdu.lowerBound]
        if code == function | 0x80 {
            guard pdu.count == 2 else { throw .init(.pduLength, expected: pdu.lowerBound + 2, received: pdu.count) }
            let exception = frame[pdu.lowerBound + 1]
            guard exception != 0 else { throw .init(.exceptionCode, expected: 1, received: 0) }
            return .exception(exception)
        }
        guard code == function else { throw .init(.function, expected: Int(function), received: Int(code)) }
        if let expected = Self.expectedByteCount(function: function, quantity: quantity) {
            guard pdu.count >= 2 else { throw .init(.tooShort, expected: 2, received: pdu.count) }
            let byteCount = Int(frame[pdu.lowerBound + 1])
            guard byteCount == expected else { throw .init(.byteCount, expected: expected, received: byteCount) }
            guard pdu.count == 2 + byteCount else { throw .init(.pduLength, expected: 2 + byteCount, received: pdu.count) }
            return .data((pdu.lowerBound + 2)..<pdu.upperBound)
        }
        // Writes (FC5, 6, 15, 16) echo the address and the value or quantity.
        guard pdu.count == 5 else { throw .init(.pduLength, expected: 5, received: pdu.count) }
        let address = UInt16(frame[pdu.lowerBound + 1]) << 8 | UInt16(frame[pdu.lowerBound + 2])
        let value = UInt16(frame[pdu.lowerBound + 3]) << 8 | UInt16(frame[pdu.lowerBound + 4])
        guard address == self.address else { throw .init(.echo, expected: Int(self.address), received: Int(address)) }
        guard value == quantity else { throw .init(.echo, expected: Int(quantity), received: Int(value)) }
        return .acknowledged
    }

    /// CRC-16/MODBUS (polynomial 0xA001 reflected, initial 0xFFFF) of `bytes`; sent low byte first.
    public static func crc16(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
        }
        return crc
    }
}

/// An answer that does not fit its request: which field, what was expected and what came.
public struct ModbusAnswerViolation: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Field: String, Sendable, Hashable {
        case tooShort = "frame too short"
        case transactionID = "transaction id"
        case protocolID = "protocol id"
        case mbapLength = "MBAP length field"
        case unitID = "unit id"
        case crc = "CRC"
        case function = "function code"
        case exceptionCode = "exception code"
        case byteCount = "byte count"
        case pduLength = "PDU length"
        case echo = "write echo"
    }

    public var field: Field
    public var expected: Int
    public var received: Int

    public init(_ field: Field, expected: Int, received: Int) {
        self.field = field
        self.expected = expected
        self.received = received
    }

    public var description: String {
        switch field {
        case .mbapLength: "MBAP length field says \(received) bytes, \(expected) came"
        case .crc: "CRC \(hex(received)) sent, \(hex(expected)) computed over the frame"
        case .unitID: "unit id \(received) answered, \(expected) asked (set any_unit: true for a gateway that answers for any unit)"
        case .exceptionCode where received == 0: "exception code 0: an exception answer with code 0, which Modbus does not define"
        default: "\(field.rawValue) \(received), expected \(expected)"
        }
    }

    private func hex(_ value: Int) -> String { "0x" + String(value, radix: 16, uppercase: true) }
}
