import RealModule

/// Closed-form solutions the column model is validated against.
public enum ColumnAnalytic {
    /// Exact outlet concentration c/c_feed of the Thomas problem: kinetic Langmuir
    /// `∂q/∂t = k_a c (q_max − q) − k_d q`, plug flow (no dispersion), step feed into a clean bed.
    ///
    /// Thomas (1944, J. Am. Chem. Soc. 66:1664) linearised the problem. In the frame τ = t − z/v,
    /// with c = ∂ψ/∂τ, q = −(v/F) ∂ψ/∂z and ψ = (1/k_a) ln φ, φ = e^{−a z − k_d τ} w, the
    /// function w solves the Goursat problem `w_zτ = μ w` (μ = a k_d, a = F k_a q_max / v) with
    /// `w(z, 0) = e^{a z}` and `w(0, τ) = e^{b τ}`, b = k_a c_feed + k_d. Riemann's method gives
    ///
    ///     w = R(z, τ) + ∫₀^z a e^{a s} R(z − s, τ) ds + ∫₀^τ b e^{b s} R(z, τ − s) ds,
    ///     R(x, y) = I₀(2√(μ x y)),
    ///
    /// and c = (w_τ / w − k_d) / k_a. The integrals are evaluated by composite Gauss–Legendre
    /// quadrature; the Bessel series converges for all arguments without cancellation.
    ///
    /// - Parameters: length (m), interstitial velocity (m/s), phase ratio F, capacity q_max
    ///   (mol/m³ solid), adsorption rate k_a (m³/(mol·s)), desorption rate k_d (1/s), feed (mol/m³),
    ///   time (s).
    public static func thomasOutlet(
        length: Double, velocity: Double, phaseRatio: Double, capacity: Double, adsorptionRate: Double,
        desorptionRate: Double, feed: Double, time: Double
    ) -> Double {
        let tau = time - length / velocity
        guard tau > 0 else { return 0 }
        let a = phaseRatio * adsorptionRate * capacity / velocity
        let b = adsorptionRate * feed + desorptionRate
        let mu = a * desorptionRate
        let z = length
        // R and ∂R/∂y (y is the τ-like argument): ∂R/∂y = μ x · G(μ x y), G(u) = I₁(2√u)/√u.
        let r0 = besselI0Series(4 * mu * z * tau)
        let ry0 = mu * z * besselI1OverHalfArgument(4 * mu * z * tau)
        let spaceR = gaussLegendre(0, z) { s in
            a * Double.exp(a * s) * besselI0Series(4 * mu * (z - s) * tau)
        }
        let spaceRy = gaussLegendre(0, z) { s in
            a * Double.exp(a * s) * mu * (z - s) * besselI1OverHalfArgument(4 * mu * (z - s) * tau)
        }
        let timeR = gaussLegendre(0, tau) { s in
            b * Double.exp(b * s) * besselI0Series(4 * mu * z * (tau - s))
        }
        // d/dτ ∫₀^τ b e^{bs} R(z, τ − s) ds = b e^{bτ} R(z, 0) + ∫₀^τ b e^{bs} R_y(z, τ − s) ds, R(z, 0) = 1.
        let timeRy = gaussLegendre(0, tau) { s in
            b * Double.exp(b * s) * mu * z * besselI1OverHalfArgument(4 * mu * z * (tau - s))
        }
        let w = r0 + spaceR + timeR
        let wTau = ry0 + spaceRy + b * Double.exp(b * tau) + timeRy
        return (wTau / w - desorptionRate) / (adsorptionRate * feed)
    }

    /// Outlet c/c_feed of a non-binding tracer after a step feed, with dispersion and the
    /// Danckwerts inlet.
    ///
    /// What leaves a column is the flux-averaged concentration c_f = c − (D/v) ∂c/∂z, and with the
    /// Danckwerts (flux) inlet c_f obeys the advection–dispersion equation with a first-type inlet
    /// c_f(0, t) = c_feed (Kreft & Zuber 1978, Chem. Eng. Sci. 33:1471). Its solution is
    /// Ogata & Banks's (1961, USGS Prof. Paper 411-A):
    ///
    ///     c_f/c₀ = ½ erfc(ξ₋) + ½ e^{vz/D} erfc(ξ₊),   ξ± = (z ± v t) / (2√(D t)),
    ///
    /// with the second term written as ½ e^{−ξ₋²} erfcx(ξ₊) so that it does not overflow at high
    /// Péclet numbers. The resident concentration of the semi-infinite bed at z = L
    /// (van Genuchten & Alves 1982, solution A5) differs from this by about (D/v) ∂c/∂z, 6e-3 here;
    /// the column's outlet (∂c/∂z = 0 there) carries the flux concentration.
    public static func tracerOutlet(length: Double, velocity: Double, dispersion: Double, time: Double) -> Double {
        guard time > 0 else { return 0 }
        let z = length, v = velocity, d = dispersion
        let root = (d * time).squareRoot()
        let minus = (z - v * time) / (2 * root), plus = (z + v * time) / (2 * root)
        return 0.5 * Double.erfc(minus) + 0.5 * Double.exp(-minus * minus) * erfcx(plus)
    }

    /// Constant-pattern breakthrough time (s) at which c/c_feed = x for LDF Langmuir uptake
    /// without dispersion: the asymptote of a long column.
    ///
    /// On the pattern q/q_feed = c/c_feed = x, and `dx/dt = k x r (1 − x)/(1 + r x)` with
    /// r = K c_feed. Integrating, `t(x) = t₀ + [ln x − (1 + r) ln(1 − x)] / (k r)`; the mass balance
    /// `∫₀¹ t(x) dx = t_s` (stoichiometric time L/v·(1 + F q_feed / c_feed)) fixes t₀ = t_s − 1/k.
    public static func constantPatternTime(
        fraction x: Double, stoichiometricTime: Double, ldfRate k: Double, affinityTimesFeed r: Double
    ) -> Double {
        precondition(x > 0 && x < 1 && k > 0 && r > 0)
        return stoichiometricTime - 1 / k + (Double.log(x) - (1 + r) * Double.log(1 - x)) / (k * r)
    }

    // MARK: Special functions

    /// I₀(√u) = Σ (u/4)^k / (k!)², written in u = x² so the series needs no square root.
    static func besselI0Series(_ u: Double) -> Double {
        var term = 1.0, sum = 1.0
        let quarter = u / 4
        for k in 1..<2000 {
            term *= quarter / Double(k * k)
            sum += term
            if term < 1e-17 * sum { break }
        }
        return sum
    }

    /// 2 I₁(√u)/√u = Σ (u/4)^k / (k! (k+1)!), the smooth factor of ∂R/∂y.
    static func besselI1OverHalfArgument(_ u: Double) -> Double {
        var term = 1.0, sum = 1.0
        let quarter = u / 4
        for k in 1..<2000 {
            term *= quarter / Double(k * (k + 1))
            sum += term
            if term < 1e-17 * sum { break }
        }
        return sum
    }

    /// Scaled complementary error function e^{x²} erfc(x). Direct below x = 5; above it the
    /// Laplace continued fraction erfcx(x) = 1/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
    /// evaluated bottom-up with 60 terms (ample for x ≥ 5).
    static func erfcx(_ x: Double) -> Double {
        if x < 5 { return Double.exp(x * x) * Double.erfc(x) }
        var fraction = x
        for k in stride(from: 60, through: 1, by: -1) { fraction = x + Double(k) / 2 / fraction }
        return 1 / (Double.pi.squareRoot() * fraction)
    }

    /// Composite 8-point Gauss–Legendre quadrature on [a, b] with 64 panels.
    static func gaussLegendre(_ a: Double, _ b: Double, _ f: (Double) -> Double) -> Double {
        // Nodes and weights of the 8-point rule on [−1, 1] (Abramowitz & Stegun, Table 25.4).
        let nodes: [Double] = [0.183434642495650, 0.525532409916329, 0.796666477413627, 0.960289856497536]
        let weights: [Double] = [0.362683783378362, 0.313706645877887, 0.222381034453374, 0.101228536290376]
        let panels = 64
        let width = (b - a) / Double(panels)
        var total = 0.0
        for p in 0..<panels {
            let mid = a + (Double(p) + 0.5) * width, half = width / 2
            for i in 0..<4 {
                total += weights[i] * (f(mid - half * nodes[i]) + f(mid + half * nodes[i]))
            }

        }
        return total * width / 2
    }
}
