import Foundation
public import ProcessModel

/// Makes a plant's three DLE models agree at its pilots' recovery (the preparation of issue 16, point 5):
/// the plant's column with chloride as the modulator, and the two values that close the gap.
///
/// 1. The load bed volumes at which the isotherm (`equilibrium` model) gives the target recovery: the working
///    capacity is fixed by the sorbent, so the load must fit it.
/// 2. With that load and chloride modulating the affinity (γ from a lab calibration, by default the 70-fold
///    drop from brine to water of `Experiments/lab-breakthrough.yaml`), the LDF rate at which the column
///    (`dynamic` model) gives the target: how fast water must strip the bed in the plant's elution volume.
///
/// The column is ``DynamicSorption/column(for:cells:)``'s, with the brine's chloride (its `Cl`, else its TDS as
/// NaCl) in the load, the wash salt's chloride (or the brine's, for a water wash) in the wash and none in the
/// eluent; the affinity at the brine's
/// chloride stays the plant's Langmuir constant (K₀ = K·e^{−γ c_brine}).
public enum PlantSorbentFit {
    /// What the fit found, with the three models' per-pass recoveries before and after.
    public struct Outcome: Sendable {
        public var target: Double
        public var loadBefore: Double
        public var loadAfter: Double
        /// The salt sensitivity used, m³/mol.
        public var gamma: Double
        /// The LDF rate found, 1/h (`nil` when none in the searched range gives the target).
        public var ldfRate: Double?
        public var equilibriumBefore: Double
        public var equilibriumAfter: Double
        /// The unmodulated column's recovery (today's `dle.model: dynamic`) at the plant's own load.
        public var dynamicBefore: Double
        public var dynamicAfter: Double?
        public var eluateLithium: Double?
        /// Column runs to cyclic steady state.
        public var columnRuns: Int
        /// Why the rate could not be found, if so.
        public var note: String?
    }

    /// Chloride of the brine, mol/m³: its `Cl` when the plant gives one, else its TDS as NaCl.
    public static func brineChloride(_ brine: Brine) -> Double {
        if let chloride = brine.composition[.Cl] { return chloride.milligramsPerLitre / 35.453 }
        return brine.totalDissolvedSolids.gramsPerLitre * 1000 / 58.443  // g/L NaCl → mol/m³ Cl
    }

    /// Chloride of the wash, mol/m³: the plant's wash salt as NaCl, or, when the plant washes with water
    /// (`dle.wash_salt_g_per_l` 0, its default), the brine's chloride. LDH is washed with a chloride salt
    /// solution [S] (docs/sources.md); with the modulator a water wash would strip the bed into the spent wash.
    public static func washChloride(_ p: FlowsheetParameters) -> Double {
        p.dle.washSalt.gramsPerLitre > 0 ? p.dle.washSalt.gramsPerLitre * 1000 / 58.443 : brineChloride(p.brine)
    }

    /// The plant's column with the modulator, and its feed scale.
    public static func modulatedColumn(for p: FlowsheetParameters, gamma: Double, cells: Int = 30)
        -> (model: ColumnModel, schedule: ColumnCycleSchedule, scales: [Double])
    {
        let (plain, schedule, feed) = DynamicSorption.column(for: p, cells: cells)
        let salt = brineChloride(p.brine)
        var li = plain.isotherm.components[0]
        li.affinity *= Foundation.exp(-gamma * salt)
        li.modulatorGamma = gamma
        let isotherm = ColumnIsotherm(components: [.inert, li], kinetics: plain.isotherm.kinetics, modulated: true)
        let model = ColumnModel(
            geometry: plain.geometry, dispersion: plain.dispersion, isotherm: isotherm, cells: cells, scheme: plain.scheme)
        let wash = washChloride(p)
        let steps = schedule.steps.map { step -> ColumnStep in
            var step = step
            let chloride: Double = switch step.kind { case .load: salt; case .wash: wash; case .elute: 0 }
            step.flow.inlet = [chloride] + step.flow.inlet
            return step
        }
        return (model, ColumnCycleSchedule(steps: steps, capacityFadePerCycle: schedule.capacityFadePerCycle), [max(salt, feed), feed])
    }

    /// The modulated column's per-pass recovery at its cyclic steady state, and its eluate Li (mg/L).
    public static func dynamicRecovery(_ p: FlowsheetParameters, gamma: Double, cells: Int = 30) throws -> (Double, Double) {
        let (model, schedule, scales) = modulatedColumn(for: p, gamma: gamma, cells: cells)
        var simulator = ColumnSimulator(model: model, tolerances: ColumnTolerances(relative: 1e-5, absolute: 1e-7), concentrationScale: scales[1])
        simulator.componentScales = scales
        let css = try simulator.runToCyclicSteadyState(schedule, tolerance: 1e-4, maximumCycles: 30)
        let last = css.cycles.last!.kpis
        return (min(max(last.recovery, 0), 1), last.eluateConcentration * AtomicWeight.lithium)
    }

    static func equilibriumRecovery(_ p: FlowsheetParameters) throws -> Double {
        var q = p
        q.dle.model = .equilibrium
        return try Flowsheet.solve(q).equilibriumRecovery
    }

    /// Finds the load (by bisection, to 1e-3 BV) and the smallest LDF rate (by bisection in its logarithm, to 5 %)
    /// that bring the equilibrium and the salt-modulated dynamic model to `target`.
    ///
    /// - Parameters:
    ///   - gamma: the salt sensitivity, m³/mol; by default ln 70 / the brine's chloride.
    /// - Throws: ``FlowsheetError`` or ``ColumnError`` when a model fails.
    public static func fit(_ p: FlowsheetParameters, target: Double = 0.9, gamma: Double? = nil, cells: Int = 30) throws
        -> Outcome
    {
        var runs = 0
        let equilibriumBefore = try equilibriumRecovery(p)
        let dynamicBefore = try DynamicSorption.cyclicSteadyState(for: p, cells: cells).perPassRecovery
        runs += 1
        // 1. The load: equilibrium recovery falls as the load grows.
        var fitted = p
        if equilibriumBefore < target {
            var low = 0.5, high = p.dle.loadBedVolumes
            for _ in 0..<40 where high - low > 1e-3 {
                fitted.dle.loadBedVolumes = (low + high) / 2
                if try equilibriumRecovery(fitted) >= target { low = fitted.dle.loadBedVolumes } else { high = fitted.dle.loadBedVolumes }
            }
            fitted.dle.loadBedVolumes = low
        }
        let equilibriumAfter = try equilibriumRecovery(fitted)
        let gamma = gamma ?? Foundation.log(70) / max(brineChloride(p.brine), 1e-9)
        var outcome = Outcome(
            target: target, loadBefore: p.dle.loadBedVolumes, loadAfter: fitted.dle.loadBedVolumes, gamma: gamma, ldfRate: nil,
            equilibriumBefore: equilibriumBefore, equilibriumAfter: equilibriumAfter, dynamicBefore: dynamicBefore,
            dynamicAfter: nil, eluateLithium: nil, columnRuns: runs, note: nil)
        // 2. The LDF rate: the dynamic recovery rises with it.
        func recovery(_ rate: Double) throws -> (Double, Double) {
            var q = fitted
            q.dle.sorbent.ldfRate = rate
            runs += 1
            return try dynamicRecovery(q, gamma: gamma, cells: cells)
        }
        var low = Foundation.log(p.dle.sorbent.ldfRate / 10), high = Foundation.log(p.dle.sorbent.ldfRate * 1000)
        var best = try recovery(Foundation.exp(high))
        guard best.0 >= target - 1e-3 else {
            outcome.columnRuns = runs
            outcome.dynamicAfter = best.0
            outcome.note = String(format: "even k_LDF = %.3g 1/h recovers only %.1f %%: the eluent volume limits", Foundation.exp(high), best.0 * 100)
            return outcome
        }
        for _ in 0..<40 {
            let middle = (low + high) / 2
            let result = try recovery(Foundation.exp(middle))
            if result.0 >= target { high = middle; best = result } else { low = middle }
            if high - low < 0.05 { break }
        }
        outcome.ldfRate = Foundation.exp(high)
        outcome.dynamicAfter = best.0
        outcome.eluateLithium = best.1
        outcome.columnRuns = runs
        return outcome
    }
}
