import Foundation

/// A small dense symmetric matrix (the p × p normal equations of a fit), row-major: Cholesky solves, the
/// inverse, and eigenvalues by Jacobi rotations. Sizes here are a handful of parameters, so clarity wins
/// over blocking.
struct SymmetricMatrix: Sendable, Hashable {
    let size: Int
    var values: [Double]

    init(size: Int) {
        self.size = size
        values = Array(repeating: 0, count: size * size)
    }

    subscript(i: Int, j: Int) -> Double {
        get { values[i * size + j] }
        set { values[i * size + j] = newValue }
    }

    /// JᵀJ of a Jacobian stored by columns (`columns[j][i]` = ∂r_i/∂x_j).
    init(normalOf columns: [[Double]]) {
        self.init(size: columns.count)
        for a in 0..<size {
            for b in a..<size {
                var sum = 0.0
                for (u, v) in zip(columns[a], columns[b]) { sum += u * v }
                self[a, b] = sum
                self[b, a] = sum
            }
        }
    }

    /// The Cholesky factor L (lower, row-major) of a positive definite matrix, or `nil` when a pivot is not
    /// positive (the matrix is singular or indefinite to working precision).
    func cholesky() -> [Double]? {
        var l = Array(repeating: 0.0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = self[i, j]
                for k in 0..<j { sum -= l[i * size + k] * l[j * size + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i * size + i] = sum.squareRoot()
                } else {
                    l[i * size + j] = sum / l[j * size + j]
                }
            }
        }
        return l
    }

    /// Solves A·x = b, or `nil` when A is not positive definite.
    func solve(_ b: [Double]) -> [Double]? {
        guard let l = cholesky() else { return nil }
        var y = b
        for i in 0..<size {
            for k in 0..<i { y[i] -= l[i * size + k] * y[k] }
            y[i] /= l[i * size + i]
        }
        for i in stride(from: size - 1, through: 0, by: -1) {
            for k in (i + 1)..<size { y[i] -= l[k * size + i] * y[k] }
            y[i] /= l[i * size + i]
        }
        return y
    }

    /// A⁻¹, or `nil` when A is not positive definite.
    func inverse() -> SymmetricMatrix? {
        var result = SymmetricMatrix(size: size)
        for j in 0..<size {
            var unit = Array(repeating: 0.0, count: size)
            unit[j] = 1
            guard let column = solve(unit) else { return nil }
            for i in 0..<size { result[i, j] = column[i] }
        }
        return result
    }

    /// Eigenvalues (ascending) and unit eigenvectors (`vectors[k]` belongs to `values[k]`), by cyclic Jacobi
    /// rotations (Golub & Van Loan, Matrix Computations, §8.5): each sweep zeroes every off-diagonal entry in
    /// turn; convergence is quadratic, a few sweeps for the sizes of a fit.
    func eigen() -> (values: [Double], vectors: [[Double]]) {
        var a = self
        var v = SymmetricMatrix(size: size)
        for i in 0..<size { v[i, i] = 1 }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<size { for j in 0..<size where i != j { off += a[i, j] * a[i, j] } }
            var scale = 0.0
            for i in 0..<size { scale += a[i, i] * a[i, i] }
            if off <= 1e-30 * max(scale, 1e-300) { break }
            for p in 0..<size {
                for q in (p + 1)..<size where a[p, q] != 0 {
                    // The rotation that zeroes a[p, q]: t = tan θ from θ = (a_qq − a_pp)/(2 a_pq), the smaller root.
                    let theta = (a[q, q] - a[p, p]) / (2 * a[p, q])
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<size {
                        let akp = a[k, p], akq = a[k, q]
                        a[k, p] = c * akp - s * akq
                        a[k, q] = s * akp + c * akq
                    }
                    for k in 0..<size {
                        let apk = a[p, k], aqk = a[q, k]
                        a[p, k] = c * apk - s * aqk
                        a[q, k] = s * apk + c * aqk
                    }
                    for k in 0..<size {
                        let vkp = v[k, p], vkq = v[k, q]
                        v[k, p] = c * vkp - s * vkq
                        v[k, q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<size).sorted { a[$0, $0] < a[$1, $1] }
        return (order.map { a[$0, $0] }, order.map { k in (0..<size).map { v[$0, k] } })
    }
}

/// Student's t quantile, for confidence intervals of a fit with ν degrees of freedom: the Cornish–Fisher
/// expansion in the normal quantile (Abramowitz & Stegun 26.7.5), exact to about 1e-4 from ν = 11 and to 1e-6
/// from ν = 30; up to 10 degrees of freedom, where the expansion is poorer, the table value is returned.
enum StudentT {
    /// The two-sided 95 % quantile t(0.975, ν).
    static func quantile975(degreesOfFreedom nu: Int) -> Double {
        precondition(nu >= 1)
        // t(0.975, ν) for ν = 1…10 (any statistics table).
        let small = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281]
        if nu <= small.count { return small[nu - 1] }
        let z = 1.959963984540054, n = Double(nu)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z
        let g1 = (z3 + z) / 4
        let g2 = (5 * z5 + 16 * z3 + 3 * z) / 96
        let g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384
        let g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160
        return z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n)
    }
}
