/// Couples the dynamic column model to the flowsheet (`dle.model: dynamic`): one column of the plant's
/// train is simulated over load–wash–elute cycles until its cyclic steady state, and the per-pass recovery
/// found there replaces the cycle-average recovery of the `specified` model.
///
/// The column is the plant's: height ``SorptionStage/columnHeight``, cross-section bed volume / height,
/// voidage = bed porosity, superficial velocity = feed flow / (loading columns × cross-section). The
/// sorbent enters as a Langmuir isotherm with linear-driving-force kinetics:
///
/// - capacity `q_max(T)·h·ρ_b/(1 − ε)/M_Li` in mol per m³ of sorbent (mg/g × kg/m³ = g/m³);
/// - affinity `K·M_Li` in m³/mol (K in L/mg, since c[mg/L] = c[mol/m³]·M_Li);
/// - `k_LDF` from ``Sorbent/ldfRate`` (1/h → 1/s); axial dispersion 5e-6 m²/s (column-dle-v1).
public enum DynamicSorption {
    /// The column's cyclic steady state.
    public struct Summary: Sendable, Hashable {
        /// Net Li eluted over Li fed in the last cycle.
        public var perPassRecovery: Double
        public var cycles: Int
        public var converged: Bool
        /// Largest relative mass-balance error of a cycle.
        public var massBalanceError: Double
        /// Mean Li in the eluate, mg/L.
        public var eluateLithium: Double
    }

    /// The plant's column as a ``ColumnModel`` and its cycle, at the DLE inlet.
    public static func column(for p: FlowsheetParameters, cells: Int = 30)
        -> (model: ColumnModel, schedule: ColumnCycleSchedule, feed: Double)
    {
        let dle = p.dle
        let inlet = p.heatExchange.evaluate(brine: p.brine, flow: p.productionFlow).outlet
        let eps = dle.bedPorosity
        let height = dle.columnHeight
        let area = dle.bedVolume.cubicMetres / height
        let geometry = ColumnGeometry(length: height, area: area, voidage: eps)
        let molar = AtomicWeight.lithium
        let capacity = dle.sorbent.maximumCapacity(at: inlet) * dle.sorbent.health * dle.sorbent.bulkDensity
            / (1 - eps) / molar
        let binding = ColumnBinding(
            capacity: capacity, affinity: dle.sorbent.langmuirConstant * molar, ldfRate: dle.sorbent.ldfRate / 3600)
        let model = ColumnModel(
            geometry: geometry, dispersion: 5e-6,
            isotherm: ColumnIsotherm(components: [binding], kinetics: .linearDrivingForce), cells: cells, scheme: .koren)
        let loading = Double(dle.columns - dle.regeneratingColumns)
        let velocity = max(p.productionFlow.si, 1e-12) / loading / area
        let feed = p.brine.lithium.milligramsPerLitre / molar
        let eluent = dle.eluentLithium.milligramsPerLitre / molar
        let schedule = ColumnCycleSchedule(steps: [
            ColumnStep(name: "load", kind: .load, flow: ColumnFlow(superficialVelocity: velocity, inlet: [feed]),
                       end: .bedVolumes(dle.loadBedVolumes)),
            ColumnStep(name: "wash", kind: .wash, flow: ColumnFlow(superficialVelocity: velocity, inlet: [0]),
                       end: .bedVolumes(max(dle.washBedVolumes, 1e-3))),
            ColumnStep(name: "elute", kind: .elute, flow: ColumnFlow(superficialVelocity: velocity, inlet: [eluent]),
                       end: .bedVolumes(dle.eluteBedVolumes)),
        ])
        return (model, schedule, max(feed, 1e-12))
    }

    /// Runs the plant's column to its cyclic steady state.
    ///
    /// - Throws: ``ColumnError`` when the integrator fails.
    public static func cyclicSteadyState(for p: FlowsheetParameters, cells: Int = 30, maximumCycles: Int = 30)
        throws -> Summary
    {
        let (model, schedule, feed) = column(for: p, cells: cells)
        var simulator = ColumnSimulator(
            model: model, tolerances: ColumnTolerances(relative: 1e-5, absolute: 1e-7), concentrationScale: feed)
        let css = try simulator.runToCyclicSteadyState(schedule, tolerance: 1e-4, maximumCycles: maximumCycles)
        let last = css.cycles.last!
        return Summary(
            perPassRecovery: min(max(last.kpis.recovery, 0), 1), cycles: css.cycles.count, converged: css.converged,
            massBalanceError: css.cycles.map(\.kpis.massBalanceError).max() ?? 0,
            eluateLithium: last.kpis.eluateConcentration * AtomicWeight.lithium)
    }

    /// `p` with ``SorptionStage/dynamicRecovery`` set from the column's cyclic steady state when its DLE
    /// model is `dynamic`; unchanged otherwise.
    public static func couple(_ p: FlowsheetParameters, cells: Int = 30) throws -> (FlowsheetParameters, Summary?) {
        guard p.dle.model == .dynamic else { return (p, nil) }
        let summary = try cyclicSteadyState(for: p, cells: cells)
        var coupled = p
        coupled.dle.dynamicRecovery = summary.perPassRecovery
        return (coupled, summary)
    }
}
