import Foundation
import Modbus
import PlantConfig
import RegisterVocabulary
import Simulator
import Testing

/// The simulator serves exactly the registers of each shipped plant description; our client and an
/// independent one (pymodbus) read every tag and decode the served values.
@Suite(.serialized) struct SimulatorServingTests {
    /// Starts the simulation of `plant` on ephemeral loopback ports after `seconds` simulated seconds.
    func serve(_ name: String, seconds: Int = 120, seed: UInt64 = 1) throws -> (Plant, PlantSimulation, SimulatorServers) {
        let plant = try TestSupport.plant(name)
        var simulation = try PlantSimulation(plant: plant, seed: seed)
        for _ in 0..<seconds { simulation.step() }
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        try servers.start()
        servers.publish(simulation)
        return (servers.servedPlant(plant), simulation, servers)
    }

    @Test(arguments: TestSupport.shippedPlants)
    func ourClientReadsEveryTagOfEveryShippedPlant(name: String) async throws {
        let (plant, simulation, servers) = try serve(name)
        defer { servers.stop() }
        var checked = 0
        for device in plant.devices {
            let client = ModbusClient(endpoint: device.endpoint.modbusEndpoint, unitID: UInt8(device.unitID))
            for tag in device.tags {
                let index = try #require(simulation.index(ofTag: tag.name))
                let registers = try await client.read(tag.table, address: tag.address, count: max(1, tag.registerCount))
                if tag.dataType == .string {
                    #expect(!RegisterCodec.decodeString(registers, order: tag.wordOrder).isEmpty)
                    continue
                }
                let value = RegisterCodec.decode(registers, as: tag.dataType, order: tag.wordOrder, scale: tag.scale, offset: tag.offset)
                let served = simulation.served[index]
                #expect(abs(value - served) <= 1e-6 * max(1, abs(served)), "\(tag.name): decoded \(value), served \(served)")
                // The served value is the truth plus the sensor model: 0.1 % of span noise (≤ 6σ here),
                // one quantum of the register, and the 2 s lag, settled after 120 s.
                let span = tag.range.map { $0.upperBound - $0.lowerBound } ?? 0
                // A transmitter saturates at the ends of its span (e.g. a column's outlet analyser while the
                // column elutes), so compare with the truth clamped to the span.
                let tolerance = 6 * 0.001 * span + abs(tag.scale) + 1e-9
                var truth = simulation.truth[index]
                if let range = tag.range { truth = min(max(truth, range.lowerBound), range.upperBound) }
                #expect(abs(served - truth) <= tolerance || tag.signal == nil,
                        "\(tag.name): served \(served), truth \(simulation.truth[index])")
                checked += 1
            }
            await client.close()
        }
        #expect(checked >= 35)
    }

    @Test(.enabled(if: TestSupport.peerPython != nil, "pymodbus not available (make test installs it in .venv-peers)"),
          arguments: ["demo", "rittershoffen"])
    func pymodbusReadsTheSameValues(name: String) throws {
        let (plant, simulation, servers) = try serve(name)
        defer { servers.stop() }
        let script = TestSupport.repository.appendingPathComponent("Tests/Peers/pymodbus_client.py").path
        for device in plant.devices {
            guard case .tcp(let host, let port) = device.endpoint else { continue }
            let tags = device.tags.filter { $0.dataType != .string }
            let spec: [String: Any] = ["unit": device.unitID, "tags": tags.map { tag -> [String: Any] in
                ["name": tag.name, "table": tag.table.rawValue, "address": tag.address, "type": tag.dataType.rawValue,
                 "order": tag.wordOrder.rawValue, "scale": tag.scale, "offset": tag.offset]
            }]
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-peer-\(UUID()).json")
            try JSONSerialization.data(withJSONObject: spec).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let output = try TestSupport.run(TestSupport.peerPython!, [script, host, String(port), file.path])
            #expect(output.status == 0, "\(output.stderr)")
            let decoded = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
            for tag in tags {
                let index = try #require(simulation.index(ofTag: tag.name))
                let served = simulation.served[index]
                if served.isNaN {
                    #expect(decoded[tag.name] as? String == "nan")
                    continue
                }
                let value = try #require(decoded[tag.name] as? Double, "\(tag.name): \(String(describing: decoded[tag.name]))")
                #expect(abs(value - served) <= 1e-6 * max(1, abs(served)), "\(tag.name): pymodbus \(value), served \(served)")
            }
        }
    }
}
