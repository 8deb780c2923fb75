/// Data reconciliation of measured flows and concentrations against balance constraints, by weighted
/// least squares, with the measurement test for gross errors (Mah and Tamhane 1982).
///
/// Constraints are given as functions of the measurement vector and are linearised at the measurements
/// (a numerical Jacobian), which is adequate when the imbalance is small against the flows; the
/// adjustment is `a = Σ Jᵀ (J Σ Jᵀ)⁻¹ r`, the reconciled values `x − a`. A measurement's test statistic is
/// `|a_i| / √V_ii` with `V = Σ Jᵀ (J Σ Jᵀ)⁻¹ J Σ`; the largest above the threshold (1.96 for 95 %) names the
/// suspect instrument.
public struct BalanceReconciliation: Sendable {
    public struct Measurement: Sendable, Hashable {
        public var name: String
        public var value: Double
        /// Standard deviation, same unit as the value (> 0).
        public var sigma: Double
        public init(name: String, value: Double, sigma: Double) {
            self.name = name
            self.value = value
            self.sigma = sigma
        }
    }

    public struct Constraint: Sendable {
        public var name: String
        /// Zero when the balance closes.
        public var residual: @Sendable ([Double]) -> Double
        public init(name: String, residual: @escaping @Sendable ([Double]) -> Double) {
            self.name = name
            self.residual = residual
        }
    }

    public struct Result: Sendable, Hashable {
        public var reconciled: [Double]
        /// Residual of each constraint at the measurements.
        public var residuals: [Double]
        /// Measurement test statistic of each measurement.
        public var statistics: [Double]
        /// The measurement in gross error, when one statistic exceeds the threshold and is the largest alone.
        public var suspect: String?
        /// The measurements whose statistic ties for the largest above the threshold. Measurements that appear
        /// in the same constraints only are not identifiable from each other: a gross error among them is
        /// detected, and the group is named, but no single instrument can be blamed without more redundancy.
        public var suspects: [String]
        /// Global test: Σ r (JΣJᵀ)⁻¹ r, χ² with as many degrees of freedom as constraints.
        public var globalStatistic: Double

        public init(
            reconciled: [Double], residuals: [Double], statistics: [Double], suspect: String?, suspects: [String],
            globalStatistic: Double
        ) {
            self.reconciled = reconciled
            self.residuals = residuals
            self.statistics = statistics
            self.suspect = suspect
            self.suspects = suspects
            self.globalStatistic = globalStatistic
        }
    }

    public enum ReconciliationError: Error, Sendable, Equatable {
        case singular
        case invalidSigma(String)
    }

    public var measurements: [Measurement]
    public var constraints: [Constraint]
    public var threshold: Double

    public init(measurements: [Measurement], constraints: [Constraint], threshold: Double = 1.96) {
        self.measurements = measurements
        self.constraints = constraints
        self.threshold = threshold
    }

    public func reconcile() throws(ReconciliationError) -> Result {
        for m in measurements where !(m.sigma > 0) { throw .invalidSigma(m.name) }
        let x = measurements.map(\.value)
        let n = x.count, m = constraints.count
        let r = constraints.map { $0.residual(x) }
        // Numerical Jacobian, central differences scaled to each measurement's sigma.
        var jacobian = [[Double]](repeating: [Double](repeating: 0, count: n), count: m)
        for j in 0..<n {
            let h = max(1e-6 * abs(x[j]), 1e-3 * measurements[j].sigma)
            var up = x, down = x
            up[j] += h
            down[j] -= h
            for i in 0..<m { jacobian[i][j] = (constraints[i].residual(up) - constraints[i].residual(down)) / (2 * h) }
        }
        let variance = measurements.map { $0.sigma * $0.sigma }
        // S = J Σ Jᵀ (m × m) and its inverse.
        var s = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for a in 0..<m { for b in 0..<m { for j in 0..<n { s[a][b] += jacobian[a][j] * variance[j] * jacobian[b][j] } } }
        let sInverse = try Self.invert(s)
        // λ = S⁻¹ r; adjustment a = Σ Jᵀ λ.
        let lambda = (0..<m).map { a in (0..<m).reduce(0.0) { $0 + sInverse[a][$1] * r[$1] } }
        let adjustment = (0..<n).map { j in variance[j] * (0..<m).reduce(0.0) { $0 + jacobian[$1][j] * lambda[$1] } }
        var statistics = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var vjj = 0.0
            for a in 0..<m { for b in 0..<m { vjj += variance[j] * jacobian[a][j] * sInverse[a][b] * jacobian[b][j] * variance[j] } }
            statistics[j] = vjj > 0 ? abs(adjustment[j]) / vjj.squareRoot() : 0
        }
        let global = (0..<m).reduce(0.0) { $0 + r[$1] * lambda[$1] }
        let largest = statistics.max() ?? 0
        let suspects = largest > threshold
            ? statistics.indices.filter { statistics[$0] >= largest * (1 - 1e-6) }.map { measurements[$0].name } : []
        return Result(reconciled: zip(x, adjustment).map { $0 - $1 }, residuals: r, statistics: statistics,
                      suspect: suspects.count == 1 ? suspects[0] : nil, suspects: suspects, globalStatistic: global)
    }

    /// Gauss–Jordan inversion with partial pivoting (the systems here are a few constraints).
    static func invert(_ matrix: [[Double]]) throws(ReconciliationError) -> [[Double]] {
        let n = matrix.count
        var a = matrix
        var inverse = (0..<n).map { i in (0..<n).map { i == $0 ? 1.0 : 0.0 } }
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }), abs(a[pivot][column]) > 1e-300 else {
                throw .singular
            }
            a.swapAt(column, pivot)
            inverse.swapAt(column, pivot)
            let p = a[column][column]
            for k in 0..<n { a[column][k] /= p; inverse[column][k] /= p }
            for row in 0..<n where row != column {
                let factor = a[row][column]
                if factor == 0 { continue }
                for k in 0..<n {
                    a[row][k] -= factor * a[column][k]
                    inverse[row][k] -= factor * inverse[column][k]
                }
            }
        }
        return inverse
    }
}
