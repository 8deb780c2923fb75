import Foundation
import Historian
import Modbus
import PlantConfig
import RegisterVocabulary
import Simulator
import SimulatorRecording
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
            let historian = try SQLiteHistorian(path: path)
            #expect(try historian.runs().first?.seed == Int64(seed))
            return try historian.samples("PW1.FT101", from: 0, to: .max).map(\.value)
        }
        let a = try record(seed: 4), b = try record(seed: 4), c = try record(seed: 5)
        #expect(a.count == 600)
        #expect(a == b)
        #expect(a != c)
    }
}

/// RTU serving over a socat pseudo-terminal pair, and no torn values while values change quickly.
@Suite(.serialized) struct SimulatorRTUAndTearingTests {
    static var socat: String? {
        ["/usr/bin/socat", "/bin/socat"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: socat != nil, "socat is not installed (make test installs it)"))
    func servesAnRTUDeviceOverAPtyPair() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.socat!)
        process.arguments = ["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        defer { kill(process.processIdentifier, SIGKILL) }
        var text = ""
        var paths: [String] = []
        let deadline = Date().addingTimeInterval(5)
        while paths.count < 2 && Date() < deadline {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            paths = text.split(separator: "\n").compactMap { line in line.range(of: "PTY is ").map { String(line[$0.upperBound...]) } }
        }
        try #require(paths.count == 2, "socat: \(text)")
        // The demo's DLE skid as an RTU device on one end of the pair.
        var plant = try TestSupport.plant("demo")
        plant.devices[1].endpoint = .rtu(device: "/dev/null", baud: 19200, parity: .even, dataBits: 8, stopBits: 1)
        var simulation = try PlantSimulation(plant: plant)
        for _ in 0..<30 { simulation.step() }
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true, rtuDevices: [plant.devices[1].name: paths[0]])
        try servers.start()
        defer { servers.stop() }
        servers.publish(simulation)
        let client = ModbusClient(endpoint: .rtu(RTUSettings(device: paths[1], baud: 19200, parity: .even)), unitID: UInt8(plant.devices[1].unitID))
        for tag in plant.devices[1].tags where tag.dataType == .float32 {
            let registers = try await client.read(tag.table, address: tag.address, count: 2)
            let value = RegisterCodec.decode(registers, as: .float32, order: tag.wordOrder, scale: tag.scale, offset: tag.offset)
            let served = simulation.served[simulation.index(ofTag: tag.name)!]
            #expect(abs(value - served) <= 1e-6 * max(1, abs(served)), "\(tag.name)")
        }
        await client.close()
    }

    /// Four clients read float64 tags while the simulation advances as fast as possible: each value read
    /// must be one the simulator served at some step (a torn value would be none of them).
    @Test func noTornValuesWhileValuesChangeQuickly() async throws {
        let plant = try TestSupport.plant("demo")
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        try servers.start()
        defer { servers.stop() }
        let served = servers.servedPlant(plant)
        let tag = try #require(served.devices[0].tags.first { $0.name == "PW1.FT101" })
        let endpoint = served.devices[0].endpoint.modbusEndpoint
        // The energy-like totaliser changes every step; flow with noise changes every step too.
        let stepper = Task { () -> Set<UInt32> in
            var simulation = try PlantSimulation(plant: plant, seed: 3)
            var seen: Set<UInt32> = []
            for _ in 0..<3000 {
                simulation.step()
                servers.publish(simulation)
                let value = simulation.served[simulation.index(ofTag: tag.name)!]
                seen.insert(Float(value).bitPattern)
                await Task.yield()
            }
            return seen
        }
        let reads = try await withThrowingTaskGroup(of: [UInt32].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let client = ModbusClient(endpoint: endpoint)
                    var values: [UInt32] = []
                    for _ in 0..<300 {
                        let registers = try await client.read(tag.table, address: tag.address, count: 2)
                        values.append(Float(RegisterCodec.decodeRaw(registers, as: .float32, order: tag.wordOrder)).bitPattern)
                    }
                    return values
                }
            }
            var all: [UInt32] = []
            for try await values in group { all += values }
            return all
        }
        let seen = try await stepper.value
        let initial = Float(try PlantSimulation(plant: plant, seed: 3).served[0]).bitPattern
        let torn = reads.filter { !seen.contains($0) && $0 != 0 && $0 != initial }
        #expect(torn.isEmpty, "\(torn.count) of \(reads.count) reads were never served")
    }
}
