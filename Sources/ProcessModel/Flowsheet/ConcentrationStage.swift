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
    /// recompression), ≈8× RO's, in the 4–8× band of docs/sources.md §3.1 [W].
    public var evaporationEnergyPerCubicMetre: Double = 25
    /// Eluate flow the RO is designed for, for its utilisation; `nil` when not stated.
    public var designFeed: VolumeFlow?
    /// RO feed pressure while concentrating, bar. [U]: 60 bar assumed (the simulator's `ro.pressure`).
    public var pressure: Double = 60
    /// RO pressure while idling on recirculation between elutions, bar. [U]: 20 bar assumed.
    public var idlePressure: Double = 20

    public init() {}

    /// The factor actually applied: 1 when the method is `none`.
    var effectiveConcentrationFactor: Double { method == .none ? 1 : concentrationFactor }
    var effectiveEvaporationFactor: Double { method == .reverseOsmosisEvaporation ? evaporationFactor : 1 }
}
