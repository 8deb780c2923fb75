import RealModule

/// A lithium-selective sorbent: its capacity and how it depends on temperature, competition and age.
///
/// Equilibrium loading is competitive Langmuir:
///
///     q*(c) = q_max(T) · h · K·c_Li / (1 + K·c_Li + Σ_j (K/α_j)·c_j)        [mg/g; c in mg/L; K in L/mg]
///
/// where α_j = (q_Li/c_Li)/(q_j/c_j) is the separation factor of Li over species j, so species j binds with
/// K/α_j, and h = (1 − fade)^age is the sorbent's health. Capacity varies linearly with temperature around
/// the reference temperature of the capacity measurement, `q_max(T) = q_ref·(1 + β·(T − T_ref))`, clamped at
/// zero. Species the plant description does not give do not compete (the Upper Rhine major ions are [U]).
public struct Sorbent: Sendable, Hashable {
    /// The sorbent's chemistry, which sets its default selectivities and operating window.
    public enum Family: String, Sendable, Hashable, CaseIterable {
        /// Li–Al layered double hydroxide ([LiAl2(OH)6]+, Paranthaman et al. 2017): Eramet/IFPEN, VULSORB.
        case layeredDoubleHydroxide = "ldh"
        /// Manganese-oxide ion sieve (H1.6Mn1.6O4, Herrmann et al. 2022).
        case manganeseOxide = "mnox"
        /// Titanium-oxide ion sieve (H2TiO3, Chen et al. 2021; Dai et al. 2021).
        case titaniumOxide = "tiox"

        /// The family of a sorbent named in a plant description (`Li-Al-LDH`, `VULSORB`, `LMO`, …).
        public static func named(_ name: String) -> Family? {
            switch name.lowercased() {
            case "ldh", "li-al-ldh", "lialldh", "li/al-ldh", "eramet", "vulsorb": return .layeredDoubleHydroxide
            case "mnox", "lmo", "hmo", "h1.6mn1.6o4", "manganese-oxide": return .manganeseOxide
            case "tiox", "lto", "h2tio3", "titanium-oxide": return .titaniumOxide
            default: return nil
            }
        }
    }

    public var family: Family
    /// The name written in the plant description (e.g. `VULSORB`); VULSORB's chemistry is not published
    /// and is treated as an LDH (assumed).
    public var name: String
    /// Capacity at ``referenceTemperature``, mg Li per g sorbent. LDH 5.02–5.69 mg/g at 350 mg/L, 303 K [S]
    /// (Jiang et al. 2020): 5.0 by default.
    public var capacity: Double
    /// Temperature of the capacity measurement: 303 K [S] (Jiang et al. 2020).
    public var referenceTemperature: Temperature
    /// Relative capacity change per kelvin, β. [U]: −0.004 /K assumed for LDH, whose desorption improves with
    /// temperature (Guo et al. 2023 [S]), so capacity falls as temperature rises.
    public var capacityTemperatureCoefficient: Double
    /// Langmuir constant of Li, L/mg, in a liquid of ``referenceChloride``. [U] (docs/sources.md §2.2): 0.02 L/mg
    /// assumed (half loading at 50 mg/L).
    public var langmuirConstant: Double
    /// Salt sensitivity γ of the affinity, m³/mol (mobile-phase-modulator Langmuir, chloride the modulator):
    /// ``affinity(chloride:)``. LDH loads in brine and releases in water [S] (docs/sources.md §10): 2.5e-3 m³/mol
    /// [U] (a 70-fold drop from a 100 g/L brine to water); 0 for the ion sieves, whose elution (acid) the model
    /// does not carry.
    public var saltGamma: Double
    /// Exponent β of the modulator on desorption (`k_d·c₀^β`, ion exchange): 0 for LDH (the form).
    public var saltBeta: Double
    /// Chloride at which ``langmuirConstant`` holds, mol/m³: 60 g/L, the chloride of a 100 g/L NaCl brine
    /// [C] (docs/sources.md §10), as the examples and the benchmark's salt case.
    public var referenceChloride: Double
    /// Separation factors α(Li/j), dimensionless (see ``Family`` defaults).
    public var selectivity: Selectivity
    /// Mass of sorbent per bed volume, kg/m³. [U]: 650 kg/m³ assumed for a granular packed bed.
    public var bulkDensity: Double
    /// Fraction of capacity lost per cycle. [U]: the only figure is −16.8 % after 10 cycles for LDH–SiO2
    /// (Qian et al. 2023 [S]), a lab worst case; plants run > 13,000 h (Vulcan PP1 [S]): 2e-5 assumed.
    public var fadePerCycle: Double
    /// Cycles the sorbent has already run (0 = fresh).
    public var ageCycles: Double
    /// Linear-driving-force rate constant, 1/h, for the dynamic column model: ≈0.58 1/h [C] from Herrmann
    /// et al. 2022 (MnOx batch test, not LDH columns).
    public var ldfRate: Double
    /// Temperatures (°C) where the sorbent is known to work.
    public var operatingWindow: ClosedRange<Double>

    /// Separation factors α(Li/j) = (q_Li/c_Li)/(q_j/c_j).
    public struct Selectivity: Sendable, Hashable {
        public var sodium: Double
        public var potassium: Double
        public var calcium: Double
        public var magnesium: Double
        public init(sodium: Double, potassium: Double, calcium: Double, magnesium: Double) {
            self.sodium = sodium
            self.potassium = potassium
            self.calcium = calcium
            self.magnesium = magnesium
        }
    }

    public init(family: Family = .layeredDoubleHydroxide, name: String? = nil) {
        self.family = family
        self.name = name ?? family.rawValue
        referenceTemperature = .kelvin(303)
        langmuirConstant = 0.02
        bulkDensity = 650
        fadePerCycle = 2e-5
        ageCycles = 0
        ldfRate = 0.58
        saltGamma = 0
        saltBeta = 0
        referenceChloride = 60_000 / AtomicWeight.chlorine
        switch family {
        case .layeredDoubleHydroxide:
            saltGamma = 2.5e-3
            capacity = 5.0
            capacityTemperatureCoefficient = -0.004
            // α(Li/Mg) = 125 [S] (Zhong et al. 2021); Na, K, Ca [U]: 100 assumed.
            selectivity = .init(sodium: 100, potassium: 100, calcium: 100, magnesium: 125)
            // Works at 20 °C (Eramet Centenario [S]) and at 80 °C (EuGeLi [S]); 90 °C upper bound assumed.
            operatingWindow = 20...90
        case .manganeseOxide:
            // Granular HMO 16.5 mg/g loaded [S] (Bull. Soc. Sea Water Sci. Japan 48(6)).
            capacity = 16.5
            capacityTemperatureCoefficient = 0
            // [U]: 500 assumed for every competitor.
            selectivity = .init(sodium: 500, potassium: 500, calcium: 500, magnesium: 500)
            // Fast at 60 °C (KIT [S]); bounds assumed.
            operatingWindow = 20...80
        case .titaniumOxide:
            // Porous Ti ion sieve 25.8 mg/g; α Na 1,162, K 274, Ca 329 [S] (Chen et al. 2021); Mg [U]: 300.
            capacity = 25.8
            capacityTemperatureCoefficient = -0.004
            selectivity = .init(sodium: 1162, potassium: 274, calcium: 329, magnesium: 300)
            // Capacity drops at higher T by hydrolysis [S] (Marthi & Smith 2021): 60 °C upper bound assumed.
            operatingWindow = 20...60
        }
    }

    /// Fraction of fresh capacity left after ``ageCycles``: (1 − fade)^age.
    public var health: Double { Double.pow(1 - fadePerCycle, ageCycles) }

    /// Maximum capacity at temperature `t`, mg/g (fresh sorbent).
    public func maximumCapacity(at t: Temperature) -> Double {
        max(0, capacity * (1 + capacityTemperatureCoefficient * (t.kelvin - referenceTemperature.kelvin)))
    }

    /// Whether chloride modulates the affinity (γ or β not zero).
    public var isSaltModulated: Bool { saltGamma != 0 || saltBeta != 0 }

    /// The Langmuir constant, L/mg, in a liquid of `chloride` mol/m³:
    /// `K·e^{γ(c₀ − c_ref)}·(c_ref/c₀)^β`, the mobile-phase-modulator Langmuir affinity (CADET-Core's
    /// `MOBILE_PHASE_MODULATOR`) written around ``referenceChloride``; ``langmuirConstant`` when not modulated.
    public func affinity(chloride: Double) -> Double {
        guard isSaltModulated else { return langmuirConstant }
        let c = max(chloride, ColumnRates.modulatorFloor)
        return langmuirConstant * Double.exp(saltGamma * (c - referenceChloride) + saltBeta * Double.log(referenceChloride / c))
    }

    /// Equilibrium Li loading, mg/g, of the aged sorbent in a brine of `lithium` mg/L with competitors.
    ///
    /// - Parameters:
    ///   - lithium: Li in the liquid, mg/L.
    ///   - competitors: Σ_j c_j/α_j over the competing species, mg/L (see ``competition(in:)``).
    ///   - temperature: liquid temperature.
    ///   - chloride: chloride of the liquid, mol/m³ (see ``affinity(chloride:)``); `nil`: ``referenceChloride``.
    public func equilibriumLoading(lithium: Double, competitors: Double, temperature: Temperature, chloride: Double? = nil)
        -> Double
    {
        let k = affinity(chloride: chloride ?? referenceChloride)
        return maximumCapacity(at: temperature) * health * k * lithium / (1 + k * lithium + k * competitors)
    }

    /// Σ_j c_j/α_j in mg/L for the species of `brine` that compete with Li (Na, K, Ca, Mg).
    public func competition(in brine: Brine) -> Double {
        var sum = 0.0
        if let c = brine.composition[.Na] { sum += c.milligramsPerLitre / selectivity.sodium }
        if let c = brine.composition[.K] { sum += c.milligramsPerLitre / selectivity.potassium }
        if let c = brine.composition[.Ca] { sum += c.milligramsPerLitre / selectivity.calcium }
        if let c = brine.composition[.Mg] { sum += c.milligramsPerLitre / selectivity.magnesium }
        return sum
    }
}
