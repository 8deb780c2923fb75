/// The cases of the shared benchmark problem `dle-ldh-langmuir-v1`
/// (`shared/benchmarks/column-dle-v1.md`): lithium breakthrough and water elution on a Li–Al LDH
/// column. Every figure below is an input of that file.
public enum ColumnBenchmarkCase: String, Sendable, Hashable, CaseIterable {
    /// Kinetic Langmuir with dispersion, load then elution (the main case).
    case dle
    /// Kinetic Langmuir, no dispersion, load only for 12,000 s: the exact Thomas solution holds.
    case thomas
    /// LDF Langmuir, no dispersion, load only: the constant pattern is the asymptote.
    case ldf
    /// No binding, with dispersion, step feed for three residence times.
    case tracer
    /// Salt-modulated binding (mobile-phase-modulator Langmuir, component 0 the chloride): load in
    /// brine, salt wash, water elution. Defined in `Benchmarks/column/README.md` (`column-dle-v1` plus
    /// a modulator); CADET-Core's `MOBILE_PHASE_MODULATOR` solves the same problem.
    case salt

    // Inputs of column-dle-v1.md, "Inputs" table.
    public static let length = 1.0  // m
    public static let area = 0.01  // m²
    public static let voidage = 0.40
    public static let superficialVelocity = 10.0 / 3600  // 10 m/h, in m/s
    public static let dispersion = 5.0e-6  // m²/s
    /// 0.18 g/L Li with M(Li) = 6.941 g/mol.
    public static let feed = 180.0 / 6.941  // mol/m³ = 25.9329
    /// 6.0 mg/g × 1200 kg/m³ / 6.941 g/mol.
    public static let capacity = 6.0 * 1200 / 6.941  // mol/m³ solid = 1037.31
    public static let affinity = 0.15  // m³/mol
    public static let desorptionRate = 1.0e-3  // 1/s
    public static let ldfRate = 5.0e-3  // 1/s
    public static let loadTime = 10_800.0  // s (30 BV)
    public static let elutionEnd = 25_200.0  // s (40 BV of water after loading)
    public static let sampleInterval = 10.0  // s
    // The `salt` case (Benchmarks/column/README.md, "The salt case").
    /// Chloride of the brine and of the salt wash, mol/m³: 1,700 mol/m³ = 60.3 g/L Cl⁻, as in ≈100 g/L
    /// NaCl, the order of deep Upper Rhine Graben brines (docs/sources.md, "Column experiments").
    public static let brineChloride = 1700.0
    /// Affinity of Li at zero chloride, m³/mol; with γ it is 0.140 m³/mol in the brine (near `dle`'s 0.15).
    public static let saltFreeAffinity = 2.0e-3
    /// γ of the modulated affinity, m³/mol: e^{γ·1700} = 70, so water lowers the affinity 70-fold.
    public static let modulatorGamma = 2.5e-3
    /// End of the salt wash, s (2 BV after loading, as the shipped plants' 2-BV wash).
    public static let saltWashEnd = 11_520.0

    public var geometry: ColumnGeometry {
        ColumnGeometry(length: Self.length, area: Self.area, voidage: Self.voidage)
    }

    public var isotherm: ColumnIsotherm {
        switch self {
        case .dle, .thomas:
            ColumnIsotherm(
                components: [ColumnBinding(capacity: Self.capacity, affinity: Self.affinity, desorptionRate: Self.desorptionRate)],
                kinetics: .kineticLangmuir)
        case .ldf:
            ColumnIsotherm(
                components: [ColumnBinding(capacity: Self.capacity, affinity: Self.affinity, ldfRate: Self.ldfRate)],
                kinetics: .linearDrivingForce)
        case .tracer:
            ColumnIsotherm(components: [.inert], kinetics: .kineticLangmuir)
        case .salt:
            ColumnIsotherm(
                components: [
                    .inert,
                    ColumnBinding(
                        capacity: Self.capacity, affinity: Self.saltFreeAffinity, desorptionRate: Self.desorptionRate,
                        modulatorGamma: Self.modulatorGamma),
                ],
                kinetics: .kineticLangmuir, modulated: true)
        }
    }

    public var dispersion: Double {
        switch self {
        case .dle, .tracer, .salt: Self.dispersion
        case .thomas, .ldf: 0
        }
    }

    /// Interstitial velocity v = u_s/ε, m/s.
    public static var interstitialVelocity: Double { superficialVelocity / voidage }

    public func model(cells: Int, scheme: ColumnScheme = .koren) -> ColumnModel {
        ColumnModel(geometry: geometry, dispersion: dispersion, isotherm: isotherm, cells: cells, scheme: scheme)
    }

    /// The steps of the case.
    public var steps: [ColumnStep] {
        let feedFlow = ColumnFlow(superficialVelocity: Self.superficialVelocity, inlet: [Self.feed])
        let water = ColumnFlow(superficialVelocity: Self.superficialVelocity, inlet: [0])
        switch self {
        case .dle:
            return [
                ColumnStep(name: "load", kind: .load, flow: feedFlow, end: .duration(Self.loadTime)),
                ColumnStep(name: "elute", kind: .elute, flow: water, end: .duration(Self.elutionEnd - Self.loadTime)),
            ]
        case .thomas:
            return [ColumnStep(name: "load", kind: .load, flow: feedFlow, end: .duration(12_000))]
        case .ldf:
            return [ColumnStep(name: "load", kind: .load, flow: feedFlow, end: .duration(Self.loadTime))]
        case .tracer:
            let residence = Self.length / Self.interstitialVelocity
            return [ColumnStep(name: "load", kind: .load, flow: feedFlow, end: .duration(3 * residence))]
        case .salt:
            let u = Self.superficialVelocity, salt = Self.brineChloride
            return [
                ColumnStep(
                    name: "load", kind: .load, flow: ColumnFlow(superficialVelocity: u, inlet: [salt, Self.feed]),
                    end: .duration(Self.loadTime)),
                ColumnStep(
                    name: "salt wash", kind: .wash, flow: ColumnFlow(superficialVelocity: u, inlet: [salt, 0]),
                    end: .duration(Self.saltWashEnd - Self.loadTime)),
                ColumnStep(
                    name: "water", kind: .elute, flow: ColumnFlow(superficialVelocity: u, inlet: [0, 0]),
                    end: .duration(Self.elutionEnd - Self.saltWashEnd)),
            ]
        }
    }

    /// Scale of each component's concentration for the absolute tolerance, mol/m³: the feed, and the
    /// brine's chloride for the salt (``ColumnSimulator/componentScales``).
    public var componentScales: [Double] {
        self == .salt ? [Self.brineChloride, Self.feed] : [Self.feed]
    }

    /// The component whose outlet the case reports (Li): 1 in `salt`, after the chloride.
    public var target: Int { isotherm.targetComponent }

    /// The analytic reference c/c_feed at the outlet at time t (s), where one exists.
    /// For `ldf` this is the constant-pattern asymptote, not an exact solution.
    public func reference(time t: Double) -> Double? {
        let v = Self.interstitialVelocity
        switch self {
        case .thomas:
            return ColumnAnalytic.thomasOutlet(
                length: Self.length, velocity: v, phaseRatio: geometry.phaseRatio, capacity: Self.capacity,
                adsorptionRate: Self.affinity * Self.desorptionRate, desorptionRate: Self.desorptionRate,
                feed: Self.feed, time: t)
        case .tracer:
            return ColumnAnalytic.tracerOutlet(length: Self.length, velocity: v, dispersion: Self.dispersion, time: t)
        case .ldf, .dle, .salt:
            return nil
        }
    }

    /// Stoichiometric breakthrough time L/v·(1 + F q_feed/c_feed), s (7017.1 s in the benchmark).
    public static var stoichiometricTime: Double {
        let qFeed = capacity * affinity * feed / (1 + affinity * feed)
        return length / interstitialVelocity * (1 + (1 - voidage) / voidage * qFeed / feed)
    }
}
