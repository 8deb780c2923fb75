import Foundation
import Modbus
import RegisterVocabulary
import Testing

/// Our client against Tests/Peers/hostile_modbus_server.py, a server that breaks one framing rule per block of
/// 100 addresses. Before answers were checked (issue 20, point 2), the unit id, protocol id 0x0100 and MBAP length
/// modes returned their registers as if valid (libmodbus 3.1.6 lets them through) and the monitor stored them as
/// good samples; now each fails with `badResponse` naming the field, and closes the connection.
@Suite(.serialized) struct HostileServerTests {
    /// The peer, started on 127.0.0.1 with a free port; stopped by `stop()`.
    final class HostilePeer: Sendable {
        let process: Process
        let port: Int

        init() throws {
            let python = ProcessInfo.processInfo.environment["GEOLITH_PEER_PYTHON"] ?? "/usr/bin/python3"
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Peers/hostile_modbus_server.py").path
            process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            // One line, "READY <port>"; the peer prints it as soon as it listens.
            let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            guard line.hasPrefix("READY "), let port = Int(line.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                kill(process.processIdentifier, SIGKILL)
                throw ModbusError(.connectFailed, operation: "start hostile peer", detail: line)
            }
            self.port = port
        }

        func client(anyUnit: Bool = false) -> ModbusClient {
            ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), unitID: 1, anyUnit: anyUnit,
                         timeouts: ModbusTimeouts(response: .milliseconds(500)))
        }

        /// SIGKILL: a test process may have SIGTERM ignored (the daemon's tests do), and children inherit that.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Mode (address block) → the field the violation must name.
    static let violations: [(mode: Int, field: String)] = [
        (1, "unit id"), (2, "protocol id"), (3, "protocol id"), (4, "MBAP length"), (5, "MBAP length"),
        (6, "transaction id"), (7, "byte count"), (8, "byte count"), (9, "function code"), (10, "exception code"),
    ]

    @Test func everyViolationIsABadResponseNamingItsField() async throws {
        let peer = try HostilePeer()
        defer { peer.stop() }
        let client = peer.client()
        // The valid mode answers, so the peer itself is right.
        #expect(try await client.readHoldingRegisters(address: 10, count: 3) == [10, 11, 12])
        #expect(try await client.readCoils(address: 11, count: 3) == [true, false, true])
        for (mode, field) in Self.violations {
            for table in [RegisterTable.holding, .input, .coil] {
                do {
                    let values = try await client.read(table, address: mode * 100 + 2, count: 2)
                    Issue.record("mode \(mode) \(table): accepted \(values)")
                } catch let error as ModbusError {
                    #expect(error.code == .badResponse, "mode \(mode) \(table): \(error)")
                    #expect("\(error)".contains(field), "mode \(mode) \(table): \(error)")
                    #expect(await !client.isConnected, "a bad answer closes the link")
                }
            }
        }
        let statistics = await client.statistics
        #expect(statistics.badResponses == Self.violations.count * 3)
        // After all that the device is still usable: the next request reconnects.
        #expect(try await client.readInputRegisters(address: 20, count: 1) == [20])
    }

    @Test func writesWithAWrongEchoFail() async throws {
        let peer = try HostilePeer()
        defer { peer.stop() }
        let client = peer.client()
        try await client.writeRegister(address: 50, value: 7)
        try await client.writeRegisters(address: 50, values: [1, 2])
        try await client.writeCoils(address: 50, values: [true, false, true])
        for write in [0, 1, 2, 3] {
            do {
                switch write {
                case 0: try await client.writeRegister(address: 1100, value: 7)
                case 1: try await client.writeRegisters(address: 1100, values: [1, 2])
                case 2: try await client.writeCoil(address: 1100, value: true)
                default: try await client.writeCoils(address: 1100, values: [true])
                }
                Issue.record("write \(write) accepted a wrong echo")
            } catch let error as ModbusError {
                #expect(error.code == .badResponse && "\(error)".contains("write echo"), "\(error)")
            }
        }
    }

    @Test func aGatewayAnsweringForAnyUnitIsAcceptedOnlyWhenTheDeviceSaysSo() async throws {
        let peer = try HostilePeer()
        defer { peer.stop() }
        let strict = peer.client()
        await #expect(throws: ModbusError.self) { try await strict.readHoldingRegisters(address: 100, count: 2) }
        let gateway = peer.client(anyUnit: true)
        #expect(try await gateway.readHoldingRegisters(address: 100, count: 2) == [100, 101])
        // The other checks still hold for a gateway.
        await #expect(throws: ModbusError.self) { try await gateway.readHoldingRegisters(address: 200, count: 2) }
    }

    @Test func strayBytesAfterAnAnswerAreCaughtByTheNextAnswer() async throws {
        let peer = try HostilePeer()
        defer { peer.stop() }
        let client = peer.client()
        // The answer itself is whole; the two bytes after it make the next answer's transaction id wrong.
        #expect(try await client.readHoldingRegisters(address: 1200, count: 2) == [1200, 1201])
        do {
            _ = try await client.readHoldingRegisters(address: 10, count: 2)
            Issue.record("stray bytes were taken for an answer")
        } catch let error as ModbusError {
            #expect(error.code == .badResponse, "\(error)")
        }
        #expect(try await client.readHoldingRegisters(address: 10, count: 2) == [10, 11])
    }
}
