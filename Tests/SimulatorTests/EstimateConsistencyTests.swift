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
        // truck calls.
        #expect(comparison.bufferLevel.lowerBound > 10 && comparison.bufferLevel.upperBound < 90, "buffer \(comparison.bufferLevel) %")
        #expect(comparison.siloLevel.lowerBound > 0 && comparison.siloLevel.upperBound < 100, "silo \(comparison.siloLevel) %")
        #expect(comparison.lithiumBalanceError < 1e-9)
    }
}
