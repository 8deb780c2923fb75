/// Bounded nonlinear least squares by Levenberg–Marquardt: minimises ½‖r(x)‖² over a box, with a forward-
/// difference Jacobian. The residuals are already weighted (r_i = √w_i·(model_i − data_i)).
///
/// The step solves (JᵀJ + μ·D)·δ = −Jᵀr with D the diagonal of JᵀJ (Marquardt 1963, SIAM J. Appl. Math.
/// 11:431), is projected onto the box, and is accepted when the cost falls; μ follows Nielsen's rule
/// (H. B. Nielsen 1999, "Damping parameter in Marquardt's method", IMM-REP-1999-05): after a gain ratio ρ > 0
/// it shrinks by max(1/3, 1 − (2ρ − 1)³), after a failure it grows by ν = 2, 4, 8, … A model evaluation that
/// throws (a value the model rejects) counts as a failed step.
struct LeastSquares {
    /// Lower and upper bounds per parameter (±infinity where open).
    var lower: [Double]
    var upper: [Double]
    /// Forward-difference step, relative to max(|x|, `typical`): 1e-3, a thousand times the model's own
    /// smoothness (the column solves' tolerance), so the Jacobian is good to about 0.1 %.
    var differenceStep = 1e-3
    var typical: [Double]
    var maximumIterations = 100
    /// Stop when the cost falls by less than this fraction in an accepted step.
    var costTolerance = 1e-12
    /// Stop when an accepted step's predicted decrease is below this fraction of the residual variance
    /// 2·cost/(n − p): the parameters then moved by about √(2 × 2.5e-3) ≈ 7 % of their standard errors, well
    /// inside their uncertainty, and further steps would chase the noise of the finite differences.
    var statisticalTolerance = 2.5e-3
    /// Stop after this many rejected steps in a row: the model's own noise floor is reached.
    var maximumRejections = 8
    /// Stop when the step is below this fraction of ‖x‖.
    var stepTolerance = 1e-10

    struct Result {
        var x: [Double]
        var residuals: [Double]
        /// Jacobian by columns, at `x` or (after a last step within the statistical tolerance, which moves the
        /// parameters by about 1 % of their standard errors) at the point before it.
        var jacobian: [[Double]]
        var cost: Double
        var iterations: Int
        /// Model evaluations (each one column solve per run).
        var evaluations: Int
        /// Parameters on a bound at the end.
        var atBound: [Bool]
        var converged: Bool
    }

    /// Minimises from `start` (inside the box).
    ///
    /// - Parameters:
    ///   - check: called with the Jacobian at the start, before any step; may throw to refuse the problem.
    /// - Throws: what the model throws at the start, or what `check` throws.
    ///   - nearby: the model for the finite differences around the point last passed to `model` (by default
    ///     `model` itself): a model that repeats that evaluation's discretisation gives differences smooth in x.
    func minimise(
        from start: [Double], check: (_ jacobian: [[Double]]) throws -> Void = { _ in },
        model: (_ x: [Double]) throws -> [Double], nearby: ((_ x: [Double]) throws -> [Double])? = nil
    ) throws -> Result {
        let p = start.count
        precondition(lower.count == p && upper.count == p && typical.count == p)
        var evaluations = 0
        func evaluate(_ x: [Double]) throws -> [Double] {
            evaluations += 1
            let r = try model(x)
            guard r.allSatisfy(\.isFinite) else { throw LeastSquaresFailure.nonFinite }
            return r
        }
        func jacobian(_ x: [Double], _ r: [Double]) throws -> [[Double]] {
            try (0..<p).map { j in
                var h = differenceStep * max(abs(x[j]), typical[j])
                if x[j] + h > upper[j] { h = -h }
                var moved = x
                moved[j] += h
                evaluations += 1
                let shifted = try nearby.map { try $0(moved) } ?? model(moved)
                return zip(shifted, r).map { ($0 - $1) / h }
            }
        }
        var x = start.indices.map { min(max(start[$0], lower[$0]), upper[$0]) }
        var r = try evaluate(x)
        var cost = 0.5 * r.reduce(0) { $0 + $1 * $1 }
        var jac = try jacobian(x, r)
        try check(jac)
        var mu = -1.0, nu = 2.0
        var iterations = 0, converged = false, rejections = 0
        while iterations < maximumIterations {
            iterations += 1
            let normal = SymmetricMatrix(normalOf: jac)
            let gradient = jac.map { column in zip(column, r).reduce(0) { $0 + $1.0 * $1.1 } }
            if mu < 0 { mu = 1e-3 * (0..<p).map { normal[$0, $0] }.max()! }
            // Parameters held by a bound that the gradient pushes against stay out of this step.
            let free = (0..<p).map { j in !((x[j] <= lower[j] && gradient[j] > 0) || (x[j] >= upper[j] && gradient[j] < 0)) }
            if zip(gradient, free).allSatisfy({ !$1 || abs($0) <= 1e-14 * max(cost, 1e-300) }) {
                converged = true
                break
            }
            var damped = normal
            for i in 0..<p {
                for j in 0..<p where !free[i] || !free[j] { damped[i, j] = i == j ? 1 : 0 }
                if free[i] { damped[i, i] += mu * max(normal[i, i], 1e-12 * max(1, normal[i, i])) }
            }
            guard let delta = damped.solve((0..<p).map { free[$0] ? -gradient[$0] : 0 }) else {
                mu *= nu
                nu *= 2
                continue
            }
            let trial = (0..<p).map { min(max(x[$0] + delta[$0], lower[$0]), upper[$0]) }
            let step = (0..<p).map { trial[$0] - x[$0] }
            let stepNorm = step.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let xNorm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if stepNorm <= stepTolerance * (xNorm + stepTolerance) {
                converged = true
                break
            }
            // Predicted decrease of the quadratic model along the projected step.
            var predicted = 0.0
            for i in 0..<p {
                predicted -= gradient[i] * step[i]
                for j in 0..<p { predicted -= 0.5 * step[i] * normal[i, j] * step[j] }
            }
            let trialResiduals = try? evaluate(trial)
            let trialCost = trialResiduals.map { 0.5 * $0.reduce(0) { $0 + $1 * $1 } } ?? .infinity
            let rho = predicted > 0 ? (cost - trialCost) / predicted : -1
            if rho > 0, let trialResiduals {
                let decrease = (cost - trialCost) / max(cost, 1e-300)
                let variance = 2 * trialCost / Double(max(r.count - p, 1))
                x = trial
                r = trialResiduals
                cost = trialCost
                rejections = 0
                if decrease < costTolerance || predicted < statisticalTolerance * variance {
                    converged = true
                    break
                }
                jac = try jacobian(x, r)
                let factor = 2 * rho - 1
                mu *= max(1.0 / 3, 1 - factor * factor * factor)
                nu = 2
            } else {
                mu *= nu
                nu *= 2
                rejections += 1
                if rejections >= maximumRejections {
                    converged = true
                    break
                }
            }
        }
        let atBound = (0..<p).map { x[$0] <= lower[$0] || x[$0] >= upper[$0] }
        return Result(
            x: x, residuals: r, jacobian: jac, cost: cost, iterations: iterations, evaluations: evaluations,
            atBound: atBound, converged: converged)
    }
}

enum LeastSquaresFailure: Error {
    case nonFinite
}
