import Foundation
public import ProcessModel

/// Makes a plant's three DLE models agree at its pilots' recovery (issue 16, point 5): the two values of the
/// plant description that close the gap, with the plant's own salt-modulated column
/// (``DynamicSorption/column(for:cells:)``: chloride from the brine in the load, from the wash salt in the wash,
/// from the eluent's salt and Li in the elution).
///
/// 1. The load bed volumes at which the isotherm (`equilibrium` model) gives the target recovery: the working
///    capacity is fixed by the sorbent's capacity, density and affinities at load and elution, so the load must
///    fit it (`dle.cycle_bed_volumes.load`).
/// 2. With that load, the LDF rate at which the column (`dynamic` model) gives the target
///    (`sorbent.k_ldf_per_hour`): how fast the bed must load and release within the plant's volumes.
///
/// The `specified` model is the pilots' figure itself; the target is normally `dle.recovery`.
public enum PlantSorbentFit {
    /// What the fit found, with the models' per-pass recoveries before and after.
    public struct Outcome: Sendable {
        public var target: Double
        public var loadBefore: Double
        public var loadAfter: Double
        public var ldfRateBefore: Double
        /// The LDF rate found, 1/h (`nil` when none in the searched range gives the target).
        public var ldfRate: Double?
        public var equilibriumBefore: Double
        public var equilibriumAfter: Double
        public var dynamicBefore: Double
        public var dynamicAfter: Double?
        /// Mean Li of the eluate after the fit, mg/L.
        public var eluateLithium: Double?
        /// Column runs to cyclic steady state.
        public var columnRuns: Int
        /// Why the rate could not be found, if so.
        public var note: String?
    }

    /// Searched range of the LDF rate, 1/h.
    public static let rateRange = 1e-2...1e3

    static func equilibriumRecovery(_ p: FlowsheetParameters) throws -> Double {
        var q = p
        q.dle.model = .equilibrium
        return try Flowsheet.solve(q).equilibriumRecovery
    }

    /// Finds the load (by bisection, to 1e-3 BV) and the smallest LDF rate (by bisection in its logarithm, to
    /// 2 %) that bring the equilibrium and the dynamic model to `target`.
    ///
    /// - Throws: ``FlowsheetError`` or ``ColumnError`` when a model fails.
    public static func fit(_ p: FlowsheetParameters, target: Double = 0.9, cells: Int = DynamicSorption.defaultCells)
        throws -> Outcome
    {
        var runs = 0
        let equilibriumBefore = try equilibriumRecovery(p)
        let dynamicBefore = try DynamicSorption.cyclicSteadyState(for: p, cells: cells).perPassRecovery
        runs += 1
        // 1. The load: equilibrium recovery falls as the load grows.
        var fitted = p
        // A fixed bracket, so that refitting a calibrated plant finds its own values again.
        var low = 0.5, high = 500.0
        fitted.dle.loadBedVolumes = high
        if try equilibriumRecovery(fitted) < target {
            for _ in 0..<60 where high - low > 1e-3 {
                fitted.dle.loadBedVolumes = (low + high) / 2
                if try equilibriumRecovery(fitted) >= target { low = fitted.dle.loadBedVolumes } else {
                    high = fitted.dle.loadBedVolumes
                }
            }
            fitted.dle.loadBedVolumes = (low * 1000).rounded(.down) / 1000
        }
        let equilibriumAfter = try equilibriumRecovery(fitted)
        var outcome = Outcome(
            target: target, loadBefore: p.dle.loadBedVolumes, loadAfter: fitted.dle.loadBedVolumes,
            ldfRateBefore: p.dle.sorbent.ldfRate, ldfRate: nil, equilibriumBefore: equilibriumBefore,
            equilibriumAfter: equilibriumAfter, dynamicBefore: dynamicBefore, dynamicAfter: nil, eluateLithium: nil,
            columnRuns: runs, note: nil)
        // 2. The LDF rate: the dynamic recovery rises with it.
        func recovery(_ rate: Double) throws -> DynamicSorption.Summary {
            var q = fitted
            q.dle.sorbent.ldfRate = rate
            runs += 1
            return try DynamicSorption.cyclicSteadyState(for: q, cells: cells)
        }
        var lower = Foundation.log(rateRange.lowerBound), upper = Foundation.log(rateRange.upperBound)
        var best = try recovery(Foundation.exp(upper))
        guard best.perPassRecovery >= target else {
            outcome.columnRuns = runs
            outcome.dynamicAfter = best.perPassRecovery
            outcome.note = String(
                format: "even k_LDF = %.3g 1/h recovers only %.1f %%: the wash or the eluent volume limits",
                rateRange.upperBound, best.perPassRecovery * 100)
            return outcome
        }
        while upper - lower > 0.02 {
            let middle = (lower + upper) / 2
            let result = try recovery(Foundation.exp(middle))
            if result.perPassRecovery >= target { upper = middle; best = result } else { lower = middle }
        }
        // Three significant figures, rounded up so the rate written into the plant file still reaches the target.
        let rate = Foundation.exp(upper)
        let step = Foundation.pow(10, Foundation.floor(Foundation.log10(rate)) - 2)
        outcome.ldfRate = (rate / step).rounded(.up) * step
        best = try recovery(outcome.ldfRate!)
        outcome.dynamicAfter = best.perPassRecovery
        outcome.eluateLithium = best.eluateLithium
        outcome.columnRuns = runs
        return outcome
    }
}
