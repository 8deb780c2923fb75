internal import CModbus
import Foundation
public import RegisterVocabulary
import Synchronization

/// Counters of a server.
public struct ServerStatistics: Sendable, Hashable {
    public var requests = 0
    public var exceptions = 0
    public var connectionsAccepted = 0
    public var connectionsOpen = 0
    /// Connections closed at once because ``ModbusServerLimits/maxClients`` were open.
    public var connectionsRefused = 0
    /// Connections closed after ``ModbusServerLimits/idleTimeout`` without a request.
    public var connectionsIdleClosed = 0
    /// Times `accept` failed for want of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) and the accept
    /// loop backed off.
    public var acceptBackoffs = 0
    public init() {}
}

/// What a TCP server allows: clients at once (one thread each) and how long one may stay silent.
///
/// Without them 1,000 idle clients cost 1,007 threads, and once descriptors ran out the accept loop spun at
/// 95–98 % of a core (a pending connection kept the listening socket readable while `accept` failed).
public struct ModbusServerLimits: Sendable, Hashable {
    /// Clients connected at once; more are accepted and closed at once.
    public var maxClients: Int
    /// A client that sends no request for this long is disconnected (Geolith's client reconnects by itself).
    public var idleTimeout: Duration

    public init(maxClients: Int = 128, idleTimeout: Duration = .seconds(60)) {
        precondition(maxClients > 0 && idleTimeout > .zero, "a server takes one client for some time at least")
        self.maxClients = maxClients
        self.idleTimeout = idleTimeout
    }
}

/// A Modbus server (TCP with several clients at once, or RTU) serving `RegisterStore`s, with fault injection.
///
/// TCP: one thread accepts, one thread per client receives and answers with libmodbus; every accepted socket
/// gets TCP_NODELAY (libmodbus leaves Nagle on there, docs/sources.md §5.3). Clients are bounded in number and in
/// silence (``ModbusServerLimits``), and the accept loop backs off when descriptors run out. Requests for a unit id without a
/// store are answered with exception 11 (gateway target failed to respond); a store under unit id 255
/// answers every unit, and a server of one unit also answers unit 255 and 0 (direct TCP addressing). RTU: one thread on the serial line, serving the store of the single unit id given.
/// Writes from clients (FC5, 6, 15, 16) land in the store.
public final class ModbusServer: Sendable {
    public let endpoint: ModbusEndpoint
    public let limits: ModbusServerLimits
    private let stores: [UInt8: RegisterStore]
    let state = Mutex(ServerState())

    struct ServerState {
        var running = false
        var stopping = false
        var listenSocket: Int32 = -1
        var clientSockets: Set<Int32> = []
        var faults: [FaultRule] = []
        /// Matching requests seen by each rule of `faults`, for rules that apply to every n-th one.
        var faultMatches: [Int] = []
        var statistics = ServerStatistics()
        var threads = 0
        var port = 0
    }

    /// - Parameters:
    ///   - endpoint: `.tcp(host, port)` (port 0 picks a free port; see `start()`'s result) or `.rtu`.
    ///   - stores: the store of each unit id.
    ///   - limits: clients at once and their idle timeout (TCP).
    public init(endpoint: ModbusEndpoint, stores: [UInt8: RegisterStore], limits: ModbusServerLimits = .init()) {
        precondition(!stores.isEmpty, "a server needs at least one store")
        if case .rtu = endpoint { precondition(stores.count == 1, "an RTU server serves one unit id") }
        self.endpoint = endpoint
        self.stores = stores
        self.limits = limits
    }

    public convenience init(endpoint: ModbusEndpoint, unitID: UInt8 = 1, store: RegisterStore, limits: ModbusServerLimits = .init()) {
        self.init(endpoint: endpoint, stores: [unitID: store], limits: limits)
    }

    public var statistics: ServerStatistics { state.withLock { $0.statistics } }
    public var isRunning: Bool { state.withLock { $0.running } }

    /// Replaces the fault rules; the first rule that matches a request applies.
    public func setFaults(_ rules: [FaultRule]) {
        state.withLock {
            $0.faults = rules
            $0.faultMatches = Array(repeating: 0, count: rules.count)
        }
    }

    /// Starts serving (again, after `stop()`: on the same port).
    /// - Returns: the TCP port it listens on (the bound port when asked for port 0); 0 for RTU.
    @discardableResult
    public func start() throws -> Int {
        try state.withLock { state in
            guard !state.running else { throw ModbusError(.invalidArgument, operation: "start server", detail: "already running") }
            state.stopping = false
        }
        switch endpoint {
        case .tcp(let host, let configuredPort):
            // A restart listens on the port it had, so clients find it again.
            let previous = state.withLock { $0.port }
            let port = configuredPort == 0 && previous != 0 ? previous : configuredPort
            let context = try ModbusContext(endpoint: .tcp(host: host, port: port))
            let listenSocket = modbus_tcp_pi_listen(context.pointer, 64)
            guard listenSocket >= 0 else {
                throw ModbusError.fromErrno(errno, operation: "listen on \(endpoint)", connecting: true)
            }
            let bound = Self.boundPort(listenSocket)
            state.withLock {
                $0.running = true
                $0.listenSocket = listenSocket
                $0.port = bound
                $0.threads += 1
            }
            let thread = Thread { [self] in acceptLoop(listenSocket: listenSocket, host: host) }
            thread.name = "geolith.modbus.server.accept"
            thread.start()
            return bound
        case .rtu:
            let context = try ModbusContext(endpoint: endpoint)
            let (unit, _) = stores.first!
            modbus_set_slave(context.pointer, Int32(unit))
            guard modbus_connect(context.pointer) == 0 else {
                throw ModbusError.fromErrno(errno, operation: "open \(endpoint)", connecting: true)
            }
            state.withLock {
                $0.running = true
                $0.threads += 1
            }
            let box = ContextBox(context: context)
            let thread = Thread { [self] in serveRTU(box) }
            thread.name = "geolith.modbus.server.rtu"
            thread.start()
            return 0
        }
    }

    /// Stops serving: closes the listening socket and every connection, and waits (bounded) for the threads.
    public func stop() {
        let sockets = state.withLock { state -> [Int32] in
            state.stopping = true
            let all = Array(state.clientSockets) + (state.listenSocket >= 0 ? [state.listenSocket] : [])
            return all
        }
        for socket in sockets { _ = Foundation.shutdown(socket, Int32(SHUT_RDWR)) }
        // Threads wake from select within the indication timeout at the latest.
        let deadline = ContinuousClock.now.advanced(by: .seconds(3))
        while state.withLock({ $0.threads > 0 }) && ContinuousClock.now < deadline {
            usleep(1000)
        }
        state.withLock { state in
            if state.listenSocket >= 0 { Foundation.close(state.listenSocket) }
            state.listenSocket = -1
            state.running = false
        }
    }

    deinit {
        if state.withLock({ $0.running }) { stop() }
    }

    // MARK: - RTU

    /// Carries the RTU context into its thread. Safe: the context is used by that thread only.
    private final class ContextBox: @unchecked Sendable {
        var context: ModbusContext?
        init(context: consuming ModbusContext) { self.context = consume context }
    }

    private func serveRTU(_ box: ContextBox) {
        defer { state.withLock { $0.threads -= 1 } }
        guard let pointer = box.context?.pointer else { return }
        modbus_set_indication_timeout(pointer, 0, 200_000)
        serve(pointer, isTCP: false)
        box.context = nil
    }

    // MARK: - Requests

    /// Receives and answers requests until the peer leaves, stays silent for the idle timeout (TCP), or the
    /// server stops.
    func serve(_ context: OpaquePointer, isTCP: Bool) {
        let mapping = modbus_mapping_new(65536, 65536, 65536, 65536)!
        defer { modbus_mapping_free(mapping) }
        let headerLength = Int(modbus_get_header_length(context))
        var query = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        var lastRequest = ContinuousClock.now
        while true {
            if state.withLock({ $0.stopping }) { return }
            let length = query.withUnsafeMutableBufferPointer { modbus_receive(context, $0.baseAddress) }
            if length < 0 {
                if errno == ETIMEDOUT {
                    guard isTCP, ContinuousClock.now - lastRequest > limits.idleTimeout else { continue }
                    state.withLock { $0.statistics.connectionsIdleClosed += 1 }
                    return
                }
                if !isTCP && (errno == cmodbus_embbadcrc() || errno == EMBBADDATA_FALLBACK) { continue }
                return // peer closed or reset, or the server stops
            }
            if length == 0 { continue } // RTU: a request for another unit
            lastRequest = ContinuousClock.now
            let unit = query[headerLength - 1]
            let function = query[headerLength]
            let address = Int(query[headerLength + 1]) << 8 | Int(query[headerLength + 2])
            let quantity = Int(query[headerLength + 3]) << 8 | Int(query[headerLength + 4])
            let table: RegisterTable?
            var count = quantity
            switch function {
            case 1, 15: table = .coil
            case 5: table = .coil; count = 1
            case 2: table = .discreteInput
            case 3, 16: table = .holding
            case 6: table = .holding; count = 1
            case 4: table = .input
            default: table = nil
            }
            let (rule, store) = state.withLock { state -> (FaultRule?, RegisterStore?) in
                state.statistics.requests += 1
                var applied: FaultRule?
                if let table, let index = state.faults.firstIndex(where: { $0.matches(table: table, address: address, count: count) }) {
                    state.faultMatches[index] += 1
                    if state.faultMatches[index] % state.faults[index].every == 0 { applied = state.faults[index] }
                }
                return (applied, self.store(for: unit, isTCP: isTCP))
            }
            guard let table else {
                reply(exception: 1, context, query)
                continue
            }
            guard let store else {
                reply(exception: 11, context, query)
                continue
            }
            if let rule {
                switch rule.kind {
                case .exception(let code):
                    reply(exception: code, context, query)
                    continue
                case .noResponse:
                    continue
                case .dropConnection:
                    return
                case .delay(let delay):
                    let (seconds, attoseconds) = delay.components
                    usleep(UInt32(clamping: seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
                    if state.withLock({ $0.stopping }) { return }
                }
            }
            let valid = count >= 1 && address + count <= 65536
            if valid && (function <= 4) {
                switch table {
                case .coil: store.copyBits(.coil, address: address, count: count, to: mapping.pointee.tab_bits + address)
                case .discreteInput:
                    store.copyBits(.discreteInput, address: address, count: count, to: mapping.pointee.tab_input_bits + address)
                case .holding: store.copy(.holding, address: address, count: count, to: mapping.pointee.tab_registers + address)
                case .input: store.copy(.input, address: address, count: count, to: mapping.pointee.tab_input_registers + address)
                }
            }
            if valid && function >= 5 {
                // A write lands in the store before the answer goes out, so a client that got the answer
                // finds the value there. Malformed writes are left to modbus_reply, which answers them with
                // the right exception.
                if let values = Self.writtenValues(query, headerLength: headerLength, length: Int(length),
                                                   function: function, count: count) {
                    store.set(table, address: address, values: values)
                }
            }
            let sent = query.withUnsafeBufferPointer { modbus_reply(context, $0.baseAddress, length, mapping) }
            if sent < 0 { return }
        }
    }

    /// The values a well-formed write request (FC5, 6, 15, 16) carries; `nil` for a malformed one.
    static func writtenValues(_ query: [UInt8], headerLength h: Int, length: Int, function: UInt8, count: Int) -> [UInt16]? {
        func word(_ at: Int) -> UInt16 { UInt16(query[at]) << 8 | UInt16(query[at + 1]) }
        switch function {
        case 5:
            let value = word(h + 3)
            guard value == 0xFF00 || value == 0 else { return nil }
            return [value == 0xFF00 ? 1 : 0]
        case 6:
            return [word(h + 3)]
        case 15:
            let bytes = Int(query[h + 5])
            guard (1...1968).contains(count), bytes == (count + 7) / 8, h + 6 + bytes <= length else { return nil }
            return (0..<count).map { UInt16(query[h + 6 + $0 / 8] >> UInt8($0 % 8) & 1) }
        case 16:
            let bytes = Int(query[h + 5])
            guard (1...123).contains(count), bytes == 2 * count, h + 6 + bytes <= length else { return nil }
            return (0..<count).map { word(h + 6 + 2 * $0) }
        default:
            return nil
        }
    }

    /// The store answering a unit id: its own; else the store under 255 (answers every unit); else, for a
    /// server of one unit, that unit for requests to 255 or 0 (Modbus TCP: 0xFF addresses a device reached
    /// directly rather than through a gateway); RTU filters unit ids before this.
    private func store(for unit: UInt8, isTCP: Bool) -> RegisterStore? {
        if let store = stores[unit] ?? stores[255] { return store }
        if !isTCP || ((unit == 255 || unit == 0) && stores.count == 1) { return stores.first?.value }
        return nil
    }

    private func reply(exception code: UInt8, _ context: OpaquePointer, _ query: [UInt8]) {
        state.withLock { $0.statistics.exceptions += 1 }
        _ = query.withUnsafeBufferPointer { modbus_reply_exception(context, $0.baseAddress, UInt32(code)) }
    }
}

private let EMBBADDATA_FALLBACK = cmodbus_embbaddata()
