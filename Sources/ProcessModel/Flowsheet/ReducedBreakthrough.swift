import RealModule

/// The breakthrough curve of the simulator's reduced DLE columns: the outlet/feed ratio of a loading column as
/// a function of the bed volumes it has loaded past its pore volume, `x`,
///
///     b(x) = λ + (1 − λ)·F(x),    F(x) = (σ((x/(s·x₅₀) − 1)/w) − σ₀)/(1 − σ₀),    σ₀ = σ(−1/w),
///
/// σ(z) = 1/(1 + e^(−z)): a logistic front shifted so that an unloaded bed passes exactly the leakage λ, with
/// front position x₅₀ (where the outlet is halfway for a narrow front), relative width w, and `s` the sorbent's
/// capacity relative to the state the curve describes (fade, fouling, temperature). Its shape (λ, w)
/// is fitted to the plant's own column (``DynamicSorption/freshBreakthrough(for:cells:maximumBedVolumes:)``)
/// and its position x₅₀ placed so that a load of L bed volumes captures what the plant's DLE model says
/// (``derive(for:cells:)``): the specified recovery, the isotherm's, or the column's cyclic steady state.
///
/// With ε the bed porosity, a load of L bed volumes first displaces the pores (ε bed volumes) and then runs
/// `X = L − ε` bed volumes past the sorbent, so the captured fraction of the Li fed is
/// `R = (X/L)·(1 − mean b over [0, X])`: the flowsheet's `C = R·L·c_f` with raffinate `L·c_f − C − ε·c_f + ε·c_el`.
public struct ReducedBreakthrough: Sendable, Hashable {
    public var leakage: Double
    /// Relative width w of the front (x₁₀ and x₉₀ are x₅₀·(1 ∓ w·ln 9)).
    public var width: Double
    /// x₅₀, bed volumes past the pore volume.
    public var halfBedVolumes: Double

    public init(leakage: Double, width: Double, halfBedVolumes: Double) {
        self.leakage = leakage
        self.width = width
        self.halfBedVolumes = halfBedVolumes
    }

    /// Outlet over feed after `x` bed volumes with capacity factor `s`.
    public func ratio(at x: Double, capacity s: Double = 1) -> Double {
        let x50 = max(halfBedVolumes * s, 1e-12)
        let s0 = Self.sigmoid(-1 / width)
        let front = (Self.sigmoid((x / x50 - 1) / width) - s0) / (1 - s0)
        return leakage + (1 - leakage) * max(0, front)
    }

    /// ∫₀ˣ b(u) du in bed volumes: what has left the column over the first `x` bed volumes, per unit of feed.
    public func passed(upTo x: Double, capacity s: Double = 1) -> Double {
        guard x > 0 else { return 0 }
        let x50 = max(halfBedVolumes * s, 1e-12)
        let s0 = Self.sigmoid(-1 / width)
        let logistic = width * x50 * (Self.softplus((x / x50 - 1) / width) - Self.softplus(-1 / width))
        return leakage * x + (1 - leakage) * max(0, logistic - s0 * x) / (1 - s0)
    }

    /// The fraction of the Li fed that a load of `load` bed volumes captures, with bed porosity `porosity`.
    public func recovery(load: Double, porosity: Double, capacity s: Double = 1) -> Double {
        let x = load - porosity
        guard x > 0, load > 0 else { return 0 }
        return (x - passed(upTo: x, capacity: s)) / load
    }

    /// The largest recovery this shape can give a load (an unbounded x₅₀): `(X/L)·(1 − λ)`.
    public static func largestRecovery(leakage: Double, load: Double, porosity: Double) -> Double {
        load > porosity ? (load - porosity) / load * (1 - leakage) : 0
    }

    /// This shape with x₅₀ placed so that a load of `load` bed volumes captures `recovery`, or `nil` when the
    /// leakage does not allow it.
    public func placed(recovery: Double, load: Double, porosity: Double) -> ReducedBreakthrough? {
        guard recovery > 0 else {
            return ReducedBreakthrough(leakage: leakage, width: width, halfBedVolumes: 1e-9)
        }
        guard recovery < Self.largestRecovery(leakage: leakage, load: load, porosity: porosity) else { return nil }
        // The recovery rises monotonically with x₅₀: bisect in log x₅₀.
        var lo = Double.log(1e-6 * load), hi = Double.log(1e6 * load)
        var candidate = self
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            candidate.halfBedVolumes = Double.exp(mid)
            if candidate.recovery(load: load, porosity: porosity) < recovery { lo = mid } else { hi = mid }
            if hi - lo < 1e-13 { break }
        }
        candidate.halfBedVolumes = Double.exp((lo + hi) / 2)
        return candidate
    }

    /// The shape of a fresh bed's breakthrough curve: λ its outlet before the front, and (x₅₀, w) the front
    /// that passes 10, 50 and 90 % of the way from λ to the feed where the curve does (w from x₉₀/x₁₀, which
    /// only w sets, then x₅₀ from x₅₀ of the curve), refined to the least squares of the curve up to three
    /// times x₉₀. `nil` when the curve does not reach 90 % of its front.
    public static func fit(_ curve: [(bedVolumes: Double, ratio: Double)]) -> ReducedBreakthrough? {
        guard let first = curve.first else { return nil }
        let leakage = min(max(first.ratio, 0), 0.95)
        let front = curve.map { ($0.bedVolumes, ($0.ratio - leakage) / (1 - leakage)) }
        guard let x10 = ColumnCurve.crossing(front, level: 0.1), let x50 = ColumnCurve.crossing(front, level: 0.5),
            let x90 = ColumnCurve.crossing(front, level: 0.9), x50 > 0, x10 > 0
        else { return nil }
        // Where F = p, relative to x₅₀: 1 + w·logit(σ₀ + p(1 − σ₀)).
        func at(_ p: Double, _ w: Double) -> Double {
            let s0 = sigmoid(-1 / w), y = s0 + p * (1 - s0)
            return 1 + w * Double.log(y / (1 - y))
        }
        let observed = x90 / x10
        var lo = Double.log(0.005), hi = Double.log(5.0)
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if at(0.9, Double.exp(mid)) / at(0.1, Double.exp(mid)) < observed { lo = mid } else { hi = mid }
        }
        let width = Double.exp((lo + hi) / 2)
        let guess = ReducedBreakthrough(leakage: leakage, width: width, halfBedVolumes: x50 / at(0.5, width))
        return guess.refined(against: curve.filter { $0.bedVolumes <= 3 * x90 })
    }

    /// This front with x₅₀ and w moved to the least squares of the curve (a pattern search in their logarithms,
    /// from this front): the 10/50/90 % points place it, the whole curve shapes it.
    func refined(against curve: [(bedVolumes: Double, ratio: Double)]) -> ReducedBreakthrough {
        let stride = max(1, curve.count / 2000)
        let points = Swift.stride(from: 0, to: curve.count, by: stride).map { curve[$0] }
        func error(_ b: ReducedBreakthrough) -> Double {
            points.reduce(0) { sum, p in
                let d = b.ratio(at: p.bedVolumes) - p.ratio; return sum + d * d
            }
        }
        var best = self, bestError = error(self)
        var step = 0.2
        while step > 1e-4 {
            var moved = false
            for (dx, dw) in [(step, 0.0), (-step, 0), (0, step), (0, -step)] {
                var candidate = best
                candidate.halfBedVolumes *= Double.exp(dx)
                candidate.width = min(max(candidate.width * Double.exp(dw), 0.005), 5)
                let e = error(candidate)
                if e < bestError {
                    best = candidate
                    bestError = e
                    moved = true
                }
            }
            if !moved { step /= 2 }
        }
        return best
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + Double.exp(-z)) }

    /// log(1 + eᶻ) without overflow.
    static func softplus(_ z: Double) -> Double { max(z, 0) + Double.log(onePlus: Double.exp(-abs(z))) }
}
