import RealModule

/// An autonomous ODE system with a banded Jacobian, as the integrator sees it.
protocol ColumnODESystem {
    var dimension: Int { get }
    /// Half-bandwidths of the Jacobian below and above the diagonal (quadrature rows aside).
    var lowerBandwidth: Int { get }
    var upperBandwidth: Int { get }
    /// How the unknowns split into blocks (by default one coupled band of the two bandwidths above).
    var layout: ColumnBlockLayout { get }
    func rhs(_ y: UnsafeBufferPointer<Double>, _ dy: UnsafeMutableBufferPointer<Double>)
    /// Adds ∂f/∂y at `y` to a zeroed matrix, except for the rows of pure quadratures
    /// (variables that no equation reads, like an integrated outflow): their entries go to
    /// `couplings`, so they need not widen the band.
    func jacobian(_ y: [Double], into jacobian: inout ColumnBlockMatrix, couplings: inout [ColumnCoupling])
}

extension ColumnODESystem {
    var layout: ColumnBlockLayout { .single(size: dimension, lower: lowerBandwidth, upper: upperBandwidth) }
}

/// One Jacobian entry of a quadrature row: ∂f_row/∂y_column.
struct ColumnCoupling: Sendable, Hashable {
    var row: Int
    var column: Int
    var value: Double
}

extension ColumnSystem: ColumnODESystem {
    var dimension: Int { model.stateCount }
    // A cell's liquid row reads two cells upstream and one downstream (2·nc unknowns per cell).
    var lowerBandwidth: Int { flow.reversed ? 2 * nc : 4 * nc }
    var upperBandwidth: Int { flow.reversed ? 4 * nc : 2 * nc }
}

/// How an integration call ended.
struct ColumnIntegrationEnd: Sendable {
    var time: Double
    /// The last step size tried, s: a good first guess for the next call.
    var nextStep: Double
    /// Whether the event function reached zero before the end time.
    var eventFired: Bool
    /// The accepted step sizes, in order (what ``ColumnIntegrator/replay(_:_:from:steps:end:statistics:observer:)``
    /// takes to repeat the same discretisation).
    var steps: [Double] = []
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
        var workspace = Workspace(stages: tableau.stages, layout: system.layout)
        defer { workspace.deallocate() }
        workspace.y.update(from: y, count: n)
        var t = t0
        var step = min(max(initialStep, tolerances.minimumStep), tolerances.maximumStep, max(t1 - t0, tolerances.minimumStep))
        var previousEvent = event.map { $0(y) } ?? -1
        var attempts = 0
        var lastRejected = false
        var accepted: [Double] = []

        while t < t1 {
            attempts += 1
            guard attempts <= tolerances.maximumSteps else {
                throw ColumnError(.stepBudgetExhausted, time: t, detail: "\(tolerances.maximumSteps) steps were not enough; loosen the tolerances or raise maximumSteps")
            }
            system.rhs(UnsafeBufferPointer(start: workspace.y, count: n), UnsafeMutableBufferPointer(start: workspace.f0, count: n))
            statistics.rhsEvaluations += 1
            for k in 0..<n where !workspace.f0[k].isFinite {
                throw ColumnError(.nonFiniteState, time: t, detail: "the right-hand side is not finite")
            }
            workspace.jacobian.zero()
            workspace.couplings.removeAll(keepingCapacity: true)
            system.jacobian(Array(UnsafeBufferPointer(start: workspace.y, count: n)), into: &workspace.jacobian, couplings: &workspace.couplings)
            statistics.jacobianEvaluations += 1
            // Repeat this step until its error test passes.
            while true {
                let remaining = t1 - t
                var h = min(step, remaining)
                // Avoid leaving a sliver shorter than the minimum step at the end.
                if remaining - h < tolerances.minimumStep { h = remaining }
                guard let error = attempt(system, &workspace, h, &statistics) else {
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
                    let value = event(workspace.newState)
                    if value >= 0 && previousEvent < 0 {
                        // Regula falsi on the step size from the committed state y, with the
                        // Illinois modification (Dowell & Jarratt 1971): an end point kept twice
                        // has its value halved, so a convex outlet curve cannot stall the bracket.
                        var low = 0.0, high = h, gLow = previousEvent, gHigh = value
                        var kept = 0
                        for _ in 0..<30 {
                            let guess = low + (high - low) * (-gLow) / (gHigh - gLow)
                            let trial = min(max(guess, low + 1e-6 * (high - low)), high - 1e-6 * (high - low))
                            guard attempt(system, &workspace, trial, &statistics) != nil else { break }
                            let g = event(workspace.newState)
                            if g >= 0 {
                                high = trial; gHigh = g
                                if kept < 0 { gLow /= 2 }
                                kept = min(kept, 0) - 1
                            } else {
                                low = trial; gLow = g
                                if kept > 0 { gHigh /= 2 }
                                kept = max(kept, 0) + 1
                            }
                            if abs(g) <= 1e-9 * max(1, abs(previousEvent)) || high - low <= tolerances.minimumStep { break }
                        }
                        _ = attempt(system, &workspace, high, &statistics)
                        statistics.acceptedSteps += 1
                        accepted.append(high)
                        t += high
                        workspace.commit()
                        y = workspace.state
                        observer(t, y)
                        return ColumnIntegrationEnd(time: t, nextStep: step, eventFired: true, steps: accepted)
                    }
                    previousEvent = value
                }
                statistics.acceptedSteps += 1
                accepted.append(h)
                t = h == remaining ? t1 : t + h
                workspace.commit()
                let state = workspace.state
                observer(t, state)
                step = min(h * (lastRejected ? min(factor, 1) : factor), tolerances.maximumStep)
                lastRejected = false
                break
            }
        }
        y = workspace.state
        return ColumnIntegrationEnd(time: t, nextStep: step, eventFired: false, steps: accepted)
    }

    /// Repeats a recorded discretisation: the steps `steps` (from ``integrate(_:_:from:to:initialStep:statistics:event:observer:)``
    /// of a nearby problem), without error control, ending exactly at `end`. Finite differences between
    /// replays of one step sequence are differences of one discrete scheme, smooth in the parameters, where
    /// two adaptive solves would each choose their own steps and differ by the tolerance (internal numerical
    /// differentiation: H. G. Bock 1981, "Numerical treatment of inverse problems in chemical reaction
    /// kinetics", Springer Series in Chemical Physics 18:102).
    ///
    /// - Throws: ``ColumnError`` when a step is singular or not finite.
    func replay<System: ColumnODESystem>(
        _ system: System, _ y: inout [Double], from t0: Double, steps: [Double], end: Double,
        statistics: inout ColumnSolverStatistics, observer: (_ t: Double, _ y: [Double]) -> Void
    ) throws(ColumnError) -> ColumnIntegrationEnd {
        let n = system.dimension
        precondition(y.count == n && absolute.count == n)
        var workspace = Workspace(stages: tableau.stages, layout: system.layout)
        defer { workspace.deallocate() }
        workspace.y.update(from: y, count: n)
        var t = t0
        for (i, h) in steps.enumerated() {
            system.rhs(UnsafeBufferPointer(start: workspace.y, count: n), UnsafeMutableBufferPointer(start: workspace.f0, count: n))
            statistics.rhsEvaluations += 1
            workspace.jacobian.zero()
            workspace.couplings.removeAll(keepingCapacity: true)
            system.jacobian(Array(UnsafeBufferPointer(start: workspace.y, count: n)), into: &workspace.jacobian, couplings: &workspace.couplings)
            statistics.jacobianEvaluations += 1
            guard attempt(system, &workspace, h, &statistics) != nil else {
                throw ColumnError(.nonFiniteState, time: t, detail: "a replayed step failed (singular matrix or non-finite state)")
            }
            statistics.acceptedSteps += 1
            t = i == steps.count - 1 ? end : t + h
            workspace.commit()
            observer(t, workspace.state)
        }
        y = workspace.state
        return ColumnIntegrationEnd(time: end, nextStep: steps.last ?? 0, eventFired: false, steps: steps)
    }

    /// One Rosenbrock step of size `h` from `workspace.y` (Jacobian and f0 there ready), leaving
    /// the result in `workspace.yNew`. Returns the error norm, or nil when the matrix is singular
    /// or the result not finite.
    private func attempt<System: ColumnODESystem>(
        _ system: System, _ w: inout Workspace, _ h: Double, _ statistics: inout ColumnSolverStatistics
    ) -> Double? {
        let n = w.size, s = tableau.stages
        let jacobian = w.jacobian
        statistics.factorisations += 1
        guard w.matrix.makeIteration(from: jacobian, diagonal: 1 / (h * tableau.gamma)) else { return nil }
        let y = w.y, work = w.work, stages = w.stages, stageState = w.stageState
        for i in 0..<s {
            if i == 0 {
                work.update(from: w.f0, count: n)
            } else {
                let a = tableau.a[i]
                for k in 0..<n {
                    var sum = y[k]
                    for j in 0..<i { sum += a[j] * stages[j * n + k] }
                    stageState[k] = sum
                }
                system.rhs(UnsafeBufferPointer(start: stageState, count: n), UnsafeMutableBufferPointer(start: work, count: n))
                statistics.rhsEvaluations += 1
                for j in 0..<i {
                    let factor = tableau.c[i][j] / h
                    let stage = stages + j * n
                    for k in 0..<n { work[k] += factor * stage[k] }
                }
            }
            w.matrix.solve(work, scratch: w.scratch)
            // Quadrature rows: (1/(hγ)) u_r − Σ J_rc u_c = rhs_r, and the band solve gave hγ·rhs_r.
            let scale = h * tableau.gamma
            for coupling in w.couplings { work[coupling.row] += scale * coupling.value * work[coupling.column] }
            (stages + i * n).update(from: work, count: n)
        }
        var sum = 0.0, counted = 0
        let m = tableau.m, e = tableau.e, relative = tolerances.relative
        let yNew = w.yNew
        for k in 0..<n {
            var value = y[k], error = 0.0
            for i in 0..<s {
                let u = stages[i * n + k]
                value += m[i] * u
                error += e[i] * u
            }
            yNew[k] = value
            guard value.isFinite else { return nil }
            let tolerance = absolute[k] + relative * max(abs(y[k]), abs(value))
            if tolerance.isFinite {
                let ratio = error / tolerance
                sum += ratio * ratio
                counted += 1
            }
        }
        return counted > 0 ? (sum / Double(counted)).squareRoot() : 0
    }
}

/// Buffers of one integration call, allocated once.
private struct Workspace {
    let size: Int
    let y: UnsafeMutablePointer<Double>
    let yNew: UnsafeMutablePointer<Double>
    let f0: UnsafeMutablePointer<Double>
    let work: UnsafeMutablePointer<Double>
    let stageState: UnsafeMutablePointer<Double>
    let stages: UnsafeMutablePointer<Double>
    /// Room for the blocks' gathered right-hand sides.
    let scratch: UnsafeMutablePointer<Double>
    var jacobian: ColumnBlockMatrix
    var matrix: ColumnBlockMatrix
    var couplings: [ColumnCoupling] = []

    init(stages count: Int, layout: ColumnBlockLayout) {
        let size = layout.size
        func buffer(_ length: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: length)
            p.initialize(repeating: 0, count: length)
            return p
        }
        self.size = size
        y = buffer(size)
        yNew = buffer(size)
        f0 = buffer(size)
        work = buffer(size)
        stageState = buffer(size)
        stages = buffer(size * count)
        scratch = buffer(size)
        jacobian = ColumnBlockMatrix(layout: layout)
        matrix = ColumnBlockMatrix(layout: layout)
    }

    /// Makes the attempted step the current state.
    func commit() { y.update(from: yNew, count: size) }

    var state: [Double] { Array(UnsafeBufferPointer(start: y, count: size)) }
    var newState: [Double] { Array(UnsafeBufferPointer(start: yNew, count: size)) }

    func deallocate() {
        for p in [y, yNew, f0, work, stageState, stages, scratch] { p.deallocate() }
    }
}
