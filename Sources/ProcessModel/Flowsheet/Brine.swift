/// A dissolved species of a geothermal brine, as plant descriptions name it.
public enum BrineSpecies: String, Sendable, Hashable, CaseIterable {
    case Li, Na, K, Ca, Mg, Cl, Sr, SiO2, B, Fe, Mn, SO4, HCO3, Ba
}

/// A geothermal brine: composition, salinity, temperature, and the properties derived from them.
///
/// Concentrations are per volume (mg/L); docs/sources.md §4.3 warns that some sources report mg/kg. Only
/// lithium is required: the major ions of the Upper Rhine Graben brines are [U] in docs/sources.md §1.1 and
/// must come from the plant description, never from defaults.
public struct Brine: Sendable, Hashable {
    /// Lithium, the species every balance is about.
    public var lithium: MassConcentration
    /// Other species, when known.
    public var composition: [BrineSpecies: MassConcentration]
    /// Total dissolved solids.
    public var totalDissolvedSolids: MassConcentration
    /// Temperature at the production wellhead.
    public var temperature: Temperature
    /// A measured density; when `nil`, ``density`` estimates it from TDS.
    public var measuredDensity: Density?
    /// pH at the wellhead. [U]: 5.2 assumed; no figure could be read (docs/sources.md §1.1 names Sanjuan et al.
    /// 2022 for the major ions and pH): give the plant's own. The model does not use it; the simulator serves it.
    public var pH: Double = 5.2

    public init(
        lithium: MassConcentration, totalDissolvedSolids: MassConcentration = .gramsPerLitre(100),
        temperature: Temperature = .celsius(165), composition: [BrineSpecies: MassConcentration] = [:],
        measuredDensity: Density? = nil
    ) {
        self.lithium = lithium
        self.totalDissolvedSolids = totalDissolvedSolids
        self.temperature = temperature
        self.composition = composition
        self.measuredDensity = measuredDensity
    }

    /// The concentration of a species; lithium always, others when known.
    public func concentration(of species: BrineSpecies) -> MassConcentration? {
        species == .Li ? lithium : composition[species]
    }

    /// Density: the measured value, else the NaCl-solution estimate of ``densityFromTDS(_:)``.
    public var density: Density { measuredDensity ?? Self.densityFromTDS(totalDissolvedSolids) }

    /// Lithium mass flow carried by a volume flow of this brine.
    public func lithiumFlow(_ flow: VolumeFlow) -> MassFlow { flow * lithium }

    /// NaCl-solution densities at 20 °C, (g NaCl per L of solution, kg/m³) [S] (Poradnik
    /// fizykochemiczny, WNT 1974, via docs/sources.md §4.3).
    public static let naclDensityTable: [(tds: Double, density: Double)] = [
        (84.47, 1055.9), (107.07, 1070.7), (130.28, 1085.7),
    ]

    /// TDS range in g/L where ``densityFromTDS(_:)`` interpolates the sourced table; outside it the line is
    /// extrapolated (at 0 g/L it gives ≈1,001 kg/m³ against pure water's 998 at 20 °C: 0.3 % off).
    public static let densityValidity: ClosedRange<Double> = 84.47...130.28

    /// Density of a brine from its TDS: the least-squares line through ``naclDensityTable``
    /// (slope ≈0.650 kg/m³ per g/L; ≈1,066 kg/m³ at 100 g/L, as docs/sources.md §4.3 interpolates [C]).
    ///
    /// Valid for NaCl-dominated brines at about 20 °C; Upper Rhine brines carry a lot of Ca, so their
    /// real density differs (docs/sources.md §4.3; KIT PETher values [U]). Give a measured density when known.
    public static func densityFromTDS(_ tds: MassConcentration) -> Density {
        .kilogramsPerCubicMetre(densityLine.intercept + densityLine.slope * tds.gramsPerLitre)
    }

    static let densityLine: (slope: Double, intercept: Double) = {
        let n = Double(naclDensityTable.count)
        let mx = naclDensityTable.map(\.tds).reduce(0, +) / n
        let my = naclDensityTable.map(\.density).reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        for (x, y) in naclDensityTable {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
        }
        let slope = sxy / sxx
        return (slope, my - slope * mx)
    }()
}
