import RealModule

/// Binding of one component to the sorbent: Langmuir capacity and affinity, with rates, and how a
/// mobile-phase modulator (salt) changes them.
///
/// Units: capacity in mol per m³ of sorbent volume; affinity `K` in m³/mol; rates in 1/s;
/// enthalpy and activation energy in J/mol; γ in m³/mol; β dimensionless. With a modulator of
/// concentration c₀ (mol/m³) the affinity is `K·exp(γ c₀)/c₀^β` and the desorption rate `k_d·c₀^β`
/// (see ``ColumnIsotherm/modulated``); without one, γ and β are unused. Temperature dependence:
/// `K(T) = K_ref · exp(−ΔH/R · (1/T − 1/T_ref))` (van 't Hoff; ΔH < 0 for exothermic uptake,
/// which lowers `K` when hot) and `k(T) = k_ref · exp(−E_a/R · (1/T − 1/T_ref))` (Arrhenius).
public struct ColumnBinding: Sendable, Hashable {
    /// Langmuir capacity `q_max`, mol/m³ sorbent. Zero means the component does not bind.
    public var capacity: Double
    /// Langmuir affinity `K` at the reference temperature, m³/mol.
    public var affinity: Double
    /// Desorption rate `k_d` of the kinetic Langmuir (Thomas) law at the reference temperature, 1/s;
    /// the adsorption rate is `k_a = K · k_d`.
    public var desorptionRate: Double
    /// Linear-driving-force rate `k_LDF` at the reference temperature, 1/s.
    public var ldfRate: Double
    /// Adsorption enthalpy ΔH, J/mol (van 't Hoff).
    public var adsorptionEnthalpy: Double
    /// Activation energy of the rate constants, J/mol (Arrhenius).
    public var activationEnergy: Double
    /// γ of the mobile-phase-modulator Langmuir model, m³/mol: the affinity grows as `exp(γ c₀)` with
    /// the modulator (CADET-Core's `MPM_GAMMA`; hydrophobic or salting-in behaviour). γ > 0 makes a
    /// sorbent load in brine and release in water, as Li–Al LDH does.
    public var modulatorGamma: Double
    /// β of the mobile-phase-modulator Langmuir model: desorption grows as `c₀^β` (CADET-Core's
    /// `MPM_BETA`; ion exchange). 0 for LDH; between 0 and 10.
    public var modulatorBeta: Double

    public init(
        capacity: Double, affinity: Double, desorptionRate: Double = 0, ldfRate: Double = 0,
        adsorptionEnthalpy: Double = 0, activationEnergy: Double = 0, modulatorGamma: Double = 0,
        modulatorBeta: Double = 0
    ) {
        precondition(capacity >= 0 && affinity >= 0 && desorptionRate >= 0 && ldfRate >= 0)
        precondition(modulatorGamma.isFinite && modulatorBeta >= 0 && modulatorBeta <= 10)
        self.capacity = capacity
        self.affinity = affinity
        self.desorptionRate = desorptionRate
        self.ldfRate = ldfRate
        self.adsorptionEnthalpy = adsorptionEnthalpy
        self.activationEnergy = activationEnergy
        self.modulatorGamma = modulatorGamma
        self.modulatorBeta = modulatorBeta
    }

    /// A component that passes through without binding (a tracer).
    public static let inert = ColumnBinding(capacity: 0, affinity: 0)
}

/// How the solid approaches equilibrium.
public enum ColumnKinetics: String, Sendable, Hashable, CaseIterable {
    /// Kinetic (multi-component) Langmuir, the Thomas rate law:
    /// `dq_i/dt = k_a,i c_i q_max,i (1 − Σ_j q_j/q_max,j) − k_d,i q_i`; with a modulator, the
    /// mobile-phase-modulator Langmuir law (CADET-Core's `MOBILE_PHASE_MODULATOR`):
    /// `dq_i/dt = k_a,i e^{γ_i c₀} c_i q_max,i (1 − Σ_j q_j/q_max,j) − k_d,i c₀^β_i q_i`.
    case kineticLangmuir
    /// Linear driving force to the competitive Langmuir equilibrium:
    /// `dq_i/dt = k_LDF,i (q*_i(c) − q_i)`, `q*_i = q_max,i K_i c_i / (1 + Σ_j K_j c_j)`; with a
    /// modulator each `K_j` becomes `K_j e^{γ_j c₀} / c₀^β_j`, the equilibrium of the kinetic law.
    case linearDrivingForce
}

/// The competitive multi-component Langmuir isotherm with its kinetics and temperature dependence,
/// optionally modulated by a non-binding salt (component 0).
///
/// With one component, or with every other component's affinity zero, it reduces to the
/// single-component Langmuir isotherm. With ``modulated`` set, component 0 is the mobile-phase
/// modulator (salt or chloride, as in CADET-Core, where component 0 is the salt): it is transported
/// but never binds, and its local concentration c₀ sets the other components' affinity
/// `K·exp(γ c₀)/c₀^β` (Melander et al. 1989; Karlsson et al. 2004: docs/sources.md). With γ = β = 0 the modulated
/// isotherm is the plain one.
public struct ColumnIsotherm: Sendable, Hashable {
    public var components: [ColumnBinding]
    public var kinetics: ColumnKinetics
    /// Temperature at which the reference parameters hold, K.
    public var referenceTemperature: Double
    /// Whether component 0 is a mobile-phase modulator (it must not bind).
    public var modulated: Bool
    /// The component whose recovery the cycle KPIs report (lithium): by default 1 when component 0 is
    /// the modulator, else 0.
    public var targetComponent: Int

    public init(
        components: [ColumnBinding], kinetics: ColumnKinetics, referenceTemperature: Double = 298.15,
        modulated: Bool = false, targetComponent: Int? = nil
    ) {
        precondition(!components.isEmpty, "an isotherm needs at least one component")
        precondition(referenceTemperature > 0)
        precondition(!modulated || (components.count >= 2 && components[0].capacity == 0),
            "the modulator is component 0, does not bind, and modulates at least one other component")
        self.components = components
        self.kinetics = kinetics
        self.referenceTemperature = referenceTemperature
        self.modulated = modulated
        self.targetComponent = targetComponent ?? (modulated ? 1 : 0)
        precondition(components.indices.contains(self.targetComponent))
    }

    /// Molar gas constant, J/(mol·K) (CODATA 2018, exact).
    static let gasConstant = 8.314_462_618

    /// Parameters evaluated at a temperature (K), with capacities scaled by `capacityFactor`
    /// (1 for fresh sorbent; below 1 after fade).
    func evaluated(at temperature: Double, capacityFactor: Double) -> ColumnRates {
        precondition(temperature > 0)
        let inverseGap = 1 / temperature - 1 / referenceTemperature
        var rates = ColumnRates(count: components.count)
        for (i, b) in components.enumerated() {
            let vantHoff = Self.exp(-b.adsorptionEnthalpy / Self.gasConstant * inverseGap)
            let arrhenius = Self.exp(-b.activationEnergy / Self.gasConstant * inverseGap)
            rates.capacity[i] = b.capacity * capacityFactor
            rates.affinity[i] = b.affinity * vantHoff
            rates.desorption[i] = b.desorptionRate * arrhenius
            rates.adsorption[i] = rates.affinity[i] * rates.desorption[i]
            rates.ldf[i] = b.ldfRate * arrhenius
            rates.gamma[i] = modulated ? b.modulatorGamma : 0
            rates.beta[i] = modulated ? b.modulatorBeta : 0
        }
        rates.modulated = modulated
        return rates
    }

    /// Equilibrium loading (mol/m³ sorbent) in contact with liquid concentrations `c` (mol/m³); with a
    /// modulator, at the modulator concentration `c[0]`.
    public func equilibrium(_ c: [Double], temperature: Double? = nil, capacityFactor: Double = 1) -> [Double] {
        precondition(c.count == components.count)
        let r = evaluated(at: temperature ?? referenceTemperature, capacityFactor: capacityFactor)
        let modulator = modulated ? c[0] : 0
        let affinity = c.indices.map { r.capacity[$0] > 0 ? r.modulatedAffinity($0, modulator).value : 0 }
        var denominator = 1.0
        for i in c.indices where r.capacity[i] > 0 { denominator += affinity[i] * c[i] }
        return c.indices.map { r.capacity[$0] * affinity[$0] * c[$0] / denominator }
    }

    static func exp(_ x: Double) -> Double { Double.exp(x) }
}

/// Rate and capacity parameters at one temperature; what the right-hand side reads.
struct ColumnRates: Sendable {
    var capacity: [Double]
    var affinity: [Double]
    var adsorption: [Double]
    var desorption: [Double]
    var ldf: [Double]
    var gamma: [Double]
    var beta: [Double]
    var modulated = false

    init(count: Int) {
        capacity = Array(repeating: 0, count: count)
        affinity = capacity
        adsorption = capacity
        desorption = capacity
        ldf = capacity
        gamma = capacity
        beta = capacity
    }

    /// The smallest modulator concentration (mol/m³) the LDF equilibrium uses when β > 0: there the
    /// affinity `K/c₀^β` has no limit at c₀ = 0, so c₀ is held above this floor.
    static let modulatorFloor = 1e-9

    /// `exp(γ_i c₀)` and `c₀^β_i` with their derivatives in c₀, at a modulator concentration clipped at
    /// zero (an integrator may overshoot slightly below). `0^0` is 1, as in CADET-Core; the derivative of
    /// `c₀^β` at c₀ = 0 is taken as 0 for β < 1, where it has no finite value (the integrator is a
    /// W-method and keeps its order with this inexact entry).
    @inline(__always) func modulation(_ i: Int, _ c0: Double)
        -> (growth: Double, growthSlope: Double, power: Double, powerSlope: Double)
    {
        let c = max(c0, 0)
        // Below zero the clipped values are constant: their slopes are zero.
        let inside: Double = c0 >= 0 ? 1 : 0
        let growth = gamma[i] == 0 ? 1 : Double.exp(gamma[i] * c)
        let b = beta[i]
        if b == 0 { return (growth, inside * gamma[i] * growth, 1, 0) }
        let power = Double.pow(c, b)
        let powerSlope = c > 0 ? b * power / c : (b == 1 ? inside : 0)
        return (growth, inside * gamma[i] * growth, power, powerSlope)
    }

    /// The affinity `K_i e^{γ_i c₀} / c₀^β_i` (m³/mol) and its derivative in c₀, with c₀ held above
    /// ``modulatorFloor`` when β > 0.
    @inline(__always) func modulatedAffinity(_ i: Int, _ c0: Double) -> (value: Double, slope: Double) {
        guard modulated else { return (affinity[i], 0) }
        let lowest = beta[i] > 0 ? Self.modulatorFloor : 0
        guard c0 > lowest else {
            let value = affinity[i] * Double.exp(gamma[i] * lowest) / (beta[i] > 0 ? Double.pow(lowest, beta[i]) : 1)
            return (value, 0)
        }
        let value = affinity[i] * Double.exp(gamma[i] * c0 - beta[i] * Double.log(c0))
        return (value, value * (gamma[i] - beta[i] / c0))
    }
}
