import Numerics
import Testing

@testable import ProcessModel

/// The linear algebra and the time integrator under the column model.
@Suite struct ColumnNumericsTests {
    /// A banded system that needs row exchanges (zero diagonal entries) solves to round-off.
    @Test func bandedLUWithPivotingSolves() {
        let n = 12, lower = 2, upper = 1
        var matrix = ColumnBandMatrix(size: n, lower: lower, upper: upper)
        var dense = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for i in 0..<n {
            for j in max(0, i - lower)...min(n - 1, i + upper) {
                // Deterministic, irregular entries; the diagonal is zero on even rows.
                let value = i == j && i % 2 == 0 ? 0 : Double((i * 7 + j * 3) % 11) - 4.5
                matrix.add(i, j, value)
                dense[i][j] = value
            }
        }
        let x = (0..<n).map { Double($0) * 0.25 - 1 }
        var b = (0..<n).map { i in (0..<n).reduce(0) { $0 + dense[i][$1] * x[$1] } }
        let factorised = matrix.factorise()
        #expect(factorised)
        matrix.solve(&b)
        for i in 0..<n { #expect(b[i].isApproximatelyEqual(to: x[i], absoluteTolerance: 1e-12)) }
    }

    @Test func singularBandedMatrixIsReported() {
        var matrix = ColumnBandMatrix(size: 3, lower: 1, upper: 1)
        matrix.add(0, 0, 1)
        matrix.add(1, 0, 1)  // column 1 and 2 stay empty below the diagonal: singular
        let factorised = matrix.factorise()
        #expect(!factorised)
    }

    /// The transformed ROS34PW2 tables reproduce the method's order-3 conditions for
    /// y' = λy: its stability function R(z) matches e^z to O(z⁴).
    @Test func rosenbrockIsThirdOrderOnLinearProblem() throws {
        // y' = −y, y(0) = 1 on [0, 1] with a fixed step count via tight max step and loose
        // tolerances: the error must fall by about 2³ per halving of the step.
        var errors: [Double] = []
        for steps in [10, 20, 40] {
            let h = 1.0 / Double(steps)
            let tolerances = ColumnTolerances(relative: 1, absolute: 1, minimumStep: 1e-12, maximumStep: h)
            let integrator = ColumnIntegrator(tolerances: tolerances, absolute: [1, 1])
            var y = [1.0, 0.0]
            var statistics = ColumnSolverStatistics()
            _ = try integrator.integrate(Decay(), &y, from: 0, to: 1, initialStep: h, statistics: &statistics) { _, _ in }
            #expect(statistics.acceptedSteps == steps)
            errors.append(abs(y[0] - Double.exp(-1)))
        }
        let order1 = Double.log2(errors[0] / errors[1]), order2 = Double.log2(errors[1] / errors[2])
        #expect(order1 > 2.7 && order2 > 2.7, "observed orders \(order1), \(order2)")
    }

    /// The integrator throws instead of looping when its budget or the state gives out.
    @Test func integratorReportsFailure() {
        let integrator = ColumnIntegrator(tolerances: ColumnTolerances(relative: 1e-10, absolute: 1e-10, maximumSteps: 5), absolute: [1e-10, 1e-10])
        var y = [1.0, 0.0]
        var statistics = ColumnSolverStatistics()
        #expect(throws: ColumnError.self) {
            _ = try integrator.integrate(Decay(), &y, from: 0, to: 100, initialStep: 1e-3, statistics: &statistics) { _, _ in }
        }
        // y' = y² from y = 1 blows up at t = 1.
        let loose = ColumnIntegrator(tolerances: ColumnTolerances(relative: 1e-6, absolute: 1e-6, minimumStep: 1e-10), absolute: [1e-6, 1e-6])
        var z = [1.0, 0.0]
        do {
            _ = try loose.integrate(BlowUp(), &z, from: 0, to: 2, initialStep: 1e-3, statistics: &statistics) { _, _ in }
            Issue.record("integrating through a blow-up should throw")
        } catch {
            #expect(error.code == .stepUnderflow || error.code == .nonFiniteState || error.code == .stepBudgetExhausted)
            #expect(error.time < 1.0001)
        }
    }
}

/// y₀' = −y₀, y₁' = y₀ (so y₀ + y₁ is conserved).
private struct Decay: ColumnODESystem {
    var dimension: Int { 2 }
    var lowerBandwidth: Int { 1 }
    var upperBandwidth: Int { 1 }
    func rhs(_ y: UnsafeBufferPointer<Double>, _ dy: UnsafeMutableBufferPointer<Double>) {
        dy[0] = -y[0]
        dy[1] = y[0]
    }
    func jacobian(_ y: [Double], into jacobian: inout ColumnBlockMatrix, couplings: inout [ColumnCoupling]) {
        jacobian.add(0, 0, -1)
        jacobian.add(1, 0, 1)
    }
}

/// y₀' = y₀², blowing up at t = 1 from y₀ = 1.
private struct BlowUp: ColumnODESystem {
    var dimension: Int { 2 }
    var lowerBandwidth: Int { 1 }
    var upperBandwidth: Int { 1 }
    func rhs(_ y: UnsafeBufferPointer<Double>, _ dy: UnsafeMutableBufferPointer<Double>) {
        dy[0] = y[0] * y[0]
        dy[1] = 0
    }
    func jacobian(_ y: [Double], into jacobian: inout ColumnBlockMatrix, couplings: inout [ColumnCoupling]) {
        jacobian.add(0, 0, 2 * y[0])
    }
}
