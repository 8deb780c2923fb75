import RegisterVocabulary
import Simulator
import Testing

@Suite struct PlantSimulationTests {
    static let tags: [SimulatedTag] = [
        SimulatedTag(name: "PW.FT101", device: "wellhead", table: .input, address: 0, dataType: .float32, wordOrder: .cdab,
                     unit: "m³/h", range: 0...400, signal: "production.flow"),
        SimulatedTag(name: "PW.TT101", device: "wellhead", table: .input, address: 2, dataType: .int16, scale: 0.1,
                     unit: "°C", range: 0...250, signal: "production.temperature"),
        SimulatedTag(name: "PW.RUN", device: "wellhead", table: .discreteInput, address: 0, dataType: .bool,
                     signal: "production.pump.running"),
        SimulatedTag(name: "DLE.AI201", device: "dle", table: .holding, address: 10, dataType: .uint16, scale: 0.1,
                     unit: "mg/L", range: 0...500, sentinel: 65535, signal: "dle.outlet.li"),
        SimulatedTag(name: "DLE.C1.PH", device: "dle", table: .holding, address: 20, dataType: .uint16,
                     signal: "dle.column.1.phase"),
        SimulatedTag(name: "DLE.TAG", device: "dle", table: .holding, address: 30, dataType: .string, length: 4),
    ]

    @Test func servedValuesTrackTheTruthWithUnitConversion() throws {
        var simulation = try PlantSimulation(tags: Self.tags, seed: 3)
        for _ in 0..<120 { simulation.step() }
        // 70 L/s = 252 m³/h: the tag's unit differs from the catalogue's.
        #expect(abs(simulation.truth[0] - 252) < 1e-9)
        #expect(abs(simulation.served[0] - 252) < 5 * 0.4 + 1e-3, "noise σ = 0.1 % of 400")
        #expect(abs(simulation.served[1] - 165) <= 0.05 + 5 * 0.25)
        #expect(simulation.served[2] == 1)
        #expect([1.0, 2, 3].contains(simulation.served[4]))
        let writes = simulation.registerWrites(device: "wellhead")
        #expect(writes.count == 3)
        let flow = RegisterCodec.decodeRaw(writes[0].values, as: .float32, order: .cdab)
        #expect(abs(flow - simulation.served[0]) < 1e-4 * flow)
    }

    @Test func sameSeedSameRunDifferentSeedDifferentNoise() throws {
        func run(seed: UInt64) throws -> [[Double]] {
            var simulation = try PlantSimulation(tags: Self.tags, scenario: try Scenario.parse("name: n\nevents: [{at: 60, for: 60, kind: noise-burst, signal: production.flow, value: 5}, {at: 200, kind: pump-trip}]"), seed: seed)
            var trace: [[Double]] = []
            for _ in 0..<600 {
                simulation.step()
                trace.append(simulation.served)
            }
            return trace
        }
        let a = try run(seed: 11), b = try run(seed: 11), c = try run(seed: 12)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func scenarioEventsActOnTheirTargets() throws {
        let scenario = try Scenario.parse("""
            name: t
            events:
              - {at: 10, for: 20, kind: dropout, tag: DLE.AI201}
              - {at: 10, for: 20, kind: exception, signal: dle.outlet.li, range: [10, 11], code: 2}
              - {at: 40, for: 400, kind: pump-trip}
            """)
        var simulation = try PlantSimulation(tags: Self.tags, scenario: scenario, seed: 1)
        for _ in 0..<15 { simulation.step() }
        #expect(simulation.registerWrites(device: "dle")[0].values == [65535])
        #expect(simulation.deviceFaults["dle"]?.exceptions.first?.code == 2)
        #expect(simulation.deviceFaults["wellhead"] == nil)
        for _ in 0..<20 { simulation.step() }
        #expect(simulation.registerWrites(device: "dle")[0].values != [65535])
        #expect(simulation.deviceFaults.isEmpty)
        for _ in 0..<200 { simulation.step() }
        #expect(simulation.served[2] == 0, "pump tripped")
        #expect(simulation.truth[0] < 1)
    }

    @Test func scenariosNamingWhatThePlantLacksAreRejected() throws {
        let missingTag = try Scenario.parse("name: t\nevents: [{at: 1, kind: stuck, tag: NOPE}]")
        #expect(throws: SimulationError.self) { try PlantSimulation(tags: Self.tags, scenario: missingTag) }
        let missingDevice = try Scenario.parse("name: t\nevents: [{at: 1, kind: restart, device: nope}]")
        #expect(throws: SimulationError.self) { try PlantSimulation(tags: Self.tags, scenario: missingDevice) }
        let badSignal = [SimulatedTag(name: "X", device: "d", table: .holding, address: 0, dataType: .uint16, signal: "dle.column.9.dp")]
        #expect(throws: SimulationError.self) { try PlantSimulation(tags: badSignal) }
    }
}
