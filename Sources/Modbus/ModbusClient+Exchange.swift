internal import CModbus
import Foundation
import RegisterVocabulary

extension ModbusClient {
    /// Runs one request and checks its answer: reconnects if needed, sends the frame (TCP: our own MBAP header
    /// with a fresh transaction id, written in one call; RTU: `modbus_send_raw_request`, which adds the CRC),
    /// receives it with `modbus_receive_confirmation` (libmodbus frames it by function code within the response
    /// and byte timeouts) and checks every field with ``ModbusExchange``. A failure that leaves the link in
    /// doubt closes it.
    ///
    /// - Parameters:
    ///   - quantity: the read's or multiple write's quantity, or the single write's value.
    ///   - data: the bytes after the byte count of FC15/FC16 (the byte count is added here).
    /// - Returns: where a read's data bytes sit in ``answerFrame``; empty for writes.
    func exchange(_ operation: String, function: UInt8, address: Int, quantity: Int, data: [UInt8] = []) throws -> Range<Int> {
        try Task.checkCancellation()
        let isTCP = if case .tcp = endpoint { true } else { false }
        // A device (or our simulator) may close a connection left idle; seen before the request, it costs a
        // reconnect instead of a failed poll. Stray bytes waiting there would be taken for the answer: same remedy.
        if isTCP, let last = lastExchange, ContinuousClock.now - last > .milliseconds(100), let socket = context?.socket,
           !Self.isQuiet(socket) {
            close()
        }
        try connect()
        guard let pointer = context?.pointer else {
            throw ModbusError(.notConnected, operation: operation, address: address)
        }
        defer { lastExchange = .now }
        transactionID &+= 1
        let expected = ModbusExchange(framing: isTCP ? .tcp : .rtu, transactionID: transactionID, unitID: unitID,
                                      anyUnit: anyUnit, function: function, address: UInt16(address),
                                      quantity: UInt16(truncatingIfNeeded: quantity))
        let length = buildRequest(expected, data: data, mbap: isTCP)
        let start = ContinuousClock.now
        statistics.requests += 1
        do {
            try send(pointer, length: length, isTCP: isTCP, operation: operation, address: address)
            let received = answerFrame.withUnsafeMutableBufferPointer { modbus_receive_confirmation(pointer, $0.baseAddress) }
            if received < 0 { throw ModbusError.fromErrno(errno, operation: operation, address: address) }
            guard received > 0 else {
                // libmodbus's RTU backend drops an answer from another unit address before its CRC check.
                throw ModbusError(.badResponse, operation: operation, address: address,
                                  detail: "answer from another unit address than \(unitID)")
            }
            let answer: ModbusExchange.Answer
            do throws(ModbusAnswerViolation) {
                answer = try answerFrame.withUnsafeBufferPointer { frame throws(ModbusAnswerViolation) in
                    try expected.check(UnsafeBufferPointer(rebasing: frame[0..<Int(received)]))
                }
            } catch {
                statistics.badResponses += 1
                throw ModbusError(.badResponse, operation: operation, address: address, detail: error.description)
            }
            statistics.lastLatency = start.duration(to: .now)
            switch answer {
            case .data(let range): return range
            case .acknowledged: return 0..<0
            case .exception(let code):
                throw ModbusError(.exception(code), operation: operation, address: address)
            }
        } catch let error as ModbusError {
            statistics.errors += 1
            if error.code == .timeout { statistics.timeouts += 1 }
            if error.exceptionCode != nil { statistics.exceptions += 1 }
            if error.code.breaksConnection { close() }
            throw error
        }
    }

    /// Whether an idle connection is still open with nothing waiting on it (a peek that would block).
    static func isQuiet(_ socket: Int32) -> Bool {
        var byte: UInt8 = 0
        let received = recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    /// Writes the request into ``requestFrame``: the MBAP header (TCP) or the unit address (RTU, for
    /// `modbus_send_raw_request`), then the PDU. Returns its length. Allocates nothing.
    private func buildRequest(_ exchange: ModbusExchange, data: [UInt8], mbap: Bool) -> Int {
        let multiple = exchange.function == 15 || exchange.function == 16
        let pduLength = 5 + (multiple ? 1 + data.count : 0)
        return requestFrame.withUnsafeMutableBufferPointer { frame in
            var i = 0
            func put(_ byte: UInt8) {
                frame[i] = byte
                i += 1
            }
            func put(_ word: UInt16) {
                put(UInt8(word >> 8))
                put(UInt8(word & 0xFF))
            }
            if mbap {
                put(exchange.transactionID)
                put(UInt16(0))
                put(UInt16(pduLength + 1))
            }
            put(exchange.unitID)
            put(exchange.function)
            put(exchange.address)
            put(exchange.quantity)
            if multiple {
                put(UInt8(data.count))
                for byte in data { put(byte) }
            }
            return i
        }
    }

    /// Sends ``requestFrame``'s first `length` bytes: on TCP with `send` (the socket is non-blocking: a full send
    /// buffer waits, bounded by the response timeout); on RTU through libmodbus, which adds the CRC.
    private func send(_ pointer: OpaquePointer, length: Int, isTCP: Bool, operation: String, address: Int) throws {
        guard isTCP else {
            let sent = requestFrame.withUnsafeBufferPointer { modbus_send_raw_request(pointer, $0.baseAddress, Int32(length)) }
            if sent < 0 { throw ModbusError.fromErrno(errno, operation: operation, address: address) }
            return
        }
        let socket = modbus_get_socket(pointer)
        var offset = 0
        let deadline = ContinuousClock.now.advanced(by: timeouts.response)
        while offset < length {
            let sent = requestFrame.withUnsafeBufferPointer {
                Foundation.send(socket, $0.baseAddress! + offset, length - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            let failure = errno
            if sent < 0 && failure == EINTR { continue }
            guard sent < 0, failure == EAGAIN || failure == EWOULDBLOCK, ContinuousClock.now < deadline else {
                throw ModbusError.fromErrno(sent == 0 ? ECONNRESET : failure, operation: operation, address: address)
            }
            var descriptor = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
            _ = poll(&descriptor, 1, 10)
        }
    }
}
