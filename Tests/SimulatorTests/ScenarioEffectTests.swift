import Foundation
import Historian
import Modbus
import PlantConfig
import Simulator
import Testing

/// Each communication fault and process upset shows the effect it promises, and the run recovers when the
/// event ends; recordings are deterministic.
@Suite(.serialized) struct ScenarioEffectTests {
    /// Steps the simulation to `time` and publishes.
    func advance(_ simulation: inout PlantSimulation, to time: Double, _ servers: SimulatorServers) {
        while simulation.time < time { simulation.step() }
        servers.publish(simulation)
    }

    @Test func communicationFaultsActAndEnd() async throws {
        let plant = try TestSupport.plant("demo")
        let scenario = try Scenario.parse("""
            name: comm
            events:
              - {at: 10, for: 10, kind: exception, device: demo-wellhead, table: input, range: [0, 9], code: 2}
              - {at: 30, for: 10, kind: late-response, device: demo-wellhead, value: 1}
              - {at: 50, for: 10, kind: no-response, device: demo-wellhead}
              - {at: 70, for: 10, kind: drop-connections, device: demo-wellhead}
              - {at: 90, for: 10, kind: restart, device: demo-wellhead}
            """)
        var simulation = try PlantSimulation(plant: plant, scenario: scenario)
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        try servers.start()
        defer { servers.stop() }
        let served = servers.servedPlant(plant)
        let endpoint = served.devices[0].endpoint.modbusEndpoint
        let client = ModbusClient(endpoint: endpoint, timeouts: ModbusTimeouts(connect: .milliseconds(300), response: .milliseconds(300)))
        let other = ModbusClient(endpoint: served.devices[1].endpoint.modbusEndpoint)
        func read() async throws -> [UInt16] { try await client.readInputRegisters(address: 0, count: 2) }
        func expectFailure(_ code: ModbusError.Code, _ comment: Comment) async {
            do {
                _ = try await read()
                Issue.record("read succeeded: \(comment)")
            } catch let error as ModbusError {
                #expect(error.code == code, comment)
            } catch { Issue.record("\(error)") }
        }
        advance(&simulation, to: 5, servers)
        #expect(try await read().count == 2)
        advance(&simulation, to: 15, servers)
        await expectFailure(.illegalDataAddress, "exception for input 0…9")
        #expect(try await client.readInputRegisters(address: 20, count: 2).count == 2, "outside the range")
        advance(&simulation, to: 35, servers)
        await expectFailure(.timeout, "late answers")
        advance(&simulation, to: 55, servers)
        await expectFailure(.timeout, "no answer")
        #expect(try await other.readInputRegisters(address: 0, count: 2).count == 2, "other devices are unaffected")
        advance(&simulation, to: 75, servers)
        await expectFailure(.connectionReset, "dropped connection")
        advance(&simulation, to: 95, servers)
        await expectFailure(.connectFailed, "restarting device")
        advance(&simulation, to: 105, servers)
        #expect(try await read().count == 2, "recovered after the restart")
    }

    @Test func recordingsAreDeterministic() throws {
        func record(seed: UInt64) throws -> [Double] {
            let plant = try TestSupport.plant("demo")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-run-\(UUID()).sqlite").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let scenario = try Scenario.load("pump-trip")
            var simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: seed)
            let recorder = try RunRecorder(path: path, plant: plant, file: "demo.yaml", scenario: scenario, seed: seed, simulation: simulation)
            for _ in 0..<600 {
                simulation.step()
                try recorder.record(simulation)
            }
            try recorder.finish()
            let historian = try Historian(path: path)
            #expect(try historian.runs().first?.seed == Int64(seed))
            return try historian.samples("PW1.FT101", from: 0, to: .max).map(\.value)
        }
        let a = try record(seed: 4), b = try record(seed: 4), c = try record(seed: 5)
        #expect(a.count == 600)
        #expect(a == b)
        #expect(a != c)
    }
}
