/// The plant's DLE column as the dynamic column model runs it: the one mapping from a plant's parameters to a
/// ``ColumnModel`` and its cycle, which `dle.model: dynamic`, `geolith column PLANT`, the simulator's
/// column-resolved DLE and the derivation of its reduced breakthrough (``ReducedBreakthrough``) all use.
///
/// The column is the plant's: height ``SorptionStage/columnHeight``, cross-section bed volume / height,
/// voidage = bed porosity, axial dispersion ``SorptionStage/axialDispersion``; it loads at the flow of one
/// loading column and washes and elutes at the regeneration flow of ``DLECycle``. The sorbent enters as a
/// Langmuir isotherm with linear-driving-force kinetics at the DLE inlet temperature:
///
/// - capacity `q_max(T)·h·ρ_b/(1 − ε)/M_Li` in mol per m³ of sorbent (mg/g × kg/m³ = g/m³);
/// - affinity `K·M_Li` in m³/mol (K in L/mg, since c[mg/L] = c[mol/m³]·M_Li);
/// - `k_LDF` from ``Sorbent/ldfRate`` (1/h → 1/s).
///
/// When the sorbent parameters change (a calibration), everything derived from this column follows: rerun
/// ``couple(_:cells:)`` and ``ReducedBreakthrough/derive(for:cells:)``.
public enum DynamicSorption {
    /// Finite-volume cells of the plant's column unless a caller asks for another resolution.
    public static let defaultCells = 30

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
        /// Li kept by the bed over the last load, over Li fed: what a load captures before elution.
        public var loadCapture: Double
        /// Net Li eluted over Li the last load kept: below 1 when elution leaves loading on the bed.
        public var elutionYield: Double
        /// Li kept by the first load of a fresh bed, over Li fed.
        public var freshLoadCapture: Double
    }

    /// A run of the plant's column to its cyclic steady state: the figures, every cycle, the outlet samples.
    public struct Run: Sendable {
        public var summary: Summary
        public var cycles: [ColumnCycleResult]
        public var simulator: ColumnSimulator
        public var model: ColumnModel
        public var feed: Double
    }

    /// The plant's column as a ``ColumnModel``, its cycle and its feed concentration (mol/m³), at the DLE inlet.
    public static func column(for p: FlowsheetParameters, cells: Int = defaultCells)
        -> (model: ColumnModel, schedule: ColumnCycleSchedule, feed: Double)
    {
        let dle = p.dle
        let inlet = p.heatExchange.evaluate(brine: p.brine, flow: p.productionFlow).outlet
        let eps = dle.bedPorosity
        let height = dle.columnHeight
        let area = dle.bedVolume.cubicMetres / height
        let geometry = ColumnGeometry(length: height, area: area, voidage: eps)
        let molar = AtomicWeight.lithium
        let capacity =
            dle.sorbent.maximumCapacity(at: inlet) * dle.sorbent.health * dle.sorbent.bulkDensity
            / (1 - eps) / molar
        let binding = ColumnBinding(
            capacity: capacity, affinity: dle.sorbent.langmuirConstant * molar, ldfRate: dle.sorbent.ldfRate / 3600)
        let model = ColumnModel(
            geometry: geometry, dispersion: dle.axialDispersion,
            isotherm: ColumnIsotherm(components: [binding], kinetics: .linearDrivingForce), cells: cells, scheme: .koren
        )
        let cycle = DLECycle(p)
        let load = max(cycle.loadFlow.cubicMetresPerSecond, 1e-12) / area
        let regeneration = max(cycle.regenerationFlow.cubicMetresPerSecond, 1e-12) / area
        let feed = p.brine.lithium.milligramsPerLitre / molar
        let eluent = dle.eluentLithium.milligramsPerLitre / molar
        let schedule = ColumnCycleSchedule(steps: [
            ColumnStep(
                name: "load", kind: .load, flow: ColumnFlow(superficialVelocity: load, inlet: [feed]),
                end: .bedVolumes(dle.loadBedVolumes)),
            ColumnStep(
                name: "wash", kind: .wash, flow: ColumnFlow(superficialVelocity: regeneration, inlet: [0]),
                end: .bedVolumes(max(dle.washBedVolumes, 1e-3))),
            ColumnStep(
                name: "elute", kind: .elute, flow: ColumnFlow(superficialVelocity: regeneration, inlet: [eluent]),
                end: .bedVolumes(dle.eluteBedVolumes)),
        ])
        return (model, schedule, max(feed, 1e-12))
    }

    /// Runs the plant's column from a fresh bed to its cyclic steady state.
    ///
    /// - Parameter sampleInterval: outlet samples every this many seconds (for curves); sampling does not
    ///   change the solution.
    /// - Throws: ``ColumnError`` when the integrator fails.
    public static func run(
        for p: FlowsheetParameters, cells: Int = defaultCells, sampleInterval: Double? = nil, maximumCycles: Int = 30
    ) throws -> Run {
        let (model, schedule, feed) = column(for: p, cells: cells)
        var simulator = ColumnSimulator(
            model: model, tolerances: ColumnTolerances(relative: 1e-5, absolute: 1e-7), sampleInterval: sampleInterval,
            concentrationScale: feed)
        let css = try simulator.runToCyclicSteadyState(schedule, tolerance: 1e-4, maximumCycles: maximumCycles)
        let first = css.cycles.first!.kpis, last = css.cycles.last!.kpis
        let summary = Summary(
            perPassRecovery: min(max(last.recovery, 0), 1), cycles: css.cycles.count, converged: css.converged,
            massBalanceError: css.cycles.map(\.kpis.massBalanceError).max() ?? 0,
            eluateLithium: last.eluateConcentration * AtomicWeight.lithium,
            loadCapture: last.fed > 0 ? last.loaded / last.fed : 0,
            elutionYield: last.loaded > 0 ? last.eluted / last.loaded : 0,
            freshLoadCapture: first.fed > 0 ? first.loaded / first.fed : 0)
        return Run(summary: summary, cycles: css.cycles, simulator: simulator, model: model, feed: feed)
    }

    /// The figures of the plant column's cyclic steady state (``run(for:cells:sampleInterval:maximumCycles:)``).
    public static func cyclicSteadyState(for p: FlowsheetParameters, cells: Int = defaultCells, maximumCycles: Int = 30)
        throws -> Summary
    {
        try run(for: p, cells: cells, maximumCycles: maximumCycles).summary
    }

    /// `p` with ``SorptionStage/dynamicRecovery`` set from the column's cyclic steady state when its DLE
    /// model is `dynamic`; unchanged otherwise.
    public static func couple(_ p: FlowsheetParameters, cells: Int = defaultCells) throws
        -> (FlowsheetParameters, Summary?)
    {
        guard p.dle.model == .dynamic else { return (p, nil) }
        let summary = try cyclicSteadyState(for: p, cells: cells)
        var coupled = p
        coupled.dle.dynamicRecovery = summary.perPassRecovery
        return (coupled, summary)
    }

    /// The outlet of a fresh bed of the plant's column loading brine, as (bed volumes past the pore volume,
    /// outlet/feed), until the outlet reaches 95 % of the feed or `maximumBedVolumes` have passed.
    ///
    /// - Throws: ``ColumnError`` when the integrator fails.
    public static func freshBreakthrough(
        for p: FlowsheetParameters, cells: Int = defaultCells, maximumBedVolumes: Double? = nil
    ) throws -> [(bedVolumes: Double, ratio: Double)] {
        let (model, schedule, feed) = column(for: p, cells: cells)
        let load = schedule.steps[0].flow
        let bed = model.geometry.bedVolume
        let perSecond = load.superficialVelocity * model.geometry.area / bed  // bed volumes per second
        let limit = maximumBedVolumes ?? max(20 * p.dle.loadBedVolumes, 200)
        var simulator = ColumnSimulator(
            model: model, tolerances: ColumnTolerances(relative: 1e-5, absolute: 1e-7),
            sampleInterval: 0.05 / perSecond, concentrationScale: feed)
        _ = try simulator.run(
            ColumnStep(
                name: "load", kind: .load, flow: load,
                end: .breakthrough(component: 0, fraction: 0.95, maximumDuration: limit / perSecond)))
        let pores = model.geometry.voidage
        return simulator.samples.map { ($0.time * perSecond - pores, $0.concentrations[0] / feed) }
            .filter { $0.0 >= 0 }
    }
}
