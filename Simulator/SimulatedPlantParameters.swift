import ProcessModel

/// The parameters of the simulated plant's reduced (cycle-resolved, lumped) dynamic model.
///
/// Defaults describe a plant of the Rittershoffen/Soultz kind; `PlantSimulation.parameters(for:)` fills
/// them from a plant description. Figures with a source cite docs/sources.md; the rest are design choices
/// of a plausible plant, stated as such, because the publications give no value ([U] in docs/sources.md).
public struct SimulatedPlantParameters: Sendable, Hashable, Codable {
    // Production well
    /// Production flow at nominal pump speed, L/s. Soultz ran 18–24 L/s, Insheim 80 L/s (docs/sources.md §1.1).
    public var productionFlow: Double = 28
    /// Wellhead temperature while producing, °C. Rittershoffen 165 °C (docs/sources.md §1.1).
    public var wellheadTemperature: Double = 165
    /// Temperature the wellhead cools towards when the pump stops, °C (design choice).
    public var shutInTemperature: Double = 90
    /// Wellhead pressure while producing, bar: kept above CO2 breakout (docs/sources.md §5.1); ≈20 bar at the
    /// EuGeLi DLE inlet (docs/sources.md §1.2).
    public var wellheadPressure: Double = 22
    /// Wellhead pressure with the pump stopped, bar (design choice).
    public var shutInPressure: Double = 8
    /// Pump drive frequency at nominal flow, Hz.
    public var pumpFrequency: Double = 50
    /// Pump electrical power at nominal flow, kW (design choice: ρ g H Q / η for ≈ 600 m head, 70 %).
    public var pumpPower: Double = 240
    /// Time constant of the pump's speed ramp, s.
    public var pumpRampTime: Double = 30

    // Brine
    /// Li in the brine, mg/L. North Alsace 170–200 mg/L; Soultz ≈170 (docs/sources.md §1.1).
    public var brineLi: Double = 180
    /// Total dissolved solids, g/L. ≈100 g/L in the Upper Rhine Graben (docs/sources.md §1.1).
    public var brineTDS: Double = 100
    public var brinePH: Double = 5.2
    /// Brine density, kg/m³: ≈1,066 at 100 g/L (docs/sources.md §4.3, NaCl interpolation).
    public var brineDensity: Double = 1066
    /// Brine heat capacity, J/(kg K): NaCl brine of this strength (design value; PETher values [U]).
    public var brineHeatCapacity: Double = 3600

    // Heat exchange and DLE
    /// DLE inlet temperature, °C: 60–80 °C, EuGeLi 80 °C (docs/sources.md §1.2, §5.1).
    public var dleInletTemperature: Double = 75
    public var dleInletPressure: Double = 20
    /// Columns in the train; at any time all but the one in wash/elution load.
    public var columns: Int = 4
    /// Sorbent bed volume per column, m³.
    public var bedVolume: Double = 12
    /// Load phase duration, s; wash and elution follow. With 4 columns, 3 load while one regenerates.
    public var loadDuration: Double = 3 * 3600
    public var washDuration: Double = 0.25 * 3600
    public var eluteDuration: Double = 0.75 * 3600
    /// Wash and elution volumes in bed volumes per cycle (design choice).
    public var washBedVolumes: Double = 0.5
    public var eluteBedVolumes: Double = 2.0
    /// Bed volumes loaded when the outlet reaches half the feed, fresh sorbent at 70 °C (design choice: with
    /// the defaults a fresh bed loads ≈ 8.4 BV per cycle and recovers ≈ 94 %, as pilots report > 90 %:
    /// docs/sources.md §2.1).
    public var breakthroughBedVolumes: Double = 10
    /// Width of the breakthrough front relative to breakthrough volume.
    public var breakthroughWidth: Double = 0.08
    /// Fraction of Li that passes even a fresh bed (design choice).
    public var leakage: Double = 0.04
    /// Capacity lost per cycle. −16.8 % after 10 cycles for LDH–SiO2 (Qian et al. 2023, docs/sources.md §2.2)
    /// is a lab worst case; plants report > 13,000 h of operation (Vulcan PP1), so 2e-5 per cycle here.
    public var capacityFadePerCycle: Double = 2e-5
    /// Pressure drop of a clean loading column at nominal flow, bar (design choice).
    public var columnPressureDrop: Double = 0.8
    /// Fraction of loaded Li the eluent removes per cycle with enough eluent.
    public var elutionEfficiency: Double = 0.97

    // Concentration and refining
    /// RO concentration factor; up to 16 with RO + membrane distillation (docs/sources.md §3.1).
    public var roConcentrationFactor: Double = 8
    public var roLiRejection: Double = 0.98
    public var roPressure: Double = 60
    /// Refining yield of Li to product (Li2CO3 precipitation up to 80 %, Battaglia et al. 2022; LHM by
    /// electrolysis higher: design value 0.9).
    public var refiningYield: Double = 0.9
    /// Product per tonne of Li: 6.046 t LHM (docs/sources.md §4.1). 5.323 for Li2CO3.
    public var productPerLi: Double = 6.046
    /// Refinery feed capacity, m³/h, and buffer tank volume, m³.
    public var refineryFeedCapacity: Double = 4.5
    public var refineryTankVolume: Double = 40
    public var productSiloCapacity: Double = 50_000
    /// Electrolysis energy: 7.25 kWh/kg LiOH ≈ 4.14 kWh/kg LHM (Membranes 2020, docs/sources.md §3.1).
    public var refiningEnergyPerKg: Double = 4.14

    // Reinjection and utilities
    public var reinjectionTemperatureDrop: Double = 3
    public var reinjectionPressure: Double = 35
    /// Fresh water for reagents and cleaning per m³ of eluate, m³ (design choice).
    public var processWaterPerEluate: Double = 0.05
    /// Base electrical load of the Li plant, kW, and per m³/h of RO feed, kW (≈ 3 kWh/m³, design value).
    public var baseLoad: Double = 150
    public var roEnergyPerM3: Double = 3

    /// Resolves each DLE column with the dynamic column model (``ColumnDynamics``) instead of the logistic
    /// breakthrough; `nil` keeps the reduced model, which is ~100× faster.
    public var columnModel: ColumnDynamics?

    public init() {}

    /// Total cycle time of a column, s.
    public var cycleDuration: Double { loadDuration + washDuration + eluteDuration }
}

/// The sorbent and bed of a simulator run whose columns are stepped by ProcessModel's dynamic column model
/// (Langmuir isotherm, linear-driving-force kinetics, finite volumes; see `DynamicSorption`).
public struct ColumnDynamics: Sendable, Hashable, Codable {
    /// Capacity, mg Li per g sorbent: LDH 5.02–5.69 mg/g [S] (Jiang et al. 2020).
    public var capacity: Double = 5.0
    /// Langmuir constant, L/mg ([U]: 0.02 assumed, as the flowsheet).
    public var langmuirConstant: Double = 0.02
    /// Sorbent per bed volume, kg/m³ ([U]: 650 assumed); bed porosity ([U]: 0.4).
    public var bulkDensity: Double = 650
    public var bedPorosity: Double = 0.4
    /// Bed height, m: Eramet's pilot columns were 3 m [W].
    public var height: Double = 3
    /// LDF rate, 1/h: ≈0.58 [C] from Herrmann et al. 2022.
    public var ldfRatePerHour: Double = 0.58
    /// Finite-volume cells per column.
    public var cells: Int = 20

    public init() {}
}
