/// Heat exchange: the produced brine is cooled to the DLE inlet temperature, inside the sorbent's
/// operating window, and the heat goes to the geothermal plant.
///
/// Duty `P = ρ·Q·c_p·(T_well − T_inlet)`; no heating when the well is colder than the inlet set point.
public struct HeatExchangeStage: Sendable, Hashable {
    /// DLE inlet temperature: 80 °C at the EuGeLi pilot [S]; 60–80 °C in the region (docs/sources.md §1.2, §5.1).
    /// Vulcan cools the brine with intermediate heat exchangers before the Li plant [S].
    public var dleInletTemperature: Temperature = .celsius(80)
    /// Brine specific heat, J/(kg·K). [U] (KIT PETher measured it; values not read): 3,600 assumed for a
    /// ≈100 g/L chloride brine.
    public var specificHeat: Double = 3600

    public init() {}

    /// The temperature the brine leaves at and the heat recovered.
    public func evaluate(brine: Brine, flow: VolumeFlow) -> (outlet: Temperature, duty: Power) {
        let outlet = min(brine.temperature, dleInletTemperature)
        let duty = brine.density.kilogramsPerCubicMetre * flow.cubicMetresPerSecond * specificHeat
            * (brine.temperature.kelvin - outlet.kelvin)
        return (outlet, .watts(duty))
    }
}

/// Problems of a flowsheet result that do not stop it but that a reader must see.
public struct FlowsheetWarnings: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The DLE inlet temperature is outside the sorbent's known operating window.
    public static let inletOutsideSorbentWindow = FlowsheetWarnings(rawValue: 1 << 0)
    /// The load offers more Li than the working capacity: the cycle loads past breakthrough.
    public static let loadExceedsCapacity = FlowsheetWarnings(rawValue: 1 << 1)
    /// The specified DLE recovery is above what the isotherm and cycle allow.
    public static let specifiedRecoveryAboveEquilibrium = FlowsheetWarnings(rawValue: 1 << 2)
    /// The refinery is at its nameplate: product is capped and the surplus concentrate is lost.
    public static let refineryAtNameplate = FlowsheetWarnings(rawValue: 1 << 3)
    /// The specified Li2CO3 yield is above what Li2CO3 solubility in the mother liquor allows.
    public static let yieldAboveSolubilityLimit = FlowsheetWarnings(rawValue: 1 << 4)
    /// Brine density is extrapolated beyond the sourced NaCl table.
    public static let densityExtrapolated = FlowsheetWarnings(rawValue: 1 << 5)
    /// The DLE's feed exceeds its design flow (`dle.design_flow_l_per_s`).
    public static let dleAboveDesign = FlowsheetWarnings(rawValue: 1 << 6)
    /// The RO's feed exceeds its design feed (`concentration.design_feed_m3_per_h`).
    public static let concentrationAboveDesign = FlowsheetWarnings(rawValue: 1 << 7)

    /// One sentence per warning, for reports.
    public var descriptions: [String] {
        var lines: [String] = []
        if contains(.inletOutsideSorbentWindow) { lines.append("DLE inlet temperature outside the sorbent's operating window") }
        if contains(.loadExceedsCapacity) { lines.append("load bed volumes exceed the sorbent's working capacity: the cycle loads past breakthrough") }
        if contains(.specifiedRecoveryAboveEquilibrium) { lines.append("specified DLE recovery is above what the isotherm and cycle allow") }
        if contains(.refineryAtNameplate) { lines.append("refinery at nameplate: product capped, surplus concentrate lost") }
        if contains(.yieldAboveSolubilityLimit) { lines.append("Li2CO3 yield above the solubility limit of the mother liquor") }
        if contains(.densityExtrapolated) { lines.append("brine density extrapolated beyond the sourced NaCl table (84-130 g/L)") }
        if contains(.dleAboveDesign) {
            lines.append("DLE feed above its design flow (dle.design_flow_l_per_s): the columns run over design")
        }
        if contains(.concentrationAboveDesign) {
            lines.append("RO feed above its design feed (concentration.design_feed_m3_per_h): the unit runs over design")
        }
        return lines
    }
}
