import Foundation
import Modbus
import RegisterVocabulary
import Testing

/// Our client against our server on 127.0.0.1 with an ephemeral port: every function code, unit ids,
/// exceptions, timeouts, dropped connections, reconnection, concurrency and interruption.
@Suite(.serialized) struct ClientServerTests {
    /// Starts a server on 127.0.0.1:0 and returns it with a client for `unit`.
    func serve(_ store: RegisterStore = RegisterStore(), unit: UInt8 = 1,
               timeouts: ModbusTimeouts = ModbusTimeouts(response: .milliseconds(300))) throws -> (ModbusServer, ModbusClient, Int) {
        let server = ModbusServer(endpoint: .tcp(host: "127.0.0.1", port: 0), unitID: 1, store: store)
        let port = try server.start()
        #expect(port > 0)
        return (server, ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), unitID: unit, timeouts: timeouts), port)
    }

    @Test func everyFunctionCode() async throws {
        let store = RegisterStore()
        store.update { tables in
            tables.set(.holding, address: 100, values: [1, 2, 3])
            tables.set(.input, address: 7, values: [0xBEEF])
            tables.set(.coil, address: 3, values: [1, 0, 1])
            tables.set(.discreteInput, address: 9, values: [1])
        }
        let (server, client, _) = try serve(store)
        defer { server.stop() }
        #expect(try await client.readHoldingRegisters(address: 100, count: 3) == [1, 2, 3])          // FC3
        #expect(try await client.readInputRegisters(address: 7, count: 1) == [0xBEEF])              // FC4
        #expect(try await client.readCoils(address: 3, count: 3) == [true, false, true])            // FC1
        #expect(try await client.readDiscreteInputs(address: 8, count: 2) == [false, true])         // FC2
        try await client.writeCoil(address: 10, value: true)                                        // FC5
        try await client.writeRegister(address: 200, value: 0x1234)                                // FC6
        try await client.writeCoils(address: 20, values: [true, true, false, true])                 // FC15
        try await client.writeRegisters(address: 300, values: [9, 8, 7])                            // FC16
        #expect(store.registers(.coil, address: 10, count: 1) == [1])
        #expect(store.registers(.holding, address: 200, count: 1) == [0x1234])
        #expect(store.registers(.coil, address: 20, count: 4) == [1, 1, 0, 1])
        #expect(store.registers(.holding, address: 300, count: 3) == [9, 8, 7])
        #expect(try await client.read(.holding, address: 300, count: 125).prefix(3) == [9, 8, 7])
        #expect(try await client.read(.coil, address: 20, count: 2000).prefix(4) == [1, 1, 0, 1])
        let statistics = await client.statistics
        #expect(statistics.requests == 10 && statistics.errors == 0 && statistics.connects == 1)
    }

    @Test func invalidArgumentsFailBeforeAnyIO() async throws {
        let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: 1))
        await #expect(throws: ModbusError.self) { try await client.readHoldingRegisters(address: 0, count: 126) }
        await #expect(throws: ModbusError.self) { try await client.readCoils(address: 0, count: 2001) }
        await #expect(throws: ModbusError.self) { try await client.readInputRegisters(address: 65535, count: 2) }
        await #expect(throws: ModbusError.self) { try await client.writeRegisters(address: 0, values: []) }
        do {
            _ = try await client.readHoldingRegisters(address: -1, count: 1)
        } catch ModbusError.invalidArgument {
        } catch { Issue.record("expected invalidArgument, got \(error)") }
        let connects = await client.statistics.connects
        let connected = await client.isConnected
        #expect(connects == 0 && !connected)
    }

    @Test func connectFailureIsTypedAndFast() async throws {
        // A port nobody listens on: bind one, close it, connect to it.
        let (server, _, port) = try serve()
        server.stop()
        let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port))
        let start = ContinuousClock.now
        do {
            _ = try await client.readHoldingRegisters(address: 0, count: 1)
            Issue.record("read from a closed port")
        } catch ModbusError.connectFailed {
        } catch { Issue.record("expected connectFailed, got \(error)") }
        #expect(start.duration(to: .now) < .seconds(2))
    }

    @Test func unknownUnitIDGetsGatewayException() async throws {
        let (server, client, _) = try serve(unit: 9)
        defer { server.stop() }
        do {
            _ = try await client.readHoldingRegisters(address: 0, count: 1)
            Issue.record("unit 9 has no store")
        } catch ModbusError.gatewayTargetFailedToRespond {
        } catch { Issue.record("got \(error)") }
    }

    @Test func exceptionForARangeOnly() async throws {
        let (server, client, _) = try serve()
        defer { server.stop() }
        server.setFaults([FaultRule(table: .holding, range: 100...109, kind: .exception(2))])
        do {
            _ = try await client.readHoldingRegisters(address: 105, count: 2)
            Issue.record("expected an exception")
        } catch let error as ModbusError {
            #expect(error.code == .illegalDataAddress && error.exceptionCode == 2 && error.address == 105)
        }
        // Outside the range, and other tables, still answer; an exception keeps the connection.
        #expect(try await client.readHoldingRegisters(address: 110, count: 2) == [0, 0])
        #expect(try await client.readInputRegisters(address: 105, count: 1) == [0])
        #expect(await client.statistics.connects == 1)
    }

    @Test func lateResponseTimesOutThenTheClientReconnects() async throws {
        let (server, client, _) = try serve(timeouts: ModbusTimeouts(response: .milliseconds(200)))
        defer { server.stop() }
        server.setFaults([FaultRule(kind: .delay(.milliseconds(700)))])
        let start = ContinuousClock.now
        do {
            _ = try await client.readHoldingRegisters(address: 0, count: 1)
            Issue.record("expected a timeout")
        } catch ModbusError.timeout {
        } catch { Issue.record("got \(error)") }
        let waited = start.duration(to: .now)
        #expect(waited >= .milliseconds(190) && waited < .seconds(2), "waited \(waited)")
        let connected = await client.isConnected
        #expect(!connected, "a timeout closes the link: a late answer must not be taken for the next")
        server.setFaults([])
        #expect(try await client.readHoldingRegisters(address: 0, count: 1) == [0])
        #expect(await client.statistics.connects == 2)
    }

    @Test func droppedConnectionIsResetThenReconnects() async throws {
        let (server, client, _) = try serve()
        defer { server.stop() }
        #expect(try await client.readHoldingRegisters(address: 0, count: 1) == [0])
        server.setFaults([FaultRule(kind: .dropConnection)])
        do {
            _ = try await client.readHoldingRegisters(address: 0, count: 1)
            Issue.record("expected a reset")
        } catch ModbusError.connectionReset {
        } catch { Issue.record("got \(error)") }
        server.setFaults([])
        #expect(try await client.readHoldingRegisters(address: 0, count: 1) == [0])
        #expect(await client.statistics.connects == 2)
    }

    @Test func serverRestartOnTheSamePort() async throws {
        let (server, client, _) = try serve()
        #expect(try await client.readHoldingRegisters(address: 0, count: 1) == [0])
        server.stop()
        await #expect(throws: ModbusError.self) { try await client.readHoldingRegisters(address: 0, count: 1) }
        try server.start()
        defer { server.stop() }
        #expect(try await client.readHoldingRegisters(address: 0, count: 1) == [0])
    }

    @Test func interruptUnblocksABlockedRequest() async throws {
        let (server, client, _) = try serve(timeouts: ModbusTimeouts(response: .seconds(10)))
        defer { server.stop() }
        try await client.connect()
        server.setFaults([FaultRule(kind: .noResponse)])
        let start = ContinuousClock.now
        async let blocked: [UInt16] = client.readHoldingRegisters(address: 0, count: 1)
        // Wait until the request is in flight (the server counts it), with a deadline.
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while server.statistics.requests == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        client.interrupt()
        do {
            _ = try await blocked
            Issue.record("an unanswered request returned")
        } catch ModbusError.connectionReset {
        } catch { Issue.record("got \(error)") }
        #expect(start.duration(to: .now) < .seconds(5), "interrupt must not wait for the 10 s timeout")
    }

    @Test func concurrentClientsNeverSeeTornValues() async throws {
        let store = RegisterStore()
        let (server, _, port) = try serve(store)
        defer { server.stop() }
        let writer = Task {
            var n: UInt16 = 0
            while !Task.isCancelled {
                n &+= 1
                store.update { $0.set(.holding, address: 0, values: [n, n, n, n]) }
                await Task.yield()
            }
        }
        defer { writer.cancel() }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port))
                    var torn = 0
                    for _ in 0..<300 {
                        let values = try await client.readHoldingRegisters(address: 0, count: 4)
                        if Set(values).count != 1 { torn += 1 }
                    }
                    return torn
                }
            }
            var torn = 0
            for try await count in group { torn += count }
            #expect(torn == 0)
        }
        #expect(server.statistics.connectionsAccepted == 4)
    }
}
