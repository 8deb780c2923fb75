/// Everything the steady-state flowsheet needs to estimate one plant.
///
/// Defaults describe a plant of the Rittershoffen kind; each stage documents its parameters, units and
/// sources. ``ProcessParameterCatalogue`` names every parameter by the key path plant descriptions and
/// `geolith estimate --set` use.
public struct FlowsheetParameters: Sendable, Hashable {
    /// The produced brine.
    public var brine: Brine
    /// Brine flow through the lithium plant (all production wells).
    public var productionFlow: VolumeFlow
    /// Operating hours per year that turn rates into annual figures: Rittershoffen's design is 8,000 h [S],
    /// 8,400 h in 2019 (96 %) [S] (docs/sources.md §4.2).
    public var availabilityHours: Double = 8000
    /// The production well and pump (wellhead pressures, pump head, ramps): what the simulator needs beyond
    /// the flow.
    public var well = WellStage()
    public var heatExchange = HeatExchangeStage()
    public var dle = SorptionStage()
    public var concentration = ConcentrationStage()
    public var refining = RefiningStage()
    public var reinjection = ReinjectionStage()
    /// Grid electricity of the site: France by default (the Alsace plants).
    public var energy: SiteEnergy = .france
    /// Base electrical load of the lithium plant (control, lighting, HVAC), kW. [U]: 0 by default, since no
    /// figure is published; give the plant's own. Part of the lithium plant's electricity in `geolith estimate`
    /// and in the simulator's `power.total` alike (the production pump is in neither: see ``WellStage``).
    public var baseLoadKilowatts: Double = 0
    /// The reservoir model of the multi-year projection.
    public var reservoir = ReservoirModel()
    /// Convergence of the recycle iteration.
    public var solver = SolverSettings()

    /// A plant producing `flow` of `brine`.
    public init(brine: Brine, productionFlow: VolumeFlow) {
        self.brine = brine
        self.productionFlow = productionFlow
    }

    /// Tolerance and iteration budget of the recycle loops.
    public struct SolverSettings: Sendable, Hashable {
        /// Largest relative change of a recycle stream accepted as converged.
        public var tolerance: Double = 1e-13
        public var maximumIterations: Int = 200
        public init() {}
    }

    /// Checks every parameter the solver relies on.
    ///
    /// - Throws: ``FlowsheetError`` naming the first invalid parameter by its key path, value and valid range.
    /// - Parameter pendingDynamic: accept `dle.model: dynamic` before ``DynamicSorption/couple(_:cells:)`` has
    ///   supplied its recovery (plant loading checks the rest of the parameters this way).
    public func validate(pendingDynamic: Bool = false) throws(FlowsheetError) {
        try check("production.flow", productionFlow.litresPerSecond, 0...100_000, unit: "L/s")
        try check("brine.li", brine.lithium.milligramsPerLitre, 0...100_000, unit: "mg/L")
        try check("brine.tds", brine.totalDissolvedSolids.gramsPerLitre, 0...500, unit: "g/L")
        try check("brine.temperature", brine.temperature.celsius, 0...400, unit: "°C")
        try check("availability_hours_per_year", availabilityHours, 0...8760, unit: "h")
        try check("dle.inlet_temperature_c", heatExchange.dleInletTemperature.celsius, 0...200, unit: "°C")
        try check("dle.recovery", dle.specifiedRecovery, 0...1, unit: "1")
        try check("dle.cycle_bed_volumes.load", dle.loadBedVolumes, 1...10_000, unit: "BV")
        try check("dle.cycle_bed_volumes.wash", dle.washBedVolumes, 0...10_000, unit: "BV")
        if dle.washBedVolumes >= dle.loadBedVolumes {
            throw FlowsheetError(
                kind: .invalidParameter, key: "dle.cycle_bed_volumes.wash",
                message: "dle.cycle_bed_volumes.wash = \(dle.washBedVolumes) BV must be below the load's "
                    + "\(dle.loadBedVolumes) BV: the spent wash returns to the feed, so a wash as large as the "
                    + "load has no steady state")
        }
        try check("dle.cycle_bed_volumes.elute", dle.eluteBedVolumes, 0.01...10_000, unit: "BV")
        try check("dle.bed_porosity", dle.bedPorosity, 0.05...0.95, unit: "1")
        try check("dle.elution_efficiency", dle.elutionEfficiency, 0...1, unit: "1")
        try check("dle.leakage", dle.leakage, 0...1, unit: "1")
        try check("dle.front_sharpness", dle.frontSharpness, 0.5...100, unit: "1")
        try check("dle.bed_volume_m3", dle.bedVolume.cubicMetres, 1e-6...10_000, unit: "m³")
        try check("dle.columns", Double(dle.columns), 2...1000, unit: "1")
        try check("dle.regenerating_columns", Double(dle.regeneratingColumns), 1...Double(dle.columns - 1), unit: "1")
        try check("dle.eluent_li_mg_per_l", dle.eluentLithium.milligramsPerLitre, 0...10_000, unit: "mg/L")
        try check("sorbent.capacity_mg_per_g", dle.sorbent.capacity, 0...1000, unit: "mg/g")
        try check("sorbent.langmuir_l_per_mg", dle.sorbent.langmuirConstant, 1e-9...1e6, unit: "L/mg")
        try check("sorbent.bulk_density_kg_per_m3", dle.sorbent.bulkDensity, 1...5000, unit: "kg/m³")
        try check("sorbent.salt_gamma_m3_per_mol", dle.sorbent.saltGamma, -0.1...0.1, unit: "m³/mol")
        try check("sorbent.salt_beta", dle.sorbent.saltBeta, 0...10, unit: "1")
        try check("sorbent.reference_chloride_g_per_l", dle.sorbent.referenceChloride * AtomicWeight.chlorine / 1000,
            1e-3...300, unit: "g/L")
        try check("dle.wash_salt_g_per_l", dle.washSalt.gramsPerLitre, 0...400, unit: "g/L")
        try check("dle.eluent_salt_g_per_l", dle.eluentSalt.gramsPerLitre, 0...400, unit: "g/L")
        try check("sorbent.fade_per_cycle", dle.sorbent.fadePerCycle, 0...0.5, unit: "1")
        try check("sorbent.age_cycles", dle.sorbent.ageCycles, 0...1e9, unit: "1")
        if let r = dle.dynamicRecovery { try check("dle.dynamic_recovery", r, 0...1, unit: "1") }
        if dle.model == .dynamic && dle.dynamicRecovery == nil && !pendingDynamic {
            throw FlowsheetError(
                kind: .invalidParameter, key: "dle.model",
                message: "dle.model: dynamic needs the column model's cyclic steady state first "
                    + "(DynamicSorption.couple, which geolith estimate runs)")
        }
        try check("concentration.concentration_factor", concentration.concentrationFactor, 1...1000, unit: "1")
        try check("concentration.li_rejection", concentration.lithiumRejection, 0...1, unit: "1")
        try check("concentration.evaporation_factor", concentration.evaporationFactor, 1...1000, unit: "1")
        try check("refining.yield", refining.yield, 0...1, unit: "1")
        try check("refining.reagent_excess", refining.reagentExcess, 0...10, unit: "1")
        if let n = refining.nameplate { try check("refining.nameplate_t_per_day", n, 1e-9...1e9, unit: "t/d") }
        try check("energy.grid_kg_co2_per_kwh", energy.gridEmissionFactor, 0...5, unit: "kg/kWh")
    }

    private func check(_ key: String, _ value: Double, _ range: ClosedRange<Double>, unit: String)
        throws(FlowsheetError)
    {
        guard value.isFinite, range.contains(value) else {
            throw FlowsheetError(
                kind: .invalidParameter, key: key,
                message: "\(key) = \(value) \(unit) is outside \(range.lowerBound)...\(range.upperBound) \(unit)")
        }
    }
}

/// Why the flowsheet could not be solved.
public struct FlowsheetError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A parameter is out of its valid range or not finite; ``key`` names it.
        case invalidParameter
        /// The recycle iteration did not reach the tolerance within the iteration budget.
        case notConverged
    }

    public var kind: Kind
    public var key: String
    public var message: String

    public init(kind: Kind, key: String, message: String) {
        self.kind = kind
        self.key = key
        self.message = message
    }

    public var description: String { message }
}
