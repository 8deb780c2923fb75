import Simulator
import Testing

@Suite struct PlantDynamicsTests {
    /// Runs the plant for `seconds` at 1 s steps.
    func run(_ plant: inout PlantDynamics, _ seconds: Int) {
        for _ in 0..<seconds { plant.step(1) }
    }

    @Test func lithiumBalanceClosesOverDays() {
        var plant = PlantDynamics()
        run(&plant, 3 * 86_400)
        #expect(plant.lithiumIn > 0)
        #expect(plant.lithiumBalanceError < 1e-9, "closure \(plant.lithiumBalanceError)")
        #expect(plant.lithiumToProduct > 0)
    }

    @Test func nominalOperatingPointIsPlausible() {
        var plant = PlantDynamics()
        run(&plant, 86_400)
        // Recovery over a day from the Li accounts: > 90 % at the DLE as pilots report (docs/sources.md §2.1).
        let before = (plant.lithiumIn, plant.lithiumReinjected)
        run(&plant, 86_400)
        let recovery = 1 - (plant.lithiumReinjected - before.1) / (plant.lithiumIn - before.0)
        #expect(recovery > 0.9 && recovery < 0.99, "DLE recovery \(recovery)")
        #expect(abs(plant[.productionFlow] - 28) < 1e-9)
        #expect(plant[.dleInletTemperature] == 75)
        #expect(plant[.pumpRunning] == 1)
        let phases = (1...4).map { plant[.phase, column: $0] }
        #expect(phases.filter { $0 == 1 }.count >= 2, "most columns load: \(phases)")
    }

    @Test func pumpTripStopsFlowAndTheRestartRecovers() {
        var plant = PlantDynamics()
        run(&plant, 600)
        plant.disturbances.pumpTripped = true
        run(&plant, 600)
        #expect(plant[.productionFlow] < 0.01)
        #expect(plant[.pumpRunning] == 0)
        #expect(plant[.productionPressure] < 9)
        #expect(plant[.productionTemperature] < 165)
        plant.disturbances.pumpTripped = false
        run(&plant, 1800)
        #expect(abs(plant[.productionFlow] - 28) < 0.1)
        #expect(plant[.pumpRunning] == 1)
        #expect(plant.lithiumBalanceError < 1e-9)
    }

    @Test func capacityFadeLowersRecovery() {
        func recovery(fade: Double) -> Double {
            var parameters = SimulatedPlantParameters()
            parameters.capacityFadePerCycle = fade
            var plant = PlantDynamics(parameters: parameters)
            run(&plant, 5 * 86_400)
            return 1 - plant.lithiumReinjected / plant.lithiumIn
        }
        let fresh = recovery(fade: 0), fading = recovery(fade: 0.02)
        #expect(fading < fresh - 0.01, "fresh \(fresh), fading \(fading)")
    }

    @Test func liStepChangesOutletAndProductProportionally() {
        var plant = PlantDynamics()
        run(&plant, 3600)
        let brineBefore = plant[.brineLi]
        plant.disturbances.brineLiFactor = 0.5
        plant.step(1)
        #expect(abs(plant[.brineLi] - brineBefore / 2) < 1e-9)
        #expect(plant[.dleOutletLi] < brineBefore / 2)
    }

    @Test func scalingRaisesColumnPressureDrop() {
        var plant = PlantDynamics()
        run(&plant, 60)
        let before = plant[.dp, column: 1]
        plant.disturbances.scalingRate = 0.1
        run(&plant, 3600)
        #expect(plant[.dp, column: 1] - before > 0.05)
    }

    @Test func refineryTripFillsTheBufferTank() {
        var plant = PlantDynamics()
        run(&plant, 600)
        let level = plant[.refineryTankLevel]
        plant.disturbances.refineryTripped = true
        run(&plant, 4 * 3600)
        #expect(plant[.refineryRunning] == 0)
        #expect(plant[.productRate] == 0)
        #expect(plant[.refineryTankLevel] > level + 5)
    }

    @Test func signalNamesAreInTheCatalogueOrder() {
        let names = PlantSignal.names(columns: 4)
        #expect(names.count == PlantSignal.allCases.count + 12)
        #expect(names[PlantSignal.slot(.dp, column: 3)] == "dle.column.3.dp")
        #expect(Set(names).count == names.count)
    }
}
