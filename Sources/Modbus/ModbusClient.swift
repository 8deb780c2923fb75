internal import CModbus
import Foundation
public import RegisterVocabulary
import Synchronization

/// Counters of one client connection.
public struct ClientStatistics: Sendable, Hashable {
    public var requests = 0
    public var errors = 0
    public var timeouts = 0
    public var exceptions = 0
    public var connects = 0
    public var connectFailures = 0
    /// Answers that did not fit their request (transaction, protocol or unit id, lengths, byte count, echo).
    public var badResponses = 0
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
/// Every answer is checked field by field against its request (``ModbusExchange``): libmodbus 3.1.6 does not
/// compare the unit id on TCP, reads the protocol id with `&&` and never reads the MBAP length, so a server that
/// got these wrong once had its data stored as good. An answer that does not fit fails with ``ModbusError/badResponse``
/// naming the field, and closes the connection (the byte stream can no longer be trusted).
///
/// Errors: ``ModbusError`` and `CancellationError`.
public actor ModbusClient {
    public nonisolated let endpoint: ModbusEndpoint
    public nonisolated let unitID: UInt8
    /// Whether answers from any unit id are accepted (a gateway that answers with its own id).
    public nonisolated let anyUnit: Bool
    public nonisolated let timeouts: ModbusTimeouts
    /// The connection's executor: a serial queue with its own thread. Run a device's polling loop with
    /// `withTaskExecutorPreference(client.executor)` so requests cost no thread switch.
    public nonisolated let executor: DispatchQueueExecutor
    var context: ModbusContext?
    /// The socket of the open connection, for `interrupt()` from other threads; −1 when closed.
    private let openSocket = Atomic<Int32>(-1)
    public internal(set) var statistics = ClientStatistics()
    /// The MBAP transaction id of the last request (TCP).
    var transactionID: UInt16 = 0
    /// When the last request ended, to look at an idle connection before reusing it.
    var lastExchange: ContinuousClock.Instant?
    /// The request and answer frames, allocated once (the poller's hot path allocates nothing).
    var requestFrame = [UInt8](repeating: 0, count: 260)
    var answerFrame = [UInt8](repeating: 0, count: 260)

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(endpoint: ModbusEndpoint, unitID: UInt8 = 1, anyUnit: Bool = false, timeouts: ModbusTimeouts = .init()) {
        self.endpoint = endpoint
        self.unitID = unitID
        self.anyUnit = anyUnit
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
        try read(.coil, address: address, count: count).map { $0 != 0 }
    }

    /// FC2: reads discrete inputs.
    public func readDiscreteInputs(address: Int, count: Int) throws -> [Bool] {
        try read(.discreteInput, address: address, count: count).map { $0 != 0 }
    }

    /// FC3: reads holding registers.
    public func readHoldingRegisters(address: Int, count: Int) throws -> [UInt16] {
        try read(.holding, address: address, count: count)
    }

    /// FC4: reads input registers.
    public func readInputRegisters(address: Int, count: Int) throws -> [UInt16] {
        try read(.input, address: address, count: count)
    }

    /// Reads from any table; bits come back as 0 or 1.
    public func read(_ table: RegisterTable, address: Int, count: Int) throws -> [UInt16] {
        var values: [UInt16] = []
        try read(table, address: address, count: count, into: &values)
        return Array(values.prefix(count))
    }

    /// Reads into a caller's buffer without allocating (the poller's hot path). Bits come back as 0 or 1.
    public func read(_ table: RegisterTable, address: Int, count: Int, into buffer: inout [UInt16]) throws {
        let operation = table.readOperation
        try check(address: address, count: count, limit: table.isBitTable ? 2000 : 125, operation: operation)
        if buffer.count < count { buffer = [UInt16](repeating: 0, count: count) }
        let data = try exchange(operation, function: table.readFunction, address: address, quantity: count)
        answerFrame.withUnsafeBufferPointer { frame in
            buffer.withUnsafeMutableBufferPointer { out in
                if table.isBitTable {
                    for i in 0..<count { out[i] = UInt16(frame[data.lowerBound + i >> 3] >> UInt8(i & 7) & 1) }
                } else {
                    for i in 0..<count {
                        out[i] = UInt16(frame[data.lowerBound + 2 * i]) << 8 | UInt16(frame[data.lowerBound + 2 * i + 1])
                    }
                }
            }
        }
    }

    // MARK: - Writes (for tools and tests; the monitor writes only tags marked writable, with writes enabled)

    /// FC5: writes one coil.
    public func writeCoil(address: Int, value: Bool) throws {
        try check(address: address, count: 1, limit: 1, operation: "write coil")
        _ = try exchange("write coil", function: 5, address: address, quantity: value ? 0xFF00 : 0)
    }

    /// FC6: writes one holding register.
    public func writeRegister(address: Int, value: UInt16) throws {
        try check(address: address, count: 1, limit: 1, operation: "write register")
        _ = try exchange("write register", function: 6, address: address, quantity: Int(value))
    }

    /// FC15: writes coils (at most 1968, Modbus spec).
    public func writeCoils(address: Int, values: [Bool]) throws {
        try check(address: address, count: values.count, limit: 1968, operation: "write coils")
        var bytes = [UInt8](repeating: 0, count: (values.count + 7) / 8)
        for (i, value) in values.enumerated() where value { bytes[i >> 3] |= 1 << UInt8(i & 7) }
        _ = try exchange("write coils", function: 15, address: address, quantity: values.count, data: bytes)
    }

    /// FC16: writes holding registers (at most 123, Modbus spec: MAX_WR_REG 0x7B; docs/sources.md §5.2).
    public func writeRegisters(address: Int, values: [UInt16]) throws {
        try check(address: address, count: values.count, limit: 123, operation: "write registers")
        let bytes = values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        _ = try exchange("write registers", function: 16, address: address, quantity: values.count, data: bytes)
    }

    // MARK: - Internals

    private func check(address: Int, count: Int, limit: Int, operation: String) throws {
        guard (1...limit).contains(count) else {
            throw ModbusError(.invalidArgument, operation: operation, address: address, detail: "count \(count) outside 1...\(limit)")
        }
        guard address >= 0, address <= 65535, count <= 65536 - address else {
            throw ModbusError(.invalidArgument, operation: operation, address: address, detail: "addresses past 65535")
        }
    }
}

extension RegisterTable {
    var readOperation: String {
        switch self {
        case .coil: "read coils"
        case .discreteInput: "read discrete inputs"
        case .holding: "read holding registers"
        case .input: "read input registers"
        }
    }
}
