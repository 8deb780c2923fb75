/// The four Modbus data tables.
///
/// Raw values are the names used in plant descriptions (`PlantConfigs/*.yaml`).
/// Read with FC01 (coils), FC02 (discrete inputs), FC03 (holding registers) and FC04 (input registers).
public enum RegisterTable: String, Sendable, Hashable, CaseIterable, Codable {
    case coil = "coil"
    case discreteInput = "discrete_input"
    case holding = "holding"
    case input = "input"

    /// Whether the table holds single bits (coils, discrete inputs) rather than 16-bit registers.
    public var isBitTable: Bool { self == .coil || self == .discreteInput }

    /// The Modbus function code that reads the table: 1 (coils) … 4 (input registers).
    public var readFunction: UInt8 {
        switch self {
        case .coil: 1
        case .discreteInput: 2
        case .holding: 3
        case .input: 4
        }
    }
}

/// The value types a tag can hold, and how many 16-bit registers each occupies.
public enum RegisterDataType: String, Sendable, Hashable, CaseIterable, Codable {
    case bool, int16, uint16, int32, uint32, int64, uint64, float32, float64, string

    /// Whole-number types (bool excluded).
    public var isInteger: Bool {
        switch self {
        case .int16, .uint16, .int32, .uint32, .int64, .uint64: return true
        case .bool, .float32, .float64, .string: return false
        }
    }
}

/// The order of the bytes of a multi-register value, named by the byte sequence of a 32-bit value
/// whose big-endian bytes are A B C D. Defined by test vectors (docs/sources.md §5.2), never by
/// libmodbus's helper names, whose meaning changed between versions.
///
/// - `ABCD`: registers high word first, bytes high first ("big-endian", Siemens SITRANS FST030 default).
/// - `CDAB`: low word first, bytes high first ("word swapped", Endress+Hauser Promag 53 factory setting).
/// - `BADC`: high word first, bytes swapped inside each register.
/// - `DCBA`: low word first, bytes swapped ("little-endian").
/// For 64-bit values the same rule extends to four registers.
public enum WordOrder: String, Sendable, Hashable, CaseIterable, Codable {
    case abcd = "ABCD"
    case cdab = "CDAB"
    case badc = "BADC"
    case dcba = "DCBA"
}
