import RealModule

/// Error control and limits of the time integrator.
public struct ColumnTolerances: Sendable, Hashable {
    /// Relative tolerance on every state variable.
    public var relative: Double
    /// Absolute tolerance as a fraction of the variable's scale (feed concentration for the
    /// liquid, capacity for the solid).
    public var absolute: Double
    /// Smallest step allowed, s; below it the integrator throws ``ColumnError/stepUnderflow``.
    public var minimumStep: Double
    /// Largest step allowed, s.
    public var maximumStep: Double
    /// Step budget per integration call (accepted plus rejected).
    public var maximumSteps: Int

    public init(
        relative: Double = 1e-5, absolute: Double = 1e-7, minimumStep: Double = 1e-9,
        maximumStep: Double = .infinity, maximumSteps: Int = 200_000
    ) {
        precondition(relative > 0 && absolute > 0 && minimumStep > 0 && maximumStep >= minimumStep)
        precondition(maximumSteps > 0)
        self.relative = relative
        self.absolute = absolute
        self.minimumStep = minimumStep
        self.maximumStep = maximumStep
        self.maximumSteps = maximumSteps
    }
}

/// Work done by the integrator.
public struct ColumnSolverStatistics: Sendable, Hashable {
    public var acceptedSteps = 0
    public var rejectedSteps = 0
    public var rhsEvaluations = 0
    public var jacobianEvaluations = 0
    public var factorisations = 0

    public init() {}

    static func += (a: inout Self, b: Self) {
        a.acceptedSteps += b.acceptedSteps
        a.rejectedSteps += b.rejectedSteps
        a.rhsEvaluations += b.rhsEvaluations
        a.jacobianEvaluations += b.jacobianEvaluations
        a.factorisations += b.factorisations
    }
}

/// A Rosenbrock method as data: the stage tables α and Γ and the weights b, b̂ (untransformed).
struct ColumnRosenbrockTableau: Sendable {
    let stages: Int
    let gamma: Double
    /// Order of the embedded solution plus one: the exponent in the step-size rule is 1/this.
    let errorExponent: Double
    /// Transformed tables (Hairer & Wanner, Solving ODEs II, §IV.7, eq. 7.25):
    /// a = αΓ⁻¹, c = diag(1/γ) − Γ⁻¹, m = bᵀΓ⁻¹, e = (b − b̂)ᵀΓ⁻¹.
    let a: [[Double]]
    let c: [[Double]]
    let m: [Double]
    let e: [Double]

    init(alpha: [[Double]], gammaTable: [[Double]], b: [Double], bHat: [Double], embeddedOrder: Int) {
        let s = b.count
        stages = s
        gamma = gammaTable[0][0]
        errorExponent = Double(embeddedOrder + 1)
        // Invert the lower-triangular Γ by forward substitution.
        var inverse = Array(repeating: Array(repeating: 0.0, count: s), count: s)
        for column in 0..<s {
            for row in column..<s {
                var sum: Double = row == column ? 1 : 0
                for k in column..<row { sum -= gammaTable[row][k] * inverse[k][column] }
                inverse[row][column] = sum / gammaTable[row][row]
            }
        }
        func times(_ rowVector: [Double]) -> [Double] {
            var result = Array(repeating: 0.0, count: s)
            for j in 0..<s {
                for k in 0..<s { result[j] += rowVector[k] * inverse[k][j] }
            }
            return result
        }
        a = alpha.map(times)
        var cTable = inverse
        for i in 0..<s {
            for j in 0..<s {
                let diagonal: Double = i == j ? 1 / gammaTable[i][i] : 0
                cTable[i][j] = diagonal - inverse[i][j]
            }
        }
        c = cTable
        m = times(b)
        e = times((0..<s).map { b[$0] - bHat[$0] })
    }

    /// ROS34PW2 (J. Rang & L. Angermann 2005, "New Rosenbrock W-methods of order 3 for partial
    /// differential algebraic equations of index 1", BIT 45:761–787, Table 2): four stages,
    /// order 3 with an embedded order-2 solution, L-stable and stiffly accurate, and a W-method,
    /// so it keeps its order with an inexact Jacobian.
    static let ros34pw2: ColumnRosenbrockTableau = {
        let g = 4.3586652150845900e-01
        let alpha: [[Double]] = [
            [0, 0, 0, 0],
            [8.7173304301691801e-01, 0, 0, 0],
            [8.4457060015369423e-01, -1.1299064236484185e-01, 0, 0],
            [0, 0, 1, 0],
        ]
        let gammaTable: [[Double]] = [
            [g, 0, 0, 0],
            [-8.7173304301691801e-01, g, 0, 0],
            [-9.0338057013044082e-01, 5.4180672388095326e-02, g, 0],
            [2.4212380706095346e-01, -1.2232505839045147e+00, 5.4526025533510214e-01, g],
        ]
        let b: [Double] = [2.4212380706095346e-01, -1.2232505839045147e+00, 1.5452602553351020e+00, g]
        let bHat: [Double] = [3.7810903145819369e-01, -9.6042292212423178e-02, 0.5, 2.1793326075422950e-01]
        return ColumnRosenbrockTableau(alpha: alpha, gammaTable: gammaTable, b: b, bHat: bHat, embeddedOrder: 2)
    }()
}
