import ArgumentParser
import Foundation
import PlantConfig
import ProcessModel
import ProcessStudies

extension CalibrateCommand {
    /// `geolith calibrate PLANT.yaml --plant-recovery 0.9 [--set …]`: the load and the LDF rate at which the
    /// plant's equilibrium and salt-modulated dynamic DLE models reach its pilots' recovery (issue 16, point 5,
    /// prepared: writing the values into the plant files waits for issue 15's plant column).
    func runPlant(target: Double) throws {
        let plant = try loadPlant(file)
        let base: FlowsheetParameters
        do {
            base = try plant.flowsheetParameters(overrides: EstimateCommand.overrides(settings))
        } catch let error as ProcessParameterError {
            throw ValidationError("--set: \(error.message)")
        }
        let clock = ContinuousClock(), started = clock.now
        let outcome = try PlantSorbentFit.fit(base, target: target)
        let seconds = ProgressDisplay.seconds(clock.now - started)
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }
        let chloride = PlantSorbentFit.brineChloride(base.brine)
        print("""
            geolith calibrate \(plant.id) --plant-recovery \(target): brine Cl \(String(format: "%.0f", chloride)) mol/m³ \
            (\(base.brine.composition[.Cl] == nil ? "TDS as NaCl" : "its Cl")), cycle \(base.dle.loadBedVolumes) / \
            \(base.dle.washBedVolumes) / \(base.dle.eluteBedVolumes) BV, K \(base.dle.sorbent.langmuirConstant) L/mg, \
            k_LDF \(base.dle.sorbent.ldfRate) 1/h
                                      before (plant file)      after
            specified                 \(percent(base.dle.specifiedRecovery))
            equilibrium (isotherm)    \(percent(outcome.equilibriumBefore))                   \(percent(outcome.equilibriumAfter))
            dynamic (column)          \(percent(outcome.dynamicBefore)) (no salt)          \(percent(outcome.dynamicAfter)) (with chloride)
            load bed volumes          \(outcome.loadBefore)                      \(String(format: "%.2f", outcome.loadAfter))
            salt sensitivity γ        –                         \(String(format: "%.3g m³/mol", outcome.gamma)) (K falls 70× from brine to water)
            k_LDF                     \(base.dle.sorbent.ldfRate) 1/h                  \(outcome.ldfRate.map { String(format: "%.3g 1/h", $0) } ?? "not found")
            """)
        if base.dle.washSalt.si == 0 {
            print(String(format: "wash: chloride %.0f mol/m³ as the brine's (the plant washes with water; with chloride "
                + "modulating the affinity a water wash would strip the bed into the spent wash)", PlantSorbentFit.washChloride(base)))
        }
        if let eluate = outcome.eluateLithium { print(String(format: "eluate Li %.0f mg/L", eluate)) }
        if let note = outcome.note { print("note: \(note)") }
        print(String(format: "%d column runs to cyclic steady state in %.1f s", outcome.columnRuns, seconds))
    }
}
