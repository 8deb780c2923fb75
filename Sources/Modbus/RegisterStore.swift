public import RegisterVocabulary
import Synchronization

/// The four tables of one Modbus unit: coils and discrete inputs (bits, stored as 0/1 words), holding and
/// input registers; 65,536 entries each.
public struct RegisterTables: Sendable {
    public var coils = [UInt16](repeating: 0, count: 65536)
    public var discreteInputs = [UInt16](repeating: 0, count: 65536)
    public var holdingRegisters = [UInt16](repeating: 0, count: 65536)
    public var inputRegisters = [UInt16](repeating: 0, count: 65536)

    public init() {}

    public subscript(table: RegisterTable) -> [UInt16] {
        get {
            switch table {
            case .coil: coils
            case .discreteInput: discreteInputs
            case .holding: holdingRegisters
            case .input: inputRegisters
            }
        }
        _modify {
            switch table {
            case .coil: yield &coils
            case .discreteInput: yield &discreteInputs
            case .holding: yield &holdingRegisters
            case .input: yield &inputRegisters
            }
        }
    }

    /// Writes `values` at `address` (bits as 0/1).
    public mutating func set(_ table: RegisterTable, address: Int, values: some Collection<UInt16>) {
        precondition(address >= 0 && address + values.count <= 65536, "write past the end of the address space")
        self[table].replaceSubrange(address..<address + values.count, with: values)
    }
}

/// A thread-safe register store that a server serves while another task updates it.
///
/// Writes grouped in one `update` are atomic for readers: a client reading a 32-bit or 64-bit value never
/// sees half of an old value and half of a new one, as long as the writer updates all of a value's
/// registers in one `update` (the simulator writes each device's whole state in one).
public final class RegisterStore: Sendable {
    private let tables = Mutex(RegisterTables())

    public init() {}

    /// Applies a group of writes atomically.
    public func update<R>(_ body: (inout RegisterTables) throws -> R) rethrows -> R {
        try tables.withLock { try body(&$0) }
    }

    /// Writes one run of registers (or bits as 0/1) atomically.
    public func set(_ table: RegisterTable, address: Int, values: [UInt16]) {
        tables.withLock { $0.set(table, address: address, values: values) }
    }

    /// A consistent copy of a range.
    public func registers(_ table: RegisterTable, address: Int, count: Int) -> [UInt16] {
        precondition(address >= 0 && count >= 0 && address + count <= 65536, "read past the end of the address space")
        return tables.withLock { Array($0[table][address..<address + count]) }
    }

    /// Copies a range into raw memory under the lock (the server's hot path).
    func copy(_ table: RegisterTable, address: Int, count: Int, to destination: UnsafeMutablePointer<UInt16>) {
        tables.withLock { tables in
            tables[table].withUnsafeBufferPointer { source in
                destination.update(from: source.baseAddress! + address, count: count)
            }
        }
    }

    func copyBits(_ table: RegisterTable, address: Int, count: Int, to destination: UnsafeMutablePointer<UInt8>) {
        tables.withLock { tables in
            tables[table].withUnsafeBufferPointer { source in
                for index in 0..<count { destination[index] = source[address + index] != 0 ? 1 : 0 }
            }
        }
    }
}
