import RealModule

/// Direct lithium extraction by sorption in a train of packed columns, averaged over a load–wash–elute
/// cycle (docs/sources.md §2.3).
///
/// Per m³ of bed and per cycle, with L, W, E the load, wash and elution bed volumes, ε the bed porosity and
/// c_f, c_el the Li in feed and eluent (kg/m³):
///
/// - fed: `F = L·c_f`; captured `C` (see ``Model``), limited to what the load leaves after refilling the
///   pores: `C ≤ (L − ε)·c_f + ε·c_el`;
/// - raffinate (to reinjection): `L·c_f − C − ε·c_f + ε·c_el` (the pores start the load full of eluent and
///   end it full of feed);
/// - spent wash (recycled to the feed, docs/sources.md §2.3 [S]): `ε·c_f·(1 − e^(−W/ε))`, the pore brine that
///   W bed volumes of wash displace from a well-mixed pore volume;
/// - eluate: `C + E·c_el + ε·c_f·e^(−W/ε) − ε·c_el`.
///
/// These four add up to `L·c_f + E·c_el` exactly, so the stage conserves lithium by construction. Liquid
/// volumes are conserved per step: raffinate = feed, spent wash = wash water, eluate = eluent. Bed-cycles per
/// second are `Q_feed / L`, which turns the per-bed figures into flows.
public struct SorptionStage: Sendable, Hashable {
    /// How the captured lithium per cycle is found.
    public enum Model: String, Sendable, Hashable, CaseIterable {
        /// `C = recovery · F`: a cycle-average recovery from pilots (``specifiedRecovery``).
        case specified
        /// From the isotherm: `C = smin(F·(1 − leakage), η_el·ρ_b·q*(c_f))`, the smaller of what the load
        /// offers and the working capacity, joined smoothly (``frontSharpness``).
        case equilibrium
        /// From the cyclic steady state of the dynamic column model (``dynamicRecovery``), computed outside
        /// the flowsheet (`dle.model: dynamic`).
        case dynamic
    }

    public var model: Model = .equilibrium
    /// Cycle-average recovery of the `specified` model. 90 % yield [S] (Eramet/IFPEN sorbent); > 90 % first
    /// pass [S] (Vulcan 2020–2024).
    public var specifiedRecovery: Double = 0.9
    /// Per-pass recovery found by the dynamic column model, when ``model`` is `dynamic`.
    public var dynamicRecovery: Double?
    public var sorbent = Sorbent()
    /// Columns in the train, and how many regenerate (wash/elute) while the others load.
    public var columns: Int = 4
    public var regeneratingColumns: Int = 1
    /// Bed volume of one column. [U]: 12 m³ assumed (a 2.3 m × 3 m column; Eramet's pilot used 3 m columns [W]).
    public var bedVolume: Volume = .cubicMetres(12)
    /// Column (bed) height, for the dynamic model's geometry: Eramet's pilot used 3 m columns [W] (metalswire).
    public var columnHeight: Double = 3
    /// Bed volumes per cycle for load, wash and elution. [U] (docs/sources.md §2.3 gives the steps, not the
    /// volumes): 30 / 2 / 3 assumed, as in the plant descriptions.
    public var loadBedVolumes: Double = 30
    public var washBedVolumes: Double = 2
    public var eluteBedVolumes: Double = 3
    /// Bed porosity (liquid fraction of the bed). [U]: 0.4 assumed (random packing of granules).
    public var bedPorosity: Double = 0.4
    /// Fraction of the loading that elution removes per cycle. [U]: 0.95 assumed.
    public var elutionEfficiency: Double = 0.95
    /// Fraction of the fed lithium that passes even an unloaded bed. [U]: 0.02 assumed.
    public var leakage: Double = 0.02
    /// Exponent n of the smooth minimum `a·b/(aⁿ + bⁿ)^(1/n)`: the sharper the breakthrough front, the larger
    /// (∞ is an ideal front). [U]: 4 assumed; the dynamic model computes the front itself.
    public var frontSharpness: Double = 4
    /// Li added to the eluent to stabilise the LDH (a little Li+ helps, Guo et al. 2023 [S]); 0 for water.
    /// [U]: 100 mg/L assumed for `water_with_li`.
    public var eluentLithium: MassConcentration = .zero
    /// Chloride salt in the wash water (NaCl or KCl, docs/sources.md §2.3 [S]). [U]: 0 g/L (water) by default.
    /// With a salt-modulated sorbent (LDH) a water wash strips the bed into the spent wash.
    public var washSalt: MassConcentration = .zero
    /// Salt (NaCl) in the eluent: elution with water, a dilute salt or dilute LiCl (docs/sources.md §2.3 [S]).
    /// [U]: 0 g/L by default.
    public var eluentSalt: MassConcentration = .zero
    /// Feed flow the DLE unit is designed for, for its utilisation; `nil` when not stated.
    public var designFlow: VolumeFlow?
    /// Electricity for the DLE unit's pumps and valves per m³ of feed. [U]: 0.2 kWh/m³ assumed.
    public var auxiliaryEnergyPerCubicMetre: Double = 0.2
    /// Pressure at the DLE inlet, bar: 20 bar at the EuGeLi pilot [S] (docs/sources.md §1.2), kept above CO2
    /// breakout.
    public var inletPressure: Double = 20
    /// Pressure drop of a clean loading column at the nominal load flow, bar. [U]: 0.8 bar assumed.
    public var pressureDrop: Double = 0.8
    /// Volume of the spent-wash tank that returns the washes to the feed; `nil`: two cycles of the train's wash
    /// water [U]. The tank evens out the washes, so the columns see the steady feed the flowsheet assumes; it is
    /// drained in proportion to its level, at the nominal spent-wash flow at ``spentWashSetpoint``.
    public var spentWashTank: Volume?
    /// Level the spent-wash tank's drain holds, as a fraction. [U]: 0.5 assumed.
    public var spentWashSetpoint: Double = 0.5
    /// Axial dispersion of the dynamic column model, m²/s: 5e-6 as the shared benchmark column-dle-v1
    /// (column Péclet ≈ 1,400 at 1 m and 10 BV/h) [U] for plant beds.
    public var axialDispersion: Double = 5e-6

    public init() {}

    /// Wash-out factor e^(−W/ε): the fraction of pore brine still in the bed after the wash.
    var poreRetention: Double { Double.exp(-washBedVolumes / bedPorosity) }

    /// Lithium captured per m³ of bed per cycle, kg/m³.
    ///
    /// - Parameters:
    ///   - feedLithium: c_f in kg/m³; `eluentLithium`: c_el in kg/m³.
    ///   - competitors: Σ c_j/α_j of the feed in mg/L.
    ///   - temperature: the feed temperature at the DLE inlet.
    ///   - chloride: the load's chloride, mol/m³ (``chloride(of:)`` of the brine).
    func captured(
        feedLithium cf: Double, eluentLithium cel: Double, competitors: Double, temperature: Temperature,
        chloride: Double
    ) -> Double {
        let fed = loadBedVolumes * cf
        let c: Double
        switch model {
        case .specified:
            c = specifiedRecovery * fed
        case .dynamic:
            c = (dynamicRecovery ?? 0) * fed  // validate() requires it
        case .equilibrium:
            let working = workingCapacity(
                feedLithium: cf, competitors: competitors, temperature: temperature, chloride: chloride)
            c = Self.smoothMinimum(fed * (1 - leakage), working, sharpness: frontSharpness)
        }
        return min(max(0, c), (loadBedVolumes - bedPorosity) * cf + bedPorosity * cel)
    }

    /// Lithium the eluent can remove per m³ of bed per cycle at equilibrium with the feed, kg/m³:
    /// `η_el · ρ_b · (q*(c_f, Cl_load) − q*(c_el, Cl_el))` with q* in mg/g = g/kg. The affinity follows the
    /// chloride of each step (``Sorbent/affinity(chloride:)``), as in the dynamic column: what the eluent leaves
    /// on a salt-modulated bed is its equilibrium with the eluent at its set point (``eluentLithium``, as the
    /// column's eluent; the Li recycled with the permeate does not feed back into the isotherm). A sorbent without salt modulation is eluted by
    /// a chemistry the model does not carry (acid, for ion sieves): there `η_el` alone says what elution removes.
    func workingCapacity(
        feedLithium cf: Double, competitors: Double, temperature: Temperature, chloride: Double
    ) -> Double {
        let q = sorbent.equilibriumLoading(
            lithium: cf * 1e3, competitors: competitors, temperature: temperature, chloride: chloride)
        let left = sorbent.isSaltModulated
            ? sorbent.equilibriumLoading(
                lithium: eluentLithium.milligramsPerLitre, competitors: eluentCompetitors, temperature: temperature, chloride: eluentChloride)
            : 0
        return elutionEfficiency * sorbent.bulkDensity * max(0, q - left) * 1e-3
    }

    /// a·b/(aⁿ + bⁿ)^(1/n): tends to min(a, b) as n grows, is smooth and monotone in both, and is 0 when either
    /// is 0. Computed on the ratio to stay finite for large n.
    static func smoothMinimum(_ a: Double, _ b: Double, sharpness n: Double) -> Double {
        guard a > 0, b > 0 else { return 0 }
        let (lo, hi) = a < b ? (a, b) : (b, a)
        return lo / Double.pow(1 + Double.pow(lo / hi, n), 1 / n)
    }
}
