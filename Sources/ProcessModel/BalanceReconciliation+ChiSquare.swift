import RealModule

extension BalanceReconciliation.Result {
    /// Degrees of freedom of the global test: the number of independent balances.
    public var degreesOfFreedom: Int { residuals.count }

    /// p-value of the global test: the probability that measurement noise alone leaves the balances this far
    /// from closing (χ² survival function of ``globalStatistic`` with ``degreesOfFreedom``).
    public var globalPValue: Double { ChiSquare.survival(globalStatistic, degreesOfFreedom: degreesOfFreedom) }

    /// Whether the global test finds a gross error at `significance` (5 % by default).
    public func grossErrorDetected(significance: Double = 0.05) -> Bool { globalPValue < significance }
}

/// The χ² distribution's survival function, from the regularized incomplete gamma function:
/// `Q(k/2, x/2) = Γ(k/2, x/2)/Γ(k/2)`, by its power series for x < a + 1 and Lentz's continued fraction
/// otherwise (both converge fast in those ranges; Abramowitz & Stegun 6.5.29 and 6.5.31).
enum ChiSquare {
    static func survival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        precondition(k >= 1, "at least one degree of freedom")
        guard x > 0 else { return 1 }
        guard x.isFinite else { return 0 }
        let a = Double(k) / 2, z = x / 2
        let logPrefix = a * Double.log(z) - z - Double.logGamma(a)
        if z < a + 1 {
            // P(a, z) = e^(−z) z^a / Γ(a+1) · Σ z^n / ((a+1)…(a+n))
            var term = 1 / a, sum = term, n = 1.0
            while abs(term) > abs(sum) * 1e-16 && n < 10_000 {
                term *= z / (a + n)
                sum += term
                n += 1
            }
            return max(0, 1 - Double.exp(logPrefix) * sum)
        }
        // Q(a, z) = e^(−z) z^a / Γ(a) · 1/(z + 1 − a − 1·(1 − a)/(z + 3 − a − …)), modified Lentz.
        let tiny = 1e-300
        var b = z + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        var i = 1.0
        while i < 10_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return min(1, Double.exp(logPrefix) * h)
    }
}
