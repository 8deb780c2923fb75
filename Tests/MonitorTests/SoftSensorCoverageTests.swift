import Foundation
import Monitor
import PlantConfig
import RegisterVocabulary
import Testing

/// Which soft sensors a plant gets, and why the others are off: monitoring-only descriptions and unbound signals.
@Suite struct SoftSensorCoverageTests {
    static func plant(_ file: String) throws -> Plant {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("PlantConfigs/\(file)")
        return try PlantLoader.load(path: url.path)
    }

    /// Every KPI that `compute` can emit is in the requirements table, and none that it cannot.
    @Test func theTableNamesEveryKPIComputed() {
        var sensors = SoftSensors(availabilityHours: 8000, nameplateProductRate: 100)
        var signals: [String: SoftSensors.Input] = [:]
        for signal in Set(SoftSensors.requirements.flatMap(\.signals)) { signals[signal] = (10, .good) }
        var names: Set<String> = []
        // A column through load, elution and load again, so the cycle KPIs appear too.
        for (step, phase) in [1.0, 1, 3, 3, 1, 1].enumerated() {
            signals["dle.column.1.phase"] = (phase, .good)
            names.formUnion(sensors.compute(signals, at: Int64(step + 1) * 60_000).map(\.name))
        }
        #expect(names == Set(SoftSensors.requirements.map(\.kpi)))
    }

    /// Each requirement's signals are what the KPI needs: without any one of them it is not computed.
    @Test func aKPINeedsEachOfItsSignals() {
        for requirement in SoftSensors.requirements where !requirement.kpi.hasPrefix("cycle_") {
            for missing in requirement.signals {
                var sensors = SoftSensors(availabilityHours: 8000, nameplateProductRate: 100)
                var signals: [String: SoftSensors.Input] = [:]
                for signal in requirement.signals where signal != missing { signals[signal] = (10, .good) }
                let names = (1...3).flatMap { sensors.compute(signals, at: Int64($0) * 60_000).map(\.name) }
                #expect(!names.contains(requirement.kpi), "\(requirement.kpi) computed without \(missing)")
            }
        }
    }

    @Test func aFullPlantHasThemAll() throws {
        let coverage = SoftSensors.coverage(of: try Self.plant("demo.yaml"))
        #expect(coverage.off.isEmpty, "\(coverage)")
        #expect(coverage.on.count == SoftSensors.requirements.count)
    }

    @Test func aMonitoringOnlyPlantLosesWhatNeedsTheProcess() throws {
        // The demo plant's devices alone: every signal still bound, no site, brine, wells or process.
        var plant = try Self.plant("demo.yaml")
        plant.site = nil
        plant.brine = nil
        plant.wells = []
        plant.process = nil
        let coverage = SoftSensors.coverage(of: plant)
        #expect(coverage.off.map(\.kpi) == ["projected_product", "refining_utilisation"])
        #expect(coverage.off.allSatisfy { $0.reason.contains("needs the process: section") })
        #expect(coverage.description.contains("12 of 14 on"), "\(coverage)")
        // And its soft sensors compute no projection, where the full plant's do.
        var sensors = SoftSensors(plant: plant)
        #expect(sensors.availabilityHours == nil)
        #expect(!sensors.compute(["product.rate": (100, .good)], at: 1000).contains { $0.name == "projected_product" })
    }

    @Test func unboundSignalsAreNamed() throws {
        var plant = try Self.plant("demo.yaml")
        for d in plant.devices.indices {
            for t in plant.devices[d].tags.indices where plant.devices[d].tags[t].signal == "power.total" {
                plant.devices[d].tags[t].signal = nil
            }
        }
        let coverage = SoftSensors.coverage(of: plant)
        #expect(coverage.off == [.init(kpi: "specific_energy", reason: "no tag bound to power.total")])
        #expect(coverage.description.hasSuffix("off: specific_energy (no tag bound to power.total)"), "\(coverage)")
    }
}
