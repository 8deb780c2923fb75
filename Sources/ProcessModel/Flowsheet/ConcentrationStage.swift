/// Concentration of the DLE eluate by reverse osmosis, optionally followed by evaporation.
///
/// RO splits the eluate (Q_e) into a concentrate `Q_e/CF` and a permeate `Q_e·(1 − 1/CF)` whose Li
/// concentration is `(1 − R)` times the feed's, so Li to permeate = `m_e·(1 − R)·(1 − 1/CF)`. The permeate
/// returns as eluent (Vulcan LEOP: RO of the eluate [S], Adamas 2023); what the elution cannot take goes to
/// reinjection. Evaporation then removes `1 − 1/EF` of the concentrate's water as condensate, reused as
/// wash water; Li stays in the concentrate.
public struct ConcentrationStage: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case none
        case reverseOsmosis = "reverse_osmosis"
        case reverseOsmosisEvaporation = "reverse_osmosis_evaporation"
    }

    public var method: Method = .reverseOsmosis
    /// Volume concentration factor of RO, CF ≥ 1. Up to 16 with RO + membrane distillation [S]
    /// (mining-report.de); 8 by default as in the plant descriptions (assumed).
    public var concentrationFactor: Double = 8
    /// Fraction of Li the membrane rejects, R. [U]: 0.98 assumed.
    public var lithiumRejection: Double = 0.98
    /// RO electricity per m³ of feed. [U]: 3 kWh/m³ assumed (seawater-RO order of magnitude).
    public var energyPerCubicMetre: Double = 3
    /// Evaporation factor EF ≥ 1 after RO (`reverse_osmosis_evaporation` only).
    public var evaporationFactor: Double = 1
    /// Evaporation electricity per m³ of water evaporated. [U]: 25 kWh/m³ assumed (mechanical vapour
    /// recompression), ≈8× RO's, in the 4–8× band of REFERENCE.md §3.1 [W].
    public var evaporationEnergyPerCubicMetre: Double = 25
    /// Eluate flow the RO is designed for, for its utilisation; `nil` when not stated.
    public var designFeed: VolumeFlow?

    public init() {}

    /// The factor actually applied: 1 when the method is `none`.
    var effectiveConcentrationFactor: Double { method == .none ? 1 : concentrationFactor }
    var effectiveEvaporationFactor: Double { method == .reverseOsmosisEvaporation ? evaporationFactor : 1 }
}

/// Where the refined product leaves the plant as.
public enum ProductForm: String, Sendable, Hashable, CaseIterable {
    case lithiumCarbonate = "LCE"
    case lithiumHydroxideMonohydrate = "LHM"
    case lithiumChloride = "LiCl"

    /// Tonnes of product per tonne of Li (REFERENCE.md §4.1 [C]).
    public var massPerLithium: Double {
        switch self {
        case .lithiumCarbonate: return LithiumCarbonate.massPerLithium
        case .lithiumHydroxideMonohydrate: return LithiumHydroxideMonohydrate.massPerLithium
        case .lithiumChloride: return LithiumChloride.massPerLithium
        }
    }

    public var formula: String {
        switch self {
        case .lithiumCarbonate: return LithiumCarbonate.formula
        case .lithiumHydroxideMonohydrate: return LithiumHydroxideMonohydrate.formula
        case .lithiumChloride: return LithiumChloride.formula
        }
    }
}

/// Refining of the concentrate to a battery-grade product.
public struct RefiningStage: Sendable, Hashable {
    public enum Route: String, Sendable, Hashable, CaseIterable {
        /// 2 LiCl + Na2CO3 → Li2CO3 + 2 NaCl.
        case lithiumCarbonateSodaAsh = "li2co3_soda_ash"
        /// Membrane electrolysis: 2 LiCl + 2 H2O → 2 LiOH + Cl2 + H2.
        case hydroxideElectrolysis = "lhm_electrolysis"
        /// Via Li2CO3, then Li2CO3 + Ca(OH)2 → 2 LiOH + CaCO3.
        case hydroxideCausticisation = "lhm_causticisation"
        /// LiCl as product (solution or salt; Vulcan's "40 % lithium chloride" [S], EnBW's Li salt [S]).
        case lithiumChloride = "licl"

        public var product: ProductForm {
            switch self {
            case .lithiumCarbonateSodaAsh: return .lithiumCarbonate
            case .hydroxideElectrolysis, .hydroxideCausticisation: return .lithiumHydroxideMonohydrate
            case .lithiumChloride: return .lithiumChloride
            }
        }
    }

    public var route: Route = .lithiumCarbonateSodaAsh
    /// Li to product over Li in the concentrate. Li2CO3 precipitation: up to 80 % [S] (Battaglia et al. 2022,
    /// from ≈4,000 ppm at 80 °C); other routes [U]: 0.9 assumed.
    public var yield: Double = 0.8
    /// Excess over stoichiometric reagent (soda ash, lime). [U]: 10 % assumed.
    public var reagentExcess: Double = 0.1
    /// Electrolysis energy per kg LHM: 7.25 kWh/kg LiOH at 1,200 A/m² [S] ≈ 4.14 kWh/kg LHM [C]
    /// (Membranes 2020, 10(9):198).
    public var electrolysisEnergyPerKilogram: Double = 4.14
    /// Other routes' electricity per tonne of product. [U]: 500 kWh/t assumed.
    public var energyPerTonne: Double = 500
    /// Fresh process water per tonne of product (reagent make-up, washing). [U]: 5 m³/t assumed.
    public var processWaterPerTonne: Double = 5
    /// Precipitation temperature for the solubility check: 80 °C (Battaglia et al. 2022 [S]).
    public var precipitationTemperature: Temperature = .celsius(80)
    /// Product the refinery can make per day, t/day; `nil` when not stated (no cap, no utilisation).
    public var nameplate: Double?

    public init() {}

    /// Li2CO3 solubility, kg/m³: 12.9 at 25 °C and 6.9 at 100 °C [S] (1.29 and 0.69 g/100 mL, REFERENCE.md
    /// §3.1), interpolated linearly in between and held flat outside.
    public static func carbonateSolubility(at t: Temperature) -> Double {
        let c = min(max(t.celsius, 25), 100)
        return 12.9 + (6.9 - 12.9) * (c - 25) / 75
    }
}

/// The depleted brine returned to the reservoir.
public struct ReinjectionStage: Sendable, Hashable {
    /// Reinjection temperature; `nil` = the DLE outlet, 3 K below its inlet (assumed heat loss).
    /// Soultz reinjects at 60–70 °C, Landau at 70–90 °C [S] (REFERENCE.md §1.1).
    public var temperature: Temperature?

    public init() {}
}

/// Site electricity: what a kWh emits.
public struct SiteEnergy: Sendable, Hashable {
    /// kg CO2 per kWh of grid electricity.
    public var gridEmissionFactor: Double

    public init(gridEmissionFactor: Double) { self.gridEmissionFactor = gridEmissionFactor }

    /// France: 32 g CO2eq per kWh produced in 2023 [S] (RTE, bilan électrique 2023,
    /// analysesetdonnees.rte-france.com; not in REFERENCE.md).
    public static let france = SiteEnergy(gridEmissionFactor: 0.032)
    /// Germany: 380 g CO2 per kWh of the 2023 electricity mix, estimate [S] (Umweltbundesamt via Statista;
    /// not in REFERENCE.md).
    public static let germany = SiteEnergy(gridEmissionFactor: 0.380)

    /// The grid of a country code or name; `nil` when unknown.
    public static func forCountry(_ country: String) -> SiteEnergy? {
        switch country.uppercased() {
        case "FR", "FRA", "FRANCE": return .france
        case "DE", "DEU", "GERMANY", "DEUTSCHLAND": return .germany
        default: return nil
        }
    }
}
