/// The depleted brine returned to the reservoir.
public struct ReinjectionStage: Sendable, Hashable {
    /// Reinjection temperature; `nil` = the DLE outlet, 3 K below its inlet (assumed heat loss).
    /// Soultz reinjects at 60–70 °C, Landau at 70–90 °C [S] (docs/sources.md §1.1).
    public var temperature: Temperature?
    /// Cooling from the DLE outlet to the reinjection well when ``temperature`` is not given, K.
    /// [U]: 3 K assumed.
    public var temperatureDrop: Double = 3
    /// Reinjection wellhead pressure, bar; a reinjection well's `pressure` in the plant description sets it.
    /// [U]: 35 bar assumed (Soultz limits injection to 90 bar [W], docs/sources.md §1.2).
    public var pressure: Double = 35

    public init() {}

    /// The reinjection temperature for a DLE outlet at `outlet`.
    public func temperature(afterDLEAt outlet: Temperature) -> Temperature {
        temperature ?? .kelvin(outlet.kelvin - temperatureDrop)
    }
}

/// Site electricity: what a kWh emits.
public struct SiteEnergy: Sendable, Hashable {
    /// kg CO2 per kWh of grid electricity.
    public var gridEmissionFactor: Double

    public init(gridEmissionFactor: Double) { self.gridEmissionFactor = gridEmissionFactor }

    /// France: 32 g CO2eq per kWh produced in 2023 [S] (RTE, bilan électrique 2023,
    /// analysesetdonnees.rte-france.com; docs/sources.md §6).
    public static let france = SiteEnergy(gridEmissionFactor: 0.032)
    /// Germany: 380 g CO2 per kWh of the 2023 electricity mix, estimate [S] (Umweltbundesamt via Statista;
    /// docs/sources.md §6).
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
