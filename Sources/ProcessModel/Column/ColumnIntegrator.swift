import RealModule

/// An autonomous ODE system with a banded Jacobian, as the integrator sees it.
protocol ColumnODESystem {
    var dimension: Int { get }
    /// Lower and upper half-bandwidth of the Jacobian.
    var bandwidth: Int { get }
    func rhs(_ y: UnsafeBufferPointer<Double>, _ dy: UnsafeMutableBufferPointer<Double>)
    /// Adds ∂f/∂y at `y` to a zeroed band matrix.
    func jacobian(_ y: [Double], into jacobian: inout ColumnBandMatrix)
}

extension ColumnSystem: ColumnODESystem {
    var dimension: Int { model.stateCount }
    var bandwidth: Int { model.bandwidth }
}

/// How an integration call ended.
struct ColumnIntegrationEnd: Sendable {
    var time: Double
    /// The last step size tried, s: a good first guess for the next call.
    var nextStep: Double
    /// Whether the event function reached zero before the end time.
    var eventFired: Bool
}

/// Adaptive Rosenbrock integration (``ColumnRosenbrockTableau/ros34pw2``) with error control
/// on a weighted RMS norm, a clamped step-size factor and hard limits that throw.
struct ColumnIntegrator {
    let tableau = ColumnRosenbrockTableau.ros34pw2
    let tolerances: ColumnTolerances
    /// Absolute tolerance of each state variable; `.infinity` leaves it out of error control
    /// (the outflow integrals are quadratures of the state, not states to control).
    let absolute: [Double]

    /// Integrates from `t0` to `t1`, or until `event(y)` turns non-negative (found to within a
    /// few secant steps). Calls `observer(t, y)` after every accepted step.
    /// - Throws: ``ColumnError`` on step underflow, a non-finite state, an exhausted step budget
    ///   or a singular iteration matrix.
    func integrate<System: ColumnODESystem>(
        _ system: System, _ y: inout [Double], from t0: Double, to t1: Double, initialStep: Double,
        statistics: inout ColumnSolverStatistics,
        event: ((_ y: [Double]) -> Double)? = nil,
        observer: (_ t: Double, _ y: [Double]) -> Void
    ) throws(ColumnError) -> ColumnIntegrationEnd {
        let n = system.dimension
        precondition(y.count == n && absolute.count == n && t1 >= t0)
        let s = tableau.stages, gamma = tableau.gamma
        var jacobian = ColumnBandMatrix(size: n, lower: system.bandwidth, upper: system.bandwidth)
        var matrix = jacobian
        var stages = Array(repeating: Array(repeating: 0.0, count: n), count: s)
        var stageState = y, f0 = y, work = y, yNew = y
        var t = t0
        var step = min(max(initialStep, tolerances.minimumStep), tolerances.maximumStep, max(t1 - t0, tolerances.minimumStep))
        var previousEvent = event.map { $0(y) } ?? -1
        var attempts = 0
        var lastRejected = false

        func evaluate(_ state: [Double], _ out: inout [Double]) {
            state.withUnsafeBufferPointer { a in out.withUnsafeMutableBufferPointer { b in system.rhs(a, b) } }
            statistics.rhsEvaluations += 1
        }

        /// One Rosenbrock step of size `hStep` from `y` (Jacobian and f0 at y ready). Returns the
        /// error norm, or nil when the matrix is singular or the result not finite.
        func attempt(_ hStep: Double) -> Double? {
            matrix.storage = jacobian.storage
            let diagonal = 1 / (hStep * gamma)
            let width = matrix.width, lower = matrix.lower
            matrix.storage.withUnsafeMutableBufferPointer { m in
                for i in 0..<m.count { m[i] = -m[i] }
                for i in 0..<n { m[i * width + lower] += diagonal }
            }
            statistics.factorisations += 1
            guard matrix.factorise() else { return nil }
            for i in 0..<s {
                if i == 0 {
                    work = f0
                } else {
                    for k in 0..<n {
                        var sum = y[k]
                        for j in 0..<i { sum += tableau.a[i][j] * stages[j][k] }
                        stageState[k] = sum
                    }
                    evaluate(stageState, &work)
                    for j in 0..<i {
                        let factor = tableau.c[i][j] / hStep
                        for k in 0..<n { work[k] += factor * stages[j][k] }
                    }
                }
                matrix.solve(&work)
                stages[i] = work
            }
            var sum = 0.0, counted = 0
            for k in 0..<n {
                var value = y[k], error = 0.0
                for i in 0..<s {
                    value += tableau.m[i] * stages[i][k]
                    error += tableau.e[i] * stages[i][k]
                }
                yNew[k] = value
                guard value.isFinite else { return nil }
                let tolerance = absolute[k] + tolerances.relative * max(abs(y[k]), abs(value))
                if tolerance.isFinite {
                    let ratio = error / tolerance
                    sum += ratio * ratio
                    counted += 1
                }
            }
            return counted > 0 ? (sum / Double(counted)).squareRoot() : 0
        }

        while t < t1 {
            attempts += 1
            guard attempts <= tolerances.maximumSteps else {
                throw ColumnError(.stepBudgetExhausted, time: t, detail: "\(tolerances.maximumSteps) steps were not enough; loosen the tolerances or raise maximumSteps")
            }
            evaluate(y, &f0)
            guard f0.allSatisfy(\.isFinite) else {
                throw ColumnError(.nonFiniteState, time: t, detail: "the right-hand side is not finite")
            }
            jacobian.zero()
            system.jacobian(y, into: &jacobian)
            statistics.jacobianEvaluations += 1
            // Repeat this step until its error test passes.
            while true {
                let remaining = t1 - t
                var h = min(step, remaining)
                // Avoid leaving a sliver shorter than the minimum step at the end.
                if remaining - h < tolerances.minimumStep { h = remaining }
                guard let error = attempt(h) else {
                    statistics.rejectedSteps += 1
                    lastRejected = true
                    step = h * 0.25
                    guard step >= tolerances.minimumStep else {
                        throw ColumnError(.nonFiniteState, time: t, detail: "the step failed (singular matrix or non-finite state) down to the minimum step")
                    }
                    attempts += 1
                    continue
                }
                let factor = min(5, max(0.2, 0.9 * Double.pow(max(error, 1e-10), -1 / tableau.errorExponent)))
                if error > 1 {
                    statistics.rejectedSteps += 1
                    lastRejected = true
                    step = h * min(factor, 0.9)
                    guard step >= tolerances.minimumStep else {
                        throw ColumnError(.stepUnderflow, time: t, detail: "step \(step) s is below the minimum \(tolerances.minimumStep) s; loosen the tolerances or refine the grid")
                    }
                    attempts += 1
                    guard attempts <= tolerances.maximumSteps else {
                        throw ColumnError(.stepBudgetExhausted, time: t, detail: "\(tolerances.maximumSteps) steps were not enough")
                    }
                    continue
                }
                // Accepted: check the event before committing.
                if let event {
                    let value = event(yNew)
                    if value >= 0 && previousEvent < 0 {
                        // Secant iteration on the step size from the committed state y.
                        var low = 0.0, high = h, gLow = previousEvent, gHigh = value
                        for _ in 0..<12 {
                            let guess = low + (high - low) * (-gLow) / (gHigh - gLow)
                            let trial = min(max(guess, low + 1e-3 * (high - low)), high - 1e-3 * (high - low))
                            guard attempt(trial) != nil else { break }
                            let g = event(yNew)
                            if g >= 0 { high = trial; gHigh = g } else { low = trial; gLow = g }
                            if abs(g) <= 1e-6 || high - low <= tolerances.minimumStep { break }
                        }
                        _ = attempt(high)
                        statistics.acceptedSteps += 1
                        t += high
                        swap(&y, &yNew)
                        observer(t, y)
                        return ColumnIntegrationEnd(time: t, nextStep: step, eventFired: true)
                    }
                    previousEvent = value
                }
                statistics.acceptedSteps += 1
                t = h == remaining ? t1 : t + h
                swap(&y, &yNew)
                observer(t, y)
                step = min(h * (lastRejected ? min(factor, 1) : factor), tolerances.maximumStep)
                lastRejected = false
                break
            }
        }
        return ColumnIntegrationEnd(time: t, nextStep: step, eventFired: false)
    }
}
