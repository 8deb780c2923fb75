import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel
import ProcessStudies

extension CalibrateCommand {
    /// `geolith calibrate PLANT.yaml --plant-recovery 0.9 [--set …]`: the load and the LDF rate at which the
    /// plant's equilibrium and salt-modulated dynamic DLE models reach its pilots' recovery (``PlantSorbentFit``);
    /// prints the two values to write into the plant description.
    func runPlant(target: Double) throws {
        let plant = try loadPlant(file)
        let base = try flowsheetParameters(of: plant, settings: settings)
        let clock = ContinuousClock(), started = clock.now
        let outcome = try PlantSorbentFit.fit(base, target: target)
        let seconds = ProgressDisplay.seconds(clock.now - started)
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }
        func pad(_ text: String) -> String { text.padding(toLength: 24, withPad: " ", startingAt: 0) }
        let dle = base.dle, sorbent = dle.sorbent
        let chloride = SorptionStage.chloride(of: base.brine)
        let salt = sorbent.isSaltModulated
            ? String(format: "chloride %.0f / %.0f / %.0f mol/m³ (load / wash / elute), γ %g m³/mol, β %g",
                chloride, dle.washChloride, dle.eluentChloride, sorbent.saltGamma, sorbent.saltBeta)
            : "no salt modulation (γ = β = 0)"
        print("""
            geolith calibrate \(plant.id) --plant-recovery \(target): cycle \(dle.loadBedVolumes) / \(dle.washBedVolumes) / \
            \(dle.eluteBedVolumes) BV, K \(sorbent.langmuirConstant) L/mg, \(salt)
                                    before (plant file)       after
            specified               \(pad(percent(dle.specifiedRecovery)))\(percent(dle.specifiedRecovery))
            equilibrium (isotherm)  \(pad(percent(outcome.equilibriumBefore)))\(percent(outcome.equilibriumAfter))
            dynamic (column)        \(pad(percent(outcome.dynamicBefore)))\(percent(outcome.dynamicAfter))
            load bed volumes        \(pad(String(format: "%g", outcome.loadBefore)))\(String(format: "%g", outcome.loadAfter))
            k_LDF, 1/h              \(pad(String(format: "%g", outcome.ldfRateBefore)))\(outcome.ldfRate.map { String(format: "%g", $0) } ?? "not found")
            """)
        if let eluate = outcome.eluateLithium { print(String(format: "eluate Li %.0f mg/L", eluate)) }
        if let note = outcome.note { print("note: \(note)") }
        if let rate = outcome.ldfRate {
            print("""
                write into the plant description ([C], fitted by this command):
                  dle.cycle_bed_volumes.load: \(String(format: "%g", outcome.loadAfter))
                  sorbent.k_ldf_per_hour: \(String(format: "%g", rate))
                """)
        }
        print(String(format: "%d column runs to cyclic steady state in %.1f s", outcome.columnRuns, seconds))
    }
}
