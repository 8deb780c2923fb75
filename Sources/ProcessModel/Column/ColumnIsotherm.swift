import RealModule

/// Binding of one component to the sorbent: Langmuir capacity and affinity, with rates.
///
/// Units: capacity in mol per m³ of sorbent volume; affinity `K` in m³/mol; rates in 1/s;
/// enthalpy and activation energy in J/mol. Temperature dependence:
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

    public init(
        capacity: Double, affinity: Double, desorptionRate: Double = 0, ldfRate: Double = 0,
        adsorptionEnthalpy: Double = 0, activationEnergy: Double = 0
    ) {
        precondition(capacity >= 0 && affinity >= 0 && desorptionRate >= 0 && ldfRate >= 0)
        self.capacity = capacity
        self.affinity = affinity
        self.desorptionRate = desorptionRate
        self.ldfRate = ldfRate
        self.adsorptionEnthalpy = adsorptionEnthalpy
        self.activationEnergy = activationEnergy
    }

    /// A component that passes through without binding (a tracer).
    public static let inert = ColumnBinding(capacity: 0, affinity: 0)
}

/// How the solid approaches equilibrium.
public enum ColumnKinetics: String, Sendable, Hashable, CaseIterable {
    /// Kinetic (multi-component) Langmuir, the Thomas rate law:
    /// `dq_i/dt = k_a,i c_i q_max,i (1 − Σ_j q_j/q_max,j) − k_d,i q_i`.
    case kineticLangmuir
    /// Linear driving force to the competitive Langmuir equilibrium:
    /// `dq_i/dt = k_LDF,i (q*_i(c) − q_i)`, `q*_i = q_max,i K_i c_i / (1 + Σ_j K_j c_j)`.
    case linearDrivingForce
}

/// The competitive multi-component Langmuir isotherm with its kinetics and temperature dependence.
///
/// With one component, or with every other component's affinity zero, it reduces to the
/// single-component Langmuir isotherm.
public struct ColumnIsotherm: Sendable, Hashable {
    public var components: [ColumnBinding]
    public var kinetics: ColumnKinetics
    /// Temperature at which the reference parameters hold, K.
    public var referenceTemperature: Double

    public init(components: [ColumnBinding], kinetics: ColumnKinetics, referenceTemperature: Double = 298.15) {
        precondition(!components.isEmpty, "an isotherm needs at least one component")
        precondition(referenceTemperature > 0)
        self.components = components
        self.kinetics = kinetics
        self.referenceTemperature = referenceTemperature
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
        }
        return rates
    }

    /// Equilibrium loading (mol/m³ sorbent) in contact with liquid concentrations `c` (mol/m³).
    public func equilibrium(_ c: [Double], temperature: Double? = nil, capacityFactor: Double = 1) -> [Double] {
        precondition(c.count == components.count)
        let r = evaluated(at: temperature ?? referenceTemperature, capacityFactor: capacityFactor)
        var denominator = 1.0
        for i in c.indices where r.capacity[i] > 0 { denominator += r.affinity[i] * c[i] }
        return c.indices.map { r.capacity[$0] * r.affinity[$0] * c[$0] / denominator }
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

    init(count: Int) {
        capacity = Array(repeating: 0, count: count)
        affinity = capacity
        adsorption = capacity
        desorption = capacity
        ldf = capacity
    }
}
