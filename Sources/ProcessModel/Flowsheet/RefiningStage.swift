/// Where the refined product leaves the plant as.
public enum ProductForm: String, Sendable, Hashable, CaseIterable {
    case lithiumCarbonate = "LCE"
    case lithiumHydroxideMonohydrate = "LHM"
    case lithiumChloride = "LiCl"

    /// Tonnes of product per tonne of Li (docs/sources.md §4.1 [C]).
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
    /// Volume of the concentrate buffer tank ahead of the refinery; `nil`: 12 h of the nominal concentrate
    /// flow [U] (design choice: a shift and a half of refinery stops absorbed).
    public var bufferTank: Volume?
    /// Level the refinery's feed controller holds in the buffer tank, as a fraction. [U]: 0.5 assumed. The
    /// feed is proportional to the level (nominal feed at the set point), so the level settles where the
    /// refinery takes what the concentration delivers.
    public var bufferSetpoint: Double = 0.5
    /// Product silo capacity, t of product; `nil`: 7 days of the nameplate (or of the estimated product
    /// without a nameplate) [U].
    public var productSilo: Double?
    /// Silo level at which a truck is called, and the level it leaves, as fractions. [U]: 0.9 and 0.1.
    public var siloDispatchLevel: Double = 0.9
    public var siloResidualLevel: Double = 0.1

    public init() {}

    /// Li2CO3 solubility, kg/m³: 12.9 at 25 °C and 6.9 at 100 °C [S] (1.29 and 0.69 g/100 mL, docs/sources.md
    /// §3.1), interpolated linearly in between and held flat outside.
    public static func carbonateSolubility(at t: Temperature) -> Double {
        let c = min(max(t.celsius, 25), 100)
        return 12.9 + (6.9 - 12.9) * (c - 25) / 75
    }
}
