/// Every process parameter by key path: what plant descriptions' `process:` sections, `geolith estimate
/// --set` and `geolith sweep --vary` may name. Defaults and sources are documented on the stage types.
public enum ProcessParameterCatalogue {
    /// The parameter with this key, or `nil`.
    public static func parameter(_ key: String) -> ProcessParameter? { byKey[key] }

    /// Sets `key` from text in `p`.
    ///
    /// - Throws: ``ProcessParameterError`` for an unknown key (with the closest known keys) or a bad value.
    public static func set(_ key: String, to text: String, in p: inout FlowsheetParameters)
        throws(ProcessParameterError)
    {
        guard let parameter = byKey[key] else {
            throw .init(key: key, message: "unknown process parameter \"\(key)\"\(suggestion(for: key))")
        }
        try parameter.set(text, in: &p)
    }

    static func suggestion(for key: String) -> String {
        KeySuggestions.hint(for: key, among: all.filter { if case .informational = $0.kind { false } else { true } }.map(\.key))
    }

    static let byKey: [String: ProcessParameter] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })

    static func number(
        _ key: String, _ unit: String, _ range: ClosedRange<Double>, _ summary: String, _ source: String,
        use: ProcessParameter.Use = .everywhere,
        get: @escaping @Sendable (FlowsheetParameters) -> Double?,
        set: @escaping @Sendable (inout FlowsheetParameters, Double) -> Void
    ) -> ProcessParameter {
        .init(
            key: key, kind: .number(unit: unit, range: range), summary: summary, source: source, use: use,
            read: { get($0).map { "\($0)" } }, write: { p, v, _ in set(&p, v) })
    }

    static func note(_ key: String, _ summary: String) -> ProcessParameter {
        .init(key: key, kind: .informational, summary: summary, source: "plant description", read: { _ in nil },
            write: { _, _, _ in })
    }

    static func choice(
        _ key: String, _ words: [String], _ summary: String, _ source: String,
        get: @escaping @Sendable (FlowsheetParameters) -> String,
        set: @escaping @Sendable (inout FlowsheetParameters, String) -> Void
    ) -> ProcessParameter {
        .init(key: key, kind: .choice(words), summary: summary, source: source, read: { get($0) },
            write: { p, _, w in set(&p, w) })
    }

    /// All parameters, in the order reports list them: the flowsheet's, then the plant's operation (what the
    /// simulator and the soft sensors need beyond a steady state).
    public static let all: [ProcessParameter] = flowsheet + operation

    /// The sorbent's isotherm figures: the equilibrium model's capacity and the dynamic column's binding.
    static let isotherm: ProcessParameter.Use = .dleModels([.equilibrium, .dynamic])

    /// The parameters of the steady-state flowsheet.
    static let flowsheet: [ProcessParameter] = [
        number("production.flow", "L/s", 0...100_000, "brine flow through the Li plant", "plant wells",
            get: { $0.productionFlow.litresPerSecond }, set: { $0.productionFlow = .litresPerSecond($1) }),
        number("brine.li", "mg/L", 0...100_000, "Li in the produced brine", "plant brine",
            get: { $0.brine.lithium.milligramsPerLitre }, set: { $0.brine.lithium = .milligramsPerLitre($1) }),
        number("brine.tds", "g/L", 0...500, "total dissolved solids", "plant brine",
            get: { $0.brine.totalDissolvedSolids.gramsPerLitre },
            set: { $0.brine.totalDissolvedSolids = .gramsPerLitre($1) }),
        number("brine.temperature", "°C", 0...400, "production temperature", "plant brine",
            get: { $0.brine.temperature.celsius }, set: { $0.brine.temperature = .celsius($1) }),
        number("availability_hours_per_year", "h", 0...8760, "operating hours per year",
            "8,000 h design, 8,400 h in 2019 at Rittershoffen [S]",
            get: { $0.availabilityHours }, set: { $0.availabilityHours = $1 }),
        number("heat_exchange.specific_heat_j_per_kg_k", "J/(kg·K)", 1000...5000, "brine specific heat",
            "assumed 3,600 ([U], PETher values not read)",
            get: { $0.heatExchange.specificHeat }, set: { $0.heatExchange.specificHeat = $1 }),
        choice("dle.model", SorptionStage.Model.allCases.map(\.rawValue), "how captured Li is found",
            "specified when dle.recovery is given, else equilibrium",
            get: { $0.dle.model.rawValue }, set: { $0.dle.model = .init(rawValue: $1)! }),
        number("dle.recovery", "1", 0...1, "cycle-average DLE recovery (implies dle.model: specified)",
            "90 % Eramet/IFPEN [S]; >90 % Vulcan [S]", use: .dleModels([.specified]),
            get: { $0.dle.specifiedRecovery },
            set: {
                $0.dle.specifiedRecovery = $1
                $0.dle.model = .specified
            }),
        number("dle.inlet_temperature_c", "°C", 0...200, "DLE inlet temperature after heat exchange",
            "80 °C EuGeLi [S]", get: { $0.heatExchange.dleInletTemperature.celsius },
            set: { $0.heatExchange.dleInletTemperature = .celsius($1) }),
        number("dle.column_height_m", "m", 0.01...100, "bed height (dynamic model geometry)", "3 m Eramet pilot [W]",
            use: .dleModels([.dynamic]),
            get: { $0.dle.columnHeight }, set: { $0.dle.columnHeight = $1 }),
        .init(
            key: "dle.columns", kind: .integer(range: 2...1000), summary: "columns in the train",
            source: "assumed 4", read: { "\($0.dle.columns)" }, write: { p, v, _ in p.dle.columns = Int(v) }),
        .init(
            key: "dle.regenerating_columns", kind: .integer(range: 1...999),
            summary: "columns washing or eluting at any time", source: "assumed 1",
            read: { "\($0.dle.regeneratingColumns)" }, write: { p, v, _ in p.dle.regeneratingColumns = Int(v) }),
        number("dle.bed_volume_m3", "m³", 1e-6...10_000, "sorbent bed volume per column", "assumed 12 m³",
            get: { $0.dle.bedVolume.cubicMetres }, set: { $0.dle.bedVolume = .cubicMetres($1) }),
        number("dle.cycle_bed_volumes.load", "BV", 1...10_000, "brine loaded per cycle", "assumed 30 BV ([U])",
            get: { $0.dle.loadBedVolumes }, set: { $0.dle.loadBedVolumes = $1 }),
        number("dle.cycle_bed_volumes.wash", "BV", 0...10_000, "wash water per cycle (recycled to feed)",
            "assumed 2 BV ([U])", get: { $0.dle.washBedVolumes }, set: { $0.dle.washBedVolumes = $1 }),
        number("dle.cycle_bed_volumes.elute", "BV", 0.01...10_000, "eluent per cycle", "assumed 3 BV ([U])",
            get: { $0.dle.eluteBedVolumes }, set: { $0.dle.eluteBedVolumes = $1 }),
        number("dle.bed_porosity", "1", 0.05...0.95, "liquid fraction of the bed", "assumed 0.4",
            get: { $0.dle.bedPorosity }, set: { $0.dle.bedPorosity = $1 }),
        number("dle.elution_efficiency", "1", 0...1, "fraction of the loading eluted per cycle", "assumed 0.95",
            use: .dleModels([.equilibrium]),
            get: { $0.dle.elutionEfficiency }, set: { $0.dle.elutionEfficiency = $1 }),
        number("dle.leakage", "1", 0...1, "Li passing an unloaded bed", "assumed 0.02", use: .dleModels([.equilibrium]),
            get: { $0.dle.leakage }, set: { $0.dle.leakage = $1 }),
        number("dle.front_sharpness", "1", 0.5...100, "smooth-minimum exponent of the breakthrough front",
            "assumed 4", use: .dleModels([.equilibrium]), get: { $0.dle.frontSharpness },
            set: { $0.dle.frontSharpness = $1 }),
        choice("dle.eluent", ["water", "water_with_li"], "eluent; a little Li+ stabilises LDH [S] (Guo 2023)",
            "water", get: { $0.dle.eluentLithium.si > 0 ? "water_with_li" : "water" },
            set: { $0.dle.eluentLithium = .milligramsPerLitre($1 == "water" ? 0 : 100) }),
        number("dle.eluent_li_mg_per_l", "mg/L", 0...10_000, "Li in the eluent", "assumed 100 mg/L with Li, else 0",
            get: { $0.dle.eluentLithium.milligramsPerLitre }, set: { $0.dle.eluentLithium = .milligramsPerLitre($1) }),
        number("dle.wash_salt_g_per_l", "g/L", 0...400, "NaCl/KCl in the wash water", "assumed 0 ([U])",
            get: { $0.dle.washSalt.gramsPerLitre }, set: { $0.dle.washSalt = .gramsPerLitre($1) }),
        number("dle.eluent_salt_g_per_l", "g/L", 0...400, "NaCl in the eluent (chloride sets LDH's affinity)",
            "assumed 0 ([U]); dilute salt eluents [S] (US 2025/0283195)",
            get: { $0.dle.eluentSalt.gramsPerLitre }, set: { $0.dle.eluentSalt = .gramsPerLitre($1) }),
        number("dle.design_flow_l_per_s", "L/s", 1e-6...100_000, "DLE design feed flow (utilisation)",
            "not stated by default", get: { $0.dle.designFlow?.litresPerSecond },
            set: { $0.dle.designFlow = .litresPerSecond($1) }),
        number("dle.auxiliary_kwh_per_m3", "kWh/m³", 0...100, "DLE pumping and valves per m³ of feed",
            "assumed 0.2", get: { $0.dle.auxiliaryEnergyPerCubicMetre },
            set: { $0.dle.auxiliaryEnergyPerCubicMetre = $1 }),
        choice("sorbent.type", ["Li-Al-LDH", "LDH", "VULSORB", "MnOx", "LMO", "HMO", "H2TiO3", "LTO"],
            "sorbent; sets the family defaults", "LDH (Eramet/IFPEN, VULSORB)",
            get: { $0.dle.sorbent.name },
            set: { p, word in p.dle.sorbent = Sorbent(family: Sorbent.Family.named(word)!, name: word) }),
        number("sorbent.capacity_mg_per_g", "mg/g", 0...1000, "capacity at the reference temperature",
            "LDH 5.02-5.69 mg/g [S] (Jiang 2020)", use: isotherm, get: { $0.dle.sorbent.capacity },
            set: { $0.dle.sorbent.capacity = $1 }),
        number("sorbent.reference_temperature_c", "°C", -50...400, "temperature of the capacity figure",
            "303 K [S] (Jiang 2020)", use: isotherm, get: { $0.dle.sorbent.referenceTemperature.celsius },
            set: { $0.dle.sorbent.referenceTemperature = .celsius($1) }),
        number("sorbent.capacity_temperature_coefficient_per_k", "1/K", -0.1...0.1, "relative capacity change per K",
            "assumed -0.004 ([U])", use: isotherm, get: { $0.dle.sorbent.capacityTemperatureCoefficient },
            set: { $0.dle.sorbent.capacityTemperatureCoefficient = $1 }),
        number("sorbent.langmuir_l_per_mg", "L/mg", 1e-9...1e6, "Langmuir constant of Li", "assumed 0.02 ([U])",
            use: isotherm,
            get: { $0.dle.sorbent.langmuirConstant }, set: { $0.dle.sorbent.langmuirConstant = $1 }),
        number("sorbent.bulk_density_kg_per_m3", "kg/m³", 1...5000, "sorbent mass per bed volume", "assumed 650",
            use: isotherm,
            get: { $0.dle.sorbent.bulkDensity }, set: { $0.dle.sorbent.bulkDensity = $1 }),
        number("sorbent.selectivity.Na", "1", 1e-3...1e9, "separation factor Li/Na", "LDH assumed 100; Ti 1,162 [S]",
            use: .dleModels([.equilibrium]),
            get: { $0.dle.sorbent.selectivity.sodium }, set: { $0.dle.sorbent.selectivity.sodium = $1 }),
        number("sorbent.selectivity.K", "1", 1e-3...1e9, "separation factor Li/K", "LDH assumed 100; Ti 274 [S]",
            use: .dleModels([.equilibrium]),
            get: { $0.dle.sorbent.selectivity.potassium }, set: { $0.dle.sorbent.selectivity.potassium = $1 }),
        number("sorbent.selectivity.Ca", "1", 1e-3...1e9, "separation factor Li/Ca", "LDH assumed 100; Ti 329 [S]",
            use: .dleModels([.equilibrium]),
            get: { $0.dle.sorbent.selectivity.calcium }, set: { $0.dle.sorbent.selectivity.calcium = $1 }),
        number("sorbent.selectivity.Mg", "1", 1e-3...1e9, "separation factor Li/Mg", "LDH 125 [S] (Zhong 2021)",
            use: .dleModels([.equilibrium]),
            get: { $0.dle.sorbent.selectivity.magnesium }, set: { $0.dle.sorbent.selectivity.magnesium = $1 }),
        number("sorbent.fade_per_cycle", "1", 0...0.5, "capacity lost per cycle", "assumed 2e-5 ([U])",
            get: { $0.dle.sorbent.fadePerCycle }, set: { $0.dle.sorbent.fadePerCycle = $1 }),
        number("sorbent.age_cycles", "1", 0...1e9, "cycles already run", "0 (fresh)",
            get: { $0.dle.sorbent.ageCycles }, set: { $0.dle.sorbent.ageCycles = $1 }),
        number("sorbent.k_ldf_per_hour", "1/h", 1e-6...1e6, "LDF rate constant (dynamic model)",
            "0.58 1/h [C] (Herrmann 2022)", use: .dleModels([.dynamic]), get: { $0.dle.sorbent.ldfRate },
            set: { $0.dle.sorbent.ldfRate = $1 }),
        number("sorbent.salt_gamma_m3_per_mol", "m³/mol", -0.1...0.1,
            "salt sensitivity γ: affinity ∝ exp(γ·Cl) (LDH loads in brine, releases in water)",
            "LDH assumed 2.5e-3 ([U], docs/sources.md §10); ion sieves 0", use: isotherm,
            get: { $0.dle.sorbent.saltGamma }, set: { $0.dle.sorbent.saltGamma = $1 }),
        number("sorbent.salt_beta", "1", 0...10, "salt exponent β: affinity ∝ Cl^-β (ion exchange)",
            "0 for LDH (mobile-phase-modulator Langmuir, CADET-Core)", use: isotherm,
            get: { $0.dle.sorbent.saltBeta }, set: { $0.dle.sorbent.saltBeta = $1 }),
        number("sorbent.reference_chloride_g_per_l", "g/L", 1e-3...300, "chloride at which langmuir_l_per_mg holds",
            "60 g/L, a 100 g/L NaCl brine [C] (docs/sources.md §10)", use: isotherm,
            get: { $0.dle.sorbent.referenceChloride * AtomicWeight.chlorine / 1000 },
            set: { $0.dle.sorbent.referenceChloride = $1 * 1000 / AtomicWeight.chlorine }),
        choice("concentration.method", ConcentrationStage.Method.allCases.map(\.rawValue), "eluate concentration",
            "reverse osmosis (Vulcan LEOP [S])", get: { $0.concentration.method.rawValue },
            set: { $0.concentration.method = .init(rawValue: $1)! }),
        number("concentration.concentration_factor", "1", 1...1000, "RO volume concentration factor",
            "up to 16 with RO+MD [S]; 8 assumed", get: { $0.concentration.concentrationFactor },
            set: { $0.concentration.concentrationFactor = $1 }),
        number("concentration.li_rejection", "1", 0...1, "Li rejected by the membrane", "assumed 0.98",
            get: { $0.concentration.lithiumRejection }, set: { $0.concentration.lithiumRejection = $1 }),
        number("concentration.energy_kwh_per_m3", "kWh/m³", 0...100, "RO electricity per m³ feed", "assumed 3",
            get: { $0.concentration.energyPerCubicMetre }, set: { $0.concentration.energyPerCubicMetre = $1 }),
        number("concentration.evaporation_factor", "1", 1...1000, "evaporation concentration factor after RO",
            "1 (none)", get: { $0.concentration.evaporationFactor },
            set: { $0.concentration.evaporationFactor = $1 }),
        number("concentration.evaporation_kwh_per_m3", "kWh/m³", 0...1000, "electricity per m³ evaporated",
            "assumed 25 (≈8× RO; 4-8× [W])", get: { $0.concentration.evaporationEnergyPerCubicMetre },
            set: { $0.concentration.evaporationEnergyPerCubicMetre = $1 }),
        number("concentration.design_feed_m3_per_h", "m³/h", 1e-6...1e6, "RO design feed (utilisation)",
            "not stated by default", get: { $0.concentration.designFeed?.cubicMetresPerHour },
            set: { $0.concentration.designFeed = .cubicMetresPerHour($1) }),
        choice("refining.route", RefiningStage.Route.allCases.map(\.rawValue), "refining route; sets its yield",
            "li2co3_soda_ash", get: { $0.refining.route.rawValue },
            set: {
                $0.refining.route = .init(rawValue: $1)!
                $0.refining.yield = $0.refining.route == .lithiumCarbonateSodaAsh ? 0.8 : 0.9
            }),
        number("refining.yield", "1", 0...1, "Li to product over Li fed", "Li2CO3 up to 80 % [S]; others 0.9 assumed",
            get: { $0.refining.yield }, set: { $0.refining.yield = $1 }),
        number("refining.precipitation_recovery", "1", 0...1, "Li2CO3 precipitation recovery (= refining.yield)",
            "up to 80 % [S] (Battaglia 2022)", get: { $0.refining.yield }, set: { $0.refining.yield = $1 }),
        number("refining.reagent_excess", "1", 0...10, "reagent excess over stoichiometric", "assumed 0.1",
            get: { $0.refining.reagentExcess }, set: { $0.refining.reagentExcess = $1 }),
        number("refining.electrolysis_kwh_per_kg_lhm", "kWh/kg", 0...100, "electrolysis energy per kg LHM",
            "4.14 [C] from 7.25 kWh/kg LiOH [S]", get: { $0.refining.electrolysisEnergyPerKilogram },
            set: { $0.refining.electrolysisEnergyPerKilogram = $1 }),
        number("refining.energy_kwh_per_t", "kWh/t", 0...1e5, "other routes' electricity per t product",
            "assumed 500", get: { $0.refining.energyPerTonne }, set: { $0.refining.energyPerTonne = $1 }),
        number("refining.process_water_m3_per_t", "m³/t", 0...1e4, "refinery fresh water per t product",
            "assumed 5", get: { $0.refining.processWaterPerTonne }, set: { $0.refining.processWaterPerTonne = $1 }),
        number("refining.precipitation_temperature_c", "°C", 0...200, "Li2CO3 precipitation temperature",
            "80 °C [S] (Battaglia 2022)", get: { $0.refining.precipitationTemperature.celsius },
            set: { $0.refining.precipitationTemperature = .celsius($1) }),
        number("refining.nameplate_t_per_day", "t/d", 1e-9...1e9, "refinery capacity, t product per day",
            "not stated by default", get: { $0.refining.nameplate }, set: { $0.refining.nameplate = $1 }),
        number("reinjection.temperature_c", "°C", 0...400, "reinjection temperature",
            "DLE outlet less reinjection.temperature_drop_k by default", get: { $0.reinjection.temperature?.celsius },
            set: { $0.reinjection.temperature = .celsius($1) }),
        number("reinjection.temperature_drop_k", "K", 0...200, "cooling from the DLE outlet to reinjection",
            "assumed 3 K ([U])", get: { $0.reinjection.temperatureDrop }, set: { $0.reinjection.temperatureDrop = $1 }),
        number("energy.grid_kg_co2_per_kwh", "kg/kWh", 0...5, "grid CO2 per kWh",
            "FR 0.032 (RTE 2023), DE 0.380 (UBA 2023)", get: { $0.energy.gridEmissionFactor },
            set: { $0.energy.gridEmissionFactor = $1 }),
        number("energy.base_load_kw", "kW", 0...1e6, "Li plant base load (control, lighting, HVAC)",
            "0: none published, give the plant's [U]", get: { $0.baseLoadKilowatts },
            set: { $0.baseLoadKilowatts = $1 }),
        number("reservoir.recirculation_fraction", "1", 0...0.99, "long-term returned fraction f_max",
            "0.48, calibrated to Goldberg 2023's 30-50 %", get: { $0.reservoir.recirculationFraction },
            set: { $0.reservoir.recirculationFraction = $1 }),
        number("reservoir.breakthrough_years", "yr", 0...1000, "years before reinjected fluid returns",
            "assumed 2", get: { $0.reservoir.breakthroughYears }, set: { $0.reservoir.breakthroughYears = $1 }),
        number("reservoir.time_constant_years", "yr", 0.01...1000, "years to approach f_max", "assumed 8",
            get: { $0.reservoir.timeConstantYears }, set: { $0.reservoir.timeConstantYears = $1 }),
        note("seismic_traffic_light", "flow is cut when microseismicity rises (Rittershoffen [S])"),
        note("scale_inhibitor", "scale inhibitor dosed"),
        note("filter_micrometres", "filter size on production and reinjection lines"),
        note("max_injection_pressure_bar", "injection pressure limit"),
    ]
}
