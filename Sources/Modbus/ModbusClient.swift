internal import CModbus
import Foundation
import Synchronization

/// Counters of one client connection.
public struct ClientStatistics: Sendable, Hashable {
    public var requests = 0
    public var errors = 0
    public var timeouts = 0
    public var exceptions = 0
    public var connects = 0
    public var connectFailures = 0
    /// Wall time of the last successful request.
    public var lastLatency: Duration = .zero
    public init() {}
}

/// A Modbus client connection (TCP or RTU) over libmodbus.
///
/// An actor whose executor is its own serial dispatch queue, so every blocking libmodbus call runs on that
/// queue's thread, never on the cooperative pool, and one slow device never delays another
/// [STYLE: Concurrency]. Requests are bounded by the timeouts; a failure that leaves the link in doubt
/// (timeout, reset, bad frame) closes the connection, and the next request reconnects. When to retry is the
/// caller's decision (see ``ReconnectPolicy``): this type never sleeps or retries on its own.
///
/// Errors: ``ModbusError`` and `CancellationError`.
public actor ModbusClient {
    public nonisolated let endpoint: ModbusEndpoint
    public nonisolated let unitID: UInt8
    public nonisolated let timeouts: ModbusTimeouts
    /// The connection's executor: a serial queue with its own thread. Run a device's polling loop with
    /// `withTaskExecutorPreference(client.executor)` so requests cost no thread switch.
    public nonisolated let executor: DispatchQueueExecutor
    private var context: ModbusContext?
    /// The socket of the open connection, for `interrupt()` from other threads; −1 when closed.
    private let openSocket = Atomic<Int32>(-1)
    public private(set) var statistics = ClientStatistics()

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(endpoint: ModbusEndpoint, unitID: UInt8 = 1, timeouts: ModbusTimeouts = .init()) {
        self.endpoint = endpoint
        self.unitID = unitID
        self.timeouts = timeouts
        executor = DispatchQueueExecutor(label: "geolith.modbus.client \(endpoint)")
    }

    public var isConnected: Bool { context != nil }

    /// Opens the connection if it is not open.
    public func connect() throws {
        guard context == nil else { return }
        try Task.checkCancellation()
        let new: ModbusContext
        do { new = try ModbusContext(endpoint: endpoint) } catch {
            statistics.connectFailures += 1
            throw error
        }
        // libmodbus bounds its non-blocking TCP connect with the response timeout.
        new.setTimeouts(response: timeouts.connect, byte: timeouts.byte)
        modbus_set_slave(new.pointer, Int32(unitID))
        if case .rtu(let settings) = endpoint, settings.rs485 {
            // Not every port supports RS-485 mode (a pty does not): try, and keep RS-232 mode otherwise.
            _ = modbus_rtu_set_serial_mode(new.pointer, MODBUS_RTU_RS485)
        }
        guard modbus_connect(new.pointer) == 0 else {
            statistics.connectFailures += 1
            throw ModbusError.fromErrno(errno, operation: "connect to \(endpoint)", connecting: true)
        }
        new.setTimeouts(response: timeouts.response, byte: timeouts.byte)
        if case .tcp = endpoint { _ = cmodbus_set_nodelay(new.socket) }
        openSocket.store(new.socket, ordering: .releasing)
        statistics.connects += 1
        context = consume new
    }

    /// Closes the connection; the next request reopens it.
    public func close() {
        openSocket.store(-1, ordering: .releasing)
        context = nil
    }

    /// Unblocks a request in progress from any thread by shutting the socket down; the request fails with
    /// `connectionReset` and the connection is closed. Does nothing when no connection is open.
    public nonisolated func interrupt() {
        let socket = openSocket.load(ordering: .acquiring)
        if socket >= 0 { _ = Foundation.shutdown(socket, Int32(SHUT_RDWR)) }
    }

    // MARK: - Reads

    /// FC1: reads coils.
    public func readCoils(address: Int, count: Int) throws -> [Bool] {
        try readBits(address: address, count: count, operation: "read coils", call: modbus_read_bits)
    }

    /// FC2: reads discrete inputs.
    public func readDiscreteInputs(address: Int, count: Int) throws -> [Bool] {
        try readBits(address: address, count: count, operation: "read discrete inputs", call: modbus_read_input_bits)
    }

    /// FC3: reads holding registers.
    public func readHoldingRegisters(address: Int, count: Int) throws -> [UInt16] {
        try readRegisters(address: address, count: count, operation: "read holding registers", call: modbus_read_registers)
    }

    /// FC4: reads input registers.
    public func readInputRegisters(address: Int, count: Int) throws -> [UInt16] {
        try readRegisters(address: address, count: count, operation: "read input registers", call: modbus_read_input_registers)
    }

    /// Reads from any table; bits come back as 0 or 1.
    public func read(_ table: RegisterTable, address: Int, count: Int) throws -> [UInt16] {
        switch table {
        case .coil: try readCoils(address: address, count: count).map { $0 ? 1 : 0 }
        case .discreteInput: try readDiscreteInputs(address: address, count: count).map { $0 ? 1 : 0 }
        case .holding: try readHoldingRegisters(address: address, count: count)
        case .input: try readInputRegisters(address: address, count: count)
        }
    }

    /// Reads into a caller's buffer without allocating (the poller's hot path). Bits come back as 0 or 1.
    public func read(_ table: RegisterTable, address: Int, count: Int, into buffer: inout [UInt16]) throws {
        if buffer.count < count { buffer = [UInt16](repeating: 0, count: count) }
        switch table {
        case .coil, .discreteInput:
            let bits = try read(table, address: address, count: count)
            buffer.replaceSubrange(0..<count, with: bits)
        case .holding, .input:
            try check(address: address, count: count, limit: 125, operation: "read registers")
            let call = table == .holding ? modbus_read_registers : modbus_read_input_registers
            try perform(table == .holding ? "read holding registers" : "read input registers", address: address) { ctx in
                buffer.withUnsafeMutableBufferPointer { call(ctx, Int32(address), Int32(count), $0.baseAddress) }
            }
        }
    }

    // MARK: - Writes (for tools and tests; the monitor writes only tags marked writable, with writes enabled)

    /// FC5: writes one coil.
    public func writeCoil(address: Int, value: Bool) throws {
        try check(address: address, count: 1, limit: 1, operation: "write coil")
        try perform("write coil", address: address) { modbus_write_bit($0, Int32(address), value ? 1 : 0) }
    }

    /// FC6: writes one holding register.
    public func writeRegister(address: Int, value: UInt16) throws {
        try check(address: address, count: 1, limit: 1, operation: "write register")
        try perform("write register", address: address) { modbus_write_register($0, Int32(address), value) }
    }

    /// FC15: writes coils (at most 1968, Modbus spec).
    public func writeCoils(address: Int, values: [Bool]) throws {
        try check(address: address, count: values.count, limit: 1968, operation: "write coils")
        var bytes = values.map { UInt8($0 ? 1 : 0) }
        try perform("write coils", address: address) { ctx in
            bytes.withUnsafeMutableBufferPointer { modbus_write_bits(ctx, Int32(address), Int32(values.count), $0.baseAddress) }
        }
    }

    /// FC16: writes holding registers (at most 123, Modbus spec: MAX_WR_REG 0x7B; docs/sources.md §5.2).
    public func writeRegisters(address: Int, values: [UInt16]) throws {
        try check(address: address, count: values.count, limit: 123, operation: "write registers")
        try perform("write registers", address: address) { ctx in
            values.withUnsafeBufferPointer { modbus_write_registers(ctx, Int32(address), Int32(values.count), $0.baseAddress) }
        }
    }

    // MARK: - Internals

    private func readBits(address: Int, count: Int, operation: String,
                          call: (OpaquePointer?, Int32, Int32, UnsafeMutablePointer<UInt8>?) -> Int32) throws -> [Bool] {
        try check(address: address, count: count, limit: 2000, operation: operation)
        var bytes = [UInt8](repeating: 0, count: count)
        try perform(operation, address: address) { ctx in
            bytes.withUnsafeMutableBufferPointer { call(ctx, Int32(address), Int32(count), $0.baseAddress) }
        }
        return bytes.map { $0 != 0 }
    }

    private func readRegisters(address: Int, count: Int, operation: String,
                               call: (OpaquePointer?, Int32, Int32, UnsafeMutablePointer<UInt16>?) -> Int32) throws -> [UInt16] {
        try check(address: address, count: count, limit: 125, operation: operation)
        var registers = [UInt16](repeating: 0, count: count)
        try perform(operation, address: address) { ctx in
            registers.withUnsafeMutableBufferPointer { call(ctx, Int32(address), Int32(count), $0.baseAddress) }
        }
        return registers
    }

    private func check(address: Int, count: Int, limit: Int, operation: String) throws {
        guard (1...limit).contains(count) else {
            throw ModbusError(.invalidArgument, operation: operation, address: address, detail: "count \(count) outside 1...\(limit)")
        }
        guard address >= 0, address + count <= 65536 else {
            throw ModbusError(.invalidArgument, operation: operation, address: address, detail: "addresses past 65535")
        }
    }

    /// Runs one request: reconnects if needed, times it, classifies a failure and closes a doubtful link.
    private func perform(_ operation: String, address: Int, _ body: (OpaquePointer) -> Int32) throws {
        try Task.checkCancellation()
        try connect()
        guard let pointer = context?.pointer else {
            throw ModbusError(.notConnected, operation: operation, address: address)
        }
        let start = ContinuousClock.now
        statistics.requests += 1
        if body(pointer) >= 0 {
            statistics.lastLatency = start.duration(to: .now)
            return
        }
        let error = ModbusError.fromErrno(errno, operation: operation, address: address)
        statistics.errors += 1
        if error.code == .timeout { statistics.timeouts += 1 }
        if error.exceptionCode != nil { statistics.exceptions += 1 }
        if error.code.breaksConnection { close() }
        throw error
    }
}
