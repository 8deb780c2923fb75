/// A square banded matrix with an LU factorisation by partial pivoting (the scheme of LAPACK's
/// `dgbtf2`/`dgbtrs`, written anew in Swift).
///
/// Row `i` stores columns `i − lower … i + upper + lower`: the extra `lower` diagonals above hold
/// the fill-in that row exchanges create. Cost per factorisation O(n · lower · (lower + upper)).
struct ColumnBandMatrix: Sendable {
    let size: Int
    let lower: Int
    let upper: Int
    /// Stored width of a row: `2·lower + upper + 1`.
    let width: Int
    var storage: [Double]
    var pivots: [Int]
    /// Reciprocals of U's diagonal, set by ``factorise()``.
    var inverseDiagonal: [Double]

    init(size: Int, lower: Int, upper: Int) {
        precondition(size > 0 && lower >= 0 && upper >= 0)
        self.size = size
        self.lower = lower
        self.upper = upper
        self.width = 2 * lower + upper + 1
        self.storage = Array(repeating: 0, count: size * width)
        self.pivots = Array(repeating: 0, count: size)
        self.inverseDiagonal = Array(repeating: 0, count: size)
    }

    @inline(__always) func index(_ row: Int, _ column: Int) -> Int {
        row * width + (column - row + lower)
    }

    mutating func zero() {
        storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Adds `value` at (row, column); the entry must lie inside the band.
    @inline(__always) mutating func add(_ row: Int, _ column: Int, _ value: Double) {
        assert(column - row >= -lower && column - row <= upper, "entry (\(row), \(column)) outside the band")
        storage[index(row, column)] += value
    }

    subscript(row: Int, column: Int) -> Double {
        let offset = column - row
        guard offset >= -lower && offset <= upper + lower else { return 0 }
        return storage[index(row, column)]
    }

    /// Factorises in place into P·L·U. Returns `false` on a zero pivot.
    mutating func factorise() -> Bool {
        let n = size, ml = lower, w = width, reach = lower + upper
        return storage.withUnsafeMutableBufferPointer { a in
            for k in 0..<n {
                // Choose the largest entry of column k among the rows that can hold one.
                let lastRow = min(k + ml, n - 1)
                var pivotRow = k
                var pivotSize = abs(a[k * w + ml])
                if k < lastRow {
                    for r in (k + 1)...lastRow {
                        let s = abs(a[r * w + (k - r + ml)])
                        if s > pivotSize { pivotSize = s; pivotRow = r }
                    }
                }
                pivots[k] = pivotRow
                guard pivotSize > 0, pivotSize.isFinite else { return false }
                let lastColumn = min(k + reach, n - 1)
                if pivotRow != k {
                    // Both rows are zero left of column k, and both windows cover k…k+reach.
                    for j in k...lastColumn {
                        let ik = k * w + (j - k + ml), ip = pivotRow * w + (j - pivotRow + ml)
                        let t = a[ik]; a[ik] = a[ip]; a[ip] = t
                    }
                }
                let inversePivot = 1 / a[k * w + ml]
                inverseDiagonal[k] = inversePivot
                if k < lastRow {
                    for r in (k + 1)...lastRow {
                        let irk = r * w + (k - r + ml)
                        let factor = a[irk] * inversePivot
                        a[irk] = factor
                        if factor != 0 && k < lastColumn {
                            for j in (k + 1)...lastColumn {
                                a[r * w + (j - r + ml)] -= factor * a[k * w + (j - k + ml)]
                            }
                        }
                    }
                }
            }
            return true
        }
    }

    /// Solves A·x = b in place with the factors from ``factorise()``.
    func solve(_ b: inout [Double]) {
        precondition(b.count == size)
        b.withUnsafeMutableBufferPointer { solve($0.baseAddress!) }
    }

    /// Solves A·x = b in place for `size` values at `x`.
    func solve(_ x: UnsafeMutablePointer<Double>) {
        let n = size, ml = lower, w = width, reach = lower + upper
        storage.withUnsafeBufferPointer { storage in
            inverseDiagonal.withUnsafeBufferPointer { inverse in
                pivots.withUnsafeBufferPointer { pivots in
                    let a = storage.baseAddress!
                    // Forward: the row exchange of step k, then its elimination (L is not permuted).
                    for k in 0..<n {
                        let p = pivots[k]
                        if p != k { let t = x[k]; x[k] = x[p]; x[p] = t }
                        let xk = x[k]
                        if xk != 0 {
                            let lastRow = min(k &+ ml, n &- 1)
                            var r = k &+ 1
                            // Entry (r, k) sits at r·w + (k − r + ml) = k + ml + r·(w − 1).
                            var index = k &+ ml &+ r &* (w &- 1)
                            while r <= lastRow {
                                x[r] -= a[index] * xk
                                r &+= 1
                                index &+= w &- 1
                            }
                        }
                    }
                    // Backward with U, column by column: once x_i is known, remove it from the
                    // rows above that reach it (at most `lower + upper` of them). Column order
                    // keeps x_i in a register; the row-by-row dot product instead reloads the
                    // value it has just stored and stalls on store forwarding.
                    var i = n &- 1
                    while i >= 0 {
                        let xi = x[i] * inverse[i]
                        x[i] = xi
                        if xi != 0 {
                            var r = max(0, i &- reach)
                            var index = i &+ ml &+ r &* (w &- 1)
                            while r < i {
                                x[r] -= a[index] * xi
                                r &+= 1
                                index &+= w &- 1
                            }
                        }
                        i &-= 1
                    }
                }
            }
        }
    }
}
