import Foundation

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
/// - affinity `K·M_Li` in m³/mol (K in L/mg, since c[mg/L] = c[mol/m³]·M_Li), divided by `1 + K·Σc_j/α_j` for
///   the brine's competitors;
/// - `k_LDF` from ``Sorbent/ldfRate`` (1/h → 1/s);
/// - for a salt-modulated sorbent (LDH, ``Sorbent/isSaltModulated``), chloride as component 0, the mobile-phase
///   modulator: the load carries the brine's, the wash and the eluent theirs (``SorptionStage/washChloride``,
///   ``SorptionStage/eluentChloride``), and the affinity is ``Sorbent/affinity(chloride:)`` of the chloride in
///   each cell, the same law the equilibrium model evaluates at the load and at the eluent. Li is then
///   component 1 (``PlantColumn/lithium``).
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

    /// The plant's column (``PlantColumn``: model, cycle, feed, chloride of each step) at the DLE inlet.
    public static func column(for p: FlowsheetParameters, cells: Int = defaultCells) -> PlantColumn {
        let dle = p.dle
        let sorbent = dle.sorbent
        let inlet = p.heatExchange.evaluate(brine: p.brine, flow: p.productionFlow).outlet
        let eps = dle.bedPorosity
        let height = dle.columnHeight
        let area = dle.bedVolume.cubicMetres / height
        let geometry = ColumnGeometry(length: height, area: area, voidage: eps)
        let molar = AtomicWeight.lithium
        let capacity = sorbent.maximumCapacity(at: inlet) * sorbent.health * sorbent.bulkDensity / (1 - eps) / molar
        // The brine's competitors as a constant background of the load: K/(1 + K·Σc_j/α_j) (exact for Langmuir
        // with fixed competitor concentrations).
        let brineChloride = SorptionStage.chloride(of: p.brine)
        let background = 1 + sorbent.affinity(chloride: brineChloride) * sorbent.competition(in: p.brine)
        let chloride: PlantColumn.Chloride? = sorbent.isSaltModulated
            ? .init(load: brineChloride, wash: dle.washChloride, elute: dle.eluentChloride) : nil
        var binding = ColumnBinding(capacity: capacity, affinity: 0, ldfRate: sorbent.ldfRate / 3600)
        let isotherm: ColumnIsotherm
        if chloride != nil {
            // K(c₀) = K_ref·e^{γ(c₀ − c_ref)}·(c_ref/c₀)^β = K₀·e^{γ c₀}/c₀^β with K₀ = K_ref·e^{−γ c_ref}·c_ref^β.
            let reference = sorbent.referenceChloride
            binding.affinity = sorbent.langmuirConstant * molar / background
                * Foundation.exp(-sorbent.saltGamma * reference + sorbent.saltBeta * Foundation.log(reference))
            binding.modulatorGamma = sorbent.saltGamma
            binding.modulatorBeta = sorbent.saltBeta
            isotherm = ColumnIsotherm(components: [.inert, binding], kinetics: .linearDrivingForce, modulated: true)
        } else {
            binding.affinity = sorbent.langmuirConstant * molar / background
            isotherm = ColumnIsotherm(components: [binding], kinetics: .linearDrivingForce)
        }
        let model = ColumnModel(
            geometry: geometry, dispersion: dle.axialDispersion, isotherm: isotherm, cells: cells, scheme: .koren)
        let cycle = DLECycle(p)
        let load = max(cycle.loadFlow.cubicMetresPerSecond, 1e-12) / area
        let regeneration = max(cycle.regenerationFlow.cubicMetresPerSecond, 1e-12) / area
        let feed = p.brine.lithium.milligramsPerLitre / molar
        let eluent = dle.eluentLithium.milligramsPerLitre / molar
        func stepInlet(_ kind: ColumnStepKind, _ lithium: Double) -> [Double] {
            PlantColumn.inlet(kind, lithium: lithium, chloride: chloride)
        }
        let schedule = ColumnCycleSchedule(steps: [
            ColumnStep(
                name: "load", kind: .load,
                flow: ColumnFlow(superficialVelocity: load, inlet: stepInlet(.load, feed)),
                end: .bedVolumes(dle.loadBedVolumes)),
            ColumnStep(
                name: "wash", kind: .wash,
                flow: ColumnFlow(superficialVelocity: regeneration, inlet: stepInlet(.wash, 0)),
                end: .bedVolumes(max(dle.washBedVolumes, 1e-3))),
            ColumnStep(
                name: "elute", kind: .elute,
                flow: ColumnFlow(superficialVelocity: regeneration, inlet: stepInlet(.elute, eluent)),
                end: .bedVolumes(dle.eluteBedVolumes)),
        ])
        let column = PlantColumn(model: model, schedule: schedule, feed: max(feed, 1e-12), chloride: chloride)
        return column
    }

    /// Runs the plant's column from a fresh bed to its cyclic steady state.
    ///
    /// - Parameter sampleInterval: outlet samples every this many seconds (for curves); sampling does not
    ///   change the solution.
    /// - Throws: ``ColumnError`` when the integrator fails.
    public static func run(
        for p: FlowsheetParameters, cells: Int = defaultCells, sampleInterval: Double? = nil, maximumCycles: Int = 30
    ) throws -> Run {
        let column = column(for: p, cells: cells)
        var simulator = column.simulator(
            tolerances: ColumnTolerances(relative: 1e-5, absolute: 1e-7), sampleInterval: sampleInterval)
        let css = try simulator.runToCyclicSteadyState(column.schedule, tolerance: 1e-4, maximumCycles: maximumCycles)
        let first = css.cycles.first!.kpis, last = css.cycles.last!.kpis
        let summary = Summary(
            perPassRecovery: min(max(last.recovery, 0), 1), cycles: css.cycles.count, converged: css.converged,
            massBalanceError: css.cycles.map(\.kpis.massBalanceError).max() ?? 0,
            eluateLithium: last.eluateConcentration * AtomicWeight.lithium,
            loadCapture: last.fed > 0 ? last.loaded / last.fed : 0,
            elutionYield: last.loaded > 0 ? last.eluted / last.loaded : 0,
            freshLoadCapture: first.fed > 0 ? first.loaded / first.fed : 0)
        return Run(summary: summary, cycles: css.cycles, simulator: simulator, model: column.model, feed: column.feed)
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
        let column = column(for: p, cells: cells)
        let model = column.model, feed = column.feed, li = column.lithium
        let load = column.schedule.steps[0].flow
        let bed = model.geometry.bedVolume
        let perSecond = load.superficialVelocity * model.geometry.area / bed  // bed volumes per second
        let limit = maximumBedVolumes ?? max(20 * p.dle.loadBedVolumes, 200)
        var simulator = column.simulator(
            tolerances: ColumnTolerances(relative: 1e-5, absolute: 1e-7), sampleInterval: 0.05 / perSecond)
        _ = try simulator.run(
            ColumnStep(
                name: "load", kind: .load, flow: load,
                end: .breakthrough(component: li, fraction: 0.95, maximumDuration: limit / perSecond)))
        let pores = model.geometry.voidage
        return simulator.samples.map { ($0.time * perSecond - pores, $0.concentrations[li] / feed) }
            .filter { $0.0 >= 0 }
    }
}
