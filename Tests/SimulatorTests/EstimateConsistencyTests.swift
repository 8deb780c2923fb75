import PlantConfig
import ProcessModel
import Simulator
import Testing

/// The simulator and `geolith estimate` compute one plant: on every shipped plant the simulated means over two
/// days (whole cycles, after a cycle of start-up) are within 2 % of the estimate of the same file.
@Suite struct EstimateConsistencyTests {
    @Test(arguments: TestSupport.shippedPlants)
    func simulatedMeansMatchTheEstimate(plant name: String) throws {
        let plant = try TestSupport.plant(name)
        let design = try SimulatedPlantDesign(plant: plant)
        let comparison = EstimateComparison(design, days: 2)
        #expect(comparison.hours >= 48)
        #expect(Set(comparison.rows.map(\.key)).isSuperset(of: [
            "product_rate", "recovery_dle", "recovery_concentration", "recovery_refining", "fresh_water", "electricity",
            "refining_utilisation",
        ]))
        for row in comparison.rows {
            #expect(abs(row.difference) <= 0.02, "\(name) \(row.label): estimate \(row.estimate), simulated \(row.simulated) \(row.unit)")
        }
        // No tank sits at a limit in normal operation: the buffer swings around its set point, the silo between
        // truck calls, the spent-wash tank around half full.
        #expect(comparison.bufferLevel.lowerBound > 10 && comparison.bufferLevel.upperBound < 90, "buffer \(comparison.bufferLevel) %")
        #expect(comparison.siloLevel.lowerBound > 0 && comparison.siloLevel.upperBound < 100, "silo \(comparison.siloLevel) %")
        #expect(comparison.spentWashLevel.lowerBound > 10 && comparison.spentWashLevel.upperBound < 90,
                "spent-wash tank \(comparison.spentWashLevel) %")
        #expect(comparison.lithiumBalanceError < 1e-9)
    }
}

extension EstimateConsistencyTests {
    /// The other DLE models too: the breakthrough is placed at whatever per-pass recovery the model gives (the
    /// isotherm's, or the column's cyclic steady state), so the simulator follows the estimate under each.
    @Test(arguments: ["equilibrium", "dynamic"])
    func everyDLEModelIsReproduced(model: String) throws {
        let plant = try TestSupport.plant("rittershoffen")
        let design = try SimulatedPlantDesign(plant: plant, overrides: [("dle.model", model)])
        #expect(design.breakthrough.model.rawValue == model)
        let comparison = EstimateComparison(design, days: 2)
        for row in comparison.rows {
            #expect(abs(row.difference) <= 0.02, "\(model) \(row.label): estimate \(row.estimate), simulated \(row.simulated) \(row.unit)")
        }
    }
}
