/// Pure-Swift encoding and decoding of tag values to and from 16-bit Modbus registers.
///
/// libmodbus's float helpers are not used: their meaning changed between versions, and in 3.1.6 each
/// `modbus_set_float_*` setter writes another layout than its name (docs/sources.md §5.3). The layouts here
/// are defined by the test vectors of docs/sources.md §5.2 instead.
///
/// Layouts, for a value whose big-endian bytes are A B C D (32-bit) or A B C D E F G H (64-bit):
///
/// | order | 32-bit registers | 64-bit registers          | 16-bit register |
/// |-------|------------------|---------------------------|-----------------|
/// | ABCD  | AB CD            | AB CD EF GH               | AB              |
/// | CDAB  | CD AB            | GH EF CD AB               | AB              |
/// | BADC  | BA DC            | BA DC FE HG               | BA              |
/// | DCBA  | DC BA            | HG FE DC BA               | BA              |
///
/// Word-swapped orders reverse the sequence of registers; byte-swapped orders swap the two bytes inside
/// every register, single registers and strings included.
public enum RegisterCodec {
    /// Decodes the raw (unscaled) value of a tag from the registers that hold it.
    ///
    /// - Parameters:
    ///   - registers: the registers, starting at the tag's first register; must hold at least
    ///     `type.registerCount(stringLength:)` of them.
    ///   - type: the tag's data type. `bool` is true when the register is non-zero.
    ///   - order: the byte and word order.
    /// - Returns: the value as a `Double`; 64-bit integers beyond 2^53 lose precision, as any
    ///   engineering value does. Strings decode to NaN here; use ``decodeString(_:order:)``.
    @inlinable
    public static func decodeRaw(_ registers: UnsafeBufferPointer<UInt16>, as type: RegisterDataType, order: WordOrder) -> Double {
        switch type {
        case .bool: return registers[0] != 0 ? 1 : 0
        case .uint16: return Double(word(registers[0], order))
        case .int16: return Double(Int16(bitPattern: word(registers[0], order)))
        case .uint32: return Double(combine32(registers, order))
        case .int32: return Double(Int32(bitPattern: combine32(registers, order)))
        case .float32: return Double(Float(bitPattern: combine32(registers, order)))
        case .uint64: return Double(combine64(registers, order))
        case .int64: return Double(Int64(bitPattern: combine64(registers, order)))
        case .float64: return Double(bitPattern: combine64(registers, order))
        case .string: return .nan
        }
    }

    /// Decodes a tag's raw value from an array of registers at `offset`.
    @inlinable
    public static func decodeRaw(_ registers: [UInt16], at offset: Int = 0, as type: RegisterDataType, order: WordOrder) -> Double {
        precondition(offset >= 0 && offset + type.registerCount(stringLength: 1) <= registers.count, "registers too short for \(type)")
        return registers.withUnsafeBufferPointer { buffer in
            decodeRaw(UnsafeBufferPointer(rebasing: buffer[offset...]), as: type, order: order)
        }
    }

    /// Decodes the engineering value: raw × scale + offset, exact to the register's decimal resolution
    /// (``RegisterScaling``).
    public static func decode(_ registers: [UInt16], at index: Int = 0, as type: RegisterDataType, order: WordOrder,
                              scale: Double = 1, offset: Double = 0) -> Double {
        RegisterScaling(scale: scale, offset: offset).apply(decodeRaw(registers, at: index, as: type, order: order), of: type)
    }

    /// The exact 64-bit integer value of an `int64`/`uint64` tag, for callers that need every bit.
    public static func decodeUInt64(_ registers: [UInt16], at offset: Int = 0, order: WordOrder) -> UInt64 {
        precondition(offset >= 0 && offset + 4 <= registers.count, "registers too short for a 64-bit value")
        return registers.withUnsafeBufferPointer { combine64(UnsafeBufferPointer(rebasing: $0[offset...]), order) }
    }

    /// Decodes an ASCII string: two characters per register, high byte first (swapped for BADC/DCBA).
    /// Trailing NULs and spaces are dropped; bytes outside printable ASCII become "?".
    public static func decodeString(_ registers: some Collection<UInt16>, order: WordOrder = .abcd) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(registers.count * 2)
        for register in registers {
            let value = word(register, order)
            bytes.append(UInt8(value >> 8))
            bytes.append(UInt8(value & 0xFF))
        }
        while let last = bytes.last, last == 0 || last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// Encodes a raw (unscaled) value into registers.
    ///
    /// Integers are rounded to nearest; a value that the type cannot hold (out of range, NaN for an
    /// integer type) throws ``RegisterCodecError``. Floats take any value, NaN and infinities included.
    public static func encodeRaw(_ value: Double, as type: RegisterDataType, order: WordOrder) throws(RegisterCodecError) -> [UInt16] {
        switch type {
        case .bool: return [value != 0 && !value.isNaN ? 1 : 0]
        case .uint16: return [word(try integer(value, type, UInt16.self), order)]
        case .int16: return [word(UInt16(bitPattern: try integer(value, type, Int16.self)), order)]
        case .uint32: return split32(try integer(value, type, UInt32.self), order)
        case .int32: return split32(UInt32(bitPattern: try integer(value, type, Int32.self)), order)
        case .float32: return split32(Float(value).bitPattern, order)
        case .uint64: return split64(try integer(value, type, UInt64.self), order)
        case .int64: return split64(UInt64(bitPattern: try integer(value, type, Int64.self)), order)
        case .float64: return split64(value.bitPattern, order)
        case .string: throw RegisterCodecError(value: value, type: type, reason: "a number cannot be encoded as a string")
        }
    }

    /// Encodes an engineering value: raw = (value − offset) / scale, then ``encodeRaw(_:as:order:)``.
    public static func encode(_ value: Double, as type: RegisterDataType, order: WordOrder,
                              scale: Double = 1, offset: Double = 0) throws(RegisterCodecError) -> [UInt16] {
        try encode(value, as: type, order: order, scaling: RegisterScaling(scale: scale, offset: offset))
    }

    /// Encodes an engineering value with a prepared scaling (a tag's, made once): ``RegisterScaling/raw(for:)``,
    /// then ``encodeRaw(_:as:order:)``.
    public static func encode(_ value: Double, as type: RegisterDataType, order: WordOrder,
                              scaling: RegisterScaling) throws(RegisterCodecError) -> [UInt16] {
        precondition(scaling.scale != 0, "scale must not be zero")
        return try encodeRaw(scaling.raw(for: value), as: type, order: order)
    }

    /// Encodes the exact bits of a 64-bit integer.
    public static func encodeUInt64(_ value: UInt64, order: WordOrder) -> [UInt16] { split64(value, order) }

    /// Encodes an ASCII string into `length` registers, padded with NULs; longer strings are cut.
    public static func encodeString(_ string: String, length: Int, order: WordOrder = .abcd) -> [UInt16] {
        precondition(length > 0, "a string occupies at least one register")
        var bytes = Array(string.utf8.prefix(length * 2))
        bytes += repeatElement(0, count: length * 2 - bytes.count)
        return (0..<length).map { word(UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]), order) }
    }

    /// The largest/smallest raw values an integer type holds, for clamping by callers (e.g. a sensor model).
    public static func rawLimits(of type: RegisterDataType) -> ClosedRange<Double>? {
        switch type {
        case .bool: return 0...1
        case .uint16: return 0...Double(UInt16.max)
        case .int16: return Double(Int16.min)...Double(Int16.max)
        case .uint32: return 0...Double(UInt32.max)
        case .int32: return Double(Int32.min)...Double(Int32.max)
        case .uint64: return 0...Double(UInt64.max)
        case .int64: return Double(Int64.min)...Double(Int64.max)
        case .float32: return -Double(Float.greatestFiniteMagnitude)...Double(Float.greatestFiniteMagnitude)
        case .float64, .string: return nil
        }
    }

    // MARK: - Word and byte order

    @usableFromInline @inline(__always)
    static func word(_ register: UInt16, _ order: WordOrder) -> UInt16 {
        order.swapsBytes ? register.byteSwapped : register
    }

    @usableFromInline @inline(__always)
    static func combine32(_ r: UnsafeBufferPointer<UInt16>, _ order: WordOrder) -> UInt32 {
        let (high, low) = order.swapsWords ? (r[1], r[0]) : (r[0], r[1])
        return UInt32(word(high, order)) << 16 | UInt32(word(low, order))
    }

    @usableFromInline @inline(__always)
    static func combine64(_ r: UnsafeBufferPointer<UInt16>, _ order: WordOrder) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<4 {
            let register = order.swapsWords ? r[3 - index] : r[index]
            value = value << 16 | UInt64(word(register, order))
        }
        return value
    }

    static func split32(_ value: UInt32, _ order: WordOrder) -> [UInt16] {
        let words = [word(UInt16(value >> 16), order), word(UInt16(truncatingIfNeeded: value), order)]
        return order.swapsWords ? words.reversed() : words
    }

    static func split64(_ value: UInt64, _ order: WordOrder) -> [UInt16] {
        let words = (0..<4).map { word(UInt16(truncatingIfNeeded: value >> (48 - 16 * $0)), order) }
        return order.swapsWords ? words.reversed() : words
    }

    static func integer<T: FixedWidthInteger>(_ value: Double, _ type: RegisterDataType, _: T.Type) throws(RegisterCodecError) -> T {
        let rounded = value.rounded(.toNearestOrEven)
        guard let exact = T(exactly: rounded) else {
            throw RegisterCodecError(value: value, type: type, reason: "outside the range of \(type.rawValue)")
        }
        return exact
    }
}

/// A value that a register type cannot hold.
public struct RegisterCodecError: Error, Sendable, CustomStringConvertible {
    public var value: Double
    public var type: RegisterDataType
    public var reason: String
    public var description: String { "cannot encode \(value) as \(type.rawValue): \(reason)" }
}

extension WordOrder {
    /// Whether the low-order register comes first (CDAB, DCBA).
    @inlinable public var swapsWords: Bool { self == .cdab || self == .dcba }
    /// Whether the two bytes inside each register are swapped (BADC, DCBA).
    @inlinable public var swapsBytes: Bool { self == .badc || self == .dcba }
}

extension RegisterDataType {
    /// The number of registers (or bits, for `bool` in a bit table) a value occupies.
    /// `stringLength` is the string's length in registers.
    @inlinable
    public func registerCount(stringLength: Int = 1) -> Int {
        switch self {
        case .bool, .int16, .uint16: return 1
        case .int32, .uint32, .float32: return 2
        case .int64, .uint64, .float64: return 4
        case .string: return stringLength
        }
    }
}
