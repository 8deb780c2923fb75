/// The bed itself: length, cross-section and voidage.
public struct ColumnGeometry: Sendable, Hashable {
    /// Bed length, m.
    public var length: Double
    /// Cross-section, m².
    public var area: Double
    /// Interstitial (bed) voidage ε, between 0 and 1; particles are lumped.
    public var voidage: Double

    public init(length: Double, area: Double, voidage: Double) {
        precondition(length > 0 && area > 0 && voidage > 0 && voidage < 1)
        self.length = length
        self.area = area
        self.voidage = voidage
    }

    /// Bed volume L·A, m³.
    public var bedVolume: Double { length * area }
    /// Phase ratio F = (1 − ε)/ε.
    public var phaseRatio: Double { (1 - voidage) / voidage }
}

/// How the convective flux at a cell face is reconstructed from cell averages.
public enum ColumnScheme: String, Sendable, Hashable, CaseIterable {
    /// First-order upwind: robust, diffusive; for tests and comparisons.
    case upwind
    /// Koren's limited κ = 1/3 scheme (B. Koren 1993, "A robust upwind discretisation method for
    /// advection, diffusion and source terms"): third order where the profile is smooth and
    /// monotone, TVD at fronts and extrema. The default.
    case koren
    /// The unlimited κ = 1/3 upwind-biased scheme: third order everywhere, not TVD; for smooth,
    /// dispersed problems where the most accuracy per cell matters.
    case thirdOrder
}

/// A discretised column: the lumped rate model without pores on a uniform finite-volume grid.
///
/// Equations, per component i (c in mol/m³ of interstitial liquid, q in mol/m³ of sorbent):
///
///     ∂c_i/∂t = −v ∂c_i/∂z + D_ax ∂²c_i/∂z² − F ∂q_i/∂t,   F = (1 − ε)/ε,  v = u_s/ε
///     ∂q_i/∂t = kinetic Langmuir or LDF (``ColumnKinetics``)
///
/// with Danckwerts boundaries `v c_in = v c(0) − D_ax ∂c/∂z(0)` and `∂c/∂z(L) = 0`.
/// The finite-volume form is conservative: the total flux through the inlet face is exactly
/// `v c_in` (the Danckwerts condition), interior faces carry `v c_face − D (c_{j+1} − c_j)/h`,
/// and the outlet face carries `v c_face`. The outflow is integrated as part of the state, so the
/// integrator conserves mass to round-off (Rosenbrock methods keep linear invariants when the
/// Jacobian is exact, and this one is).
public struct ColumnModel: Sendable, Hashable {
    public var geometry: ColumnGeometry
    /// Axial dispersion coefficient, m²/s (0 for plug flow).
    public var dispersion: Double
    public var isotherm: ColumnIsotherm
    /// Number of finite-volume cells (at least 3).
    public var cells: Int
    public var scheme: ColumnScheme

    public init(
        geometry: ColumnGeometry, dispersion: Double, isotherm: ColumnIsotherm, cells: Int,
        scheme: ColumnScheme = .koren
    ) {
        precondition(cells >= 3, "a column needs at least 3 cells")
        precondition(dispersion >= 0)
        self.geometry = geometry
        self.dispersion = dispersion
        self.isotherm = isotherm
        self.cells = cells
        self.scheme = scheme
    }

    public var componentCount: Int { isotherm.components.count }
    /// Length of the state vector: outflow at z = 0, then per cell c and q, then outflow at z = L.
    var stateCount: Int { 2 * componentCount * (cells + 1) }

    @inline(__always) func cIndex(_ cell: Int, _ component: Int) -> Int {
        componentCount + cell * 2 * componentCount + component
    }
    @inline(__always) func qIndex(_ cell: Int, _ component: Int) -> Int {
        componentCount + cell * 2 * componentCount + componentCount + component
    }
    /// Index of the integrated outflow `∫ v c_out dt` (mol per m² of interstitial area) at an end.
    @inline(__always) func outflowIndex(atInlet: Bool, _ component: Int) -> Int {
        atInlet ? component : componentCount + cells * 2 * componentCount + component
    }
}

/// The operating conditions of one step: flow, feed, temperature, direction.
public struct ColumnFlow: Sendable, Hashable {
    /// Superficial velocity u_s, m/s (positive).
    public var superficialVelocity: Double
    /// Inlet concentrations, mol/m³, one per component.
    public var inlet: [Double]
    /// Temperature, K.
    public var temperature: Double
    /// Flow from z = L to z = 0 (backflush / countercurrent elution).
    public var reversed: Bool
    /// Axial dispersion of this step, m²/s, when it differs from the model's (a column given by its
    /// Péclet number disperses in proportion to the flow); `nil` takes ``ColumnModel/dispersion``.
    public var dispersion: Double?

    public init(
        superficialVelocity: Double, inlet: [Double], temperature: Double = 298.15, reversed: Bool = false,
        dispersion: Double? = nil
    ) {
        precondition(superficialVelocity > 0, "flow must be positive; model a pause as a separate step")
        precondition(temperature > 0)
        precondition(dispersion.map { $0 >= 0 } ?? true)
        self.superficialVelocity = superficialVelocity
        self.inlet = inlet
        self.temperature = temperature
        self.reversed = reversed
        self.dispersion = dispersion
    }
}
