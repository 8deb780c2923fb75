import PlantConfig
import ProcessModel
import Simulator
import Testing

/// The simulator takes every figure from the plant's one parameter set: each key the catalogue lists for the
/// plant's dynamics changes the simulated plant, so no constant of the simulator's own stands in for it.
@Suite struct OneParameterSetTests {
    /// Every signal over 30 minutes of running, a pump trip of 20 minutes and 30 minutes after the restart.
    static func trace(_ overrides: [(key: String, value: String)]) throws -> [[Double]] {
        let plant = try TestSupport.plant("demo")
        var dynamics = PlantDynamics(design: try SimulatedPlantDesign(plant: plant, overrides: overrides))
        var trace: [[Double]] = []
        for second in 0..<(80 * 60) {
            dynamics.disturbances.pumpTripped = (1800..<3000).contains(second)
            dynamics.step(1)
            if second % 10 == 0 { trace.append(dynamics.values) }
        }
        return trace
    }

    /// A value inside the key's range that differs from the plant's.
    static func other(_ parameter: ProcessParameter, in p: FlowsheetParameters) -> String? {
        guard case let .number(_, range) = parameter.kind else { return nil }
        let current = parameter.value(in: p).flatMap(Double.init)
        let candidate = current.map { $0 == 0 ? 1 : $0 * 0.7 } ?? (range.lowerBound + range.upperBound) / 2
        return "\(min(max(candidate, range.lowerBound), range.upperBound))"
    }

    static let keys = ProcessParameterCatalogue.all.filter { $0.use == .dynamics }.map(\.key)

    @Test(arguments: keys)
    func everyDynamicsKeyChangesTheSimulatedPlant(key: String) throws {
        let parameter = try #require(ProcessParameterCatalogue.parameter(key))
        let plant = try TestSupport.plant("demo")
        let value = try #require(Self.other(parameter, in: try plant.flowsheetParameters()), "a number key")
        let baseline = try Self.trace([]), changed = try Self.trace([(key, value)])
        #expect(baseline != changed, "\(key)=\(value) changes nothing the simulator serves")
    }

    @Test func theDynamicsKeysAreTheSimulatorsFigures() {
        // Pump and wellhead, pressures, tanks and silo: what SimulatedPlantParameters used to hold on its own.
        for key in ["production.pump_head_m", "production.shut_in_temperature_c", "dle.pressure_drop_bar",
                    "concentration.pressure_bar", "refining.buffer_tank_m3", "refining.product_silo_t",
                    "reinjection.pressure_bar", "brine.ph"] {
            #expect(Self.keys.contains(key), "\(key)")
        }
    }
}
