/// How the unknowns of a column split into blocks of the Jacobian: what lets a salt (or any non-binding
/// component) be solved apart from the bound ones.
///
/// A component that does not bind is only transported: its rows read its own concentrations and nothing else
/// (the *free* block). The bound components and their loadings (the *coupled* block) read each other and,
/// through the modulator, the free block; nothing reads them back. The loadings of non-binding components and
/// the outflow integrals have no entries of their own (*trivial*). Ordered free, trivial, coupled, the
/// Jacobian is block lower triangular, so the iteration matrix is solved block by block: each block is banded
/// with the bandwidth of its own components, far below that of all components interleaved (a salt beside Li
/// costs 2 × 3 + 4 × 6 operations per cell and factorisation instead of 8 × 12 × 4).
struct ColumnBlockLayout: Sendable {
    enum Kind: UInt8, Sendable { case trivial, free, coupled }

    let size: Int
    let kind: [Kind]
    /// Index of each unknown inside its block.
    let local: [Int]
    let freeIndices: [Int]
    let coupledIndices: [Int]
    let trivialIndices: [Int]
    let freeBandwidth: (lower: Int, upper: Int)
    let coupledBandwidth: (lower: Int, upper: Int)

    init(kinds: [Kind], free: (lower: Int, upper: Int), coupled: (lower: Int, upper: Int)) {
        size = kinds.count
        kind = kinds
        var local = Array(repeating: 0, count: kinds.count)
        var lists: [Kind: [Int]] = [.trivial: [], .free: [], .coupled: []]
        for (i, k) in kinds.enumerated() {
            local[i] = lists[k]!.count
            lists[k]!.append(i)
        }
        self.local = local
        freeIndices = lists[.free]!
        coupledIndices = lists[.coupled]!
        trivialIndices = lists[.trivial]!
        freeBandwidth = free
        coupledBandwidth = coupled
    }

    /// Everything in one coupled band (systems without structure to exploit).
    static func single(size: Int, lower: Int, upper: Int) -> ColumnBlockLayout {
        ColumnBlockLayout(kinds: Array(repeating: .coupled, count: size), free: (0, 0), coupled: (lower, upper))
    }
}

/// A Jacobian (or iteration matrix) in the blocks of a ``ColumnBlockLayout``: the free and coupled blocks
/// banded, the coupled rows' entries in free columns listed beside them.
struct ColumnBlockMatrix: Sendable {
    let layout: ColumnBlockLayout
    var free: ColumnBandMatrix?
    var coupled: ColumnBandMatrix?
    /// Entries (coupled row, free column) in block-local indices.
    var cross: [(row: Int, column: Int, value: Double)] = []

    init(layout: ColumnBlockLayout) {
        self.layout = layout
        if !layout.freeIndices.isEmpty {
            free = ColumnBandMatrix(
                size: layout.freeIndices.count, lower: layout.freeBandwidth.lower, upper: layout.freeBandwidth.upper)
        }
        if !layout.coupledIndices.isEmpty {
            coupled = ColumnBandMatrix(
                size: layout.coupledIndices.count, lower: layout.coupledBandwidth.lower,
                upper: layout.coupledBandwidth.upper)
        }
    }

    mutating func zero() {
        free?.zero()
        coupled?.zero()
        cross.removeAll(keepingCapacity: true)
    }

    /// Adds ∂f_row/∂y_column (global indices).
    @inline(__always) mutating func add(_ row: Int, _ column: Int, _ value: Double) {
        let r = layout.local[row], c = layout.local[column]
        switch (layout.kind[row], layout.kind[column]) {
        case (.coupled, .coupled): coupled!.add(r, c, value)
        case (.free, .free): free!.add(r, c, value)
        case (.coupled, .free): cross.append((r, c, value))
        default:
            assert(value == 0, "entry (\(row), \(column)) breaks the block structure")
        }
    }

    /// The entry at global (row, column), for tests.
    subscript(row: Int, column: Int) -> Double {
        let r = layout.local[row], c = layout.local[column]
        switch (layout.kind[row], layout.kind[column]) {
        case (.coupled, .coupled): return coupled![r, c]
        case (.free, .free): return free![r, c]
        case (.coupled, .free): return cross.filter { $0.row == r && $0.column == c }.reduce(0) { $0 + $1.value }
        default: return 0
        }
    }

    /// Sets self to `diagonal·I − jacobian` (the Rosenbrock iteration matrix) and factorises its blocks.
    /// Returns `false` on a zero pivot.
    mutating func makeIteration(from jacobian: ColumnBlockMatrix, diagonal: Double) -> Bool {
        func negated(_ source: ColumnBandMatrix?, into target: inout ColumnBandMatrix?) -> Bool {
            guard let source, var matrix = target else { return true }
            // Leave `matrix` the only reference to its storage, so writing it copies nothing.
            target = nil
            let width = matrix.width, lower = matrix.lower
            matrix.storage.withUnsafeMutableBufferPointer { m in
                source.storage.withUnsafeBufferPointer { j in
                    for i in 0..<m.count { m[i] = -j[i] }
                }
                for i in 0..<source.size { m[i * width + lower] += diagonal }
            }
            let ok = matrix.factorise()
            target = matrix
            return ok
        }
        cross = jacobian.cross
        inverseDiagonal = 1 / diagonal
        return negated(jacobian.free, into: &free) && negated(jacobian.coupled, into: &coupled)
    }

    /// 1/diagonal of the trivial rows (their Jacobian entries are zero), set by ``makeIteration(from:diagonal:)``.
    var inverseDiagonal = 1.0

    /// Solves M·x = b in place (global vector of ``ColumnBlockLayout/size`` values), block by block: free,
    /// trivial, then coupled with the free solution moved to the right-hand side (M_cf = −J_cf).
    func solve(_ x: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let layout = self.layout
        if let free {
            for (l, g) in layout.freeIndices.enumerated() { scratch[l] = x[g] }
            free.solve(scratch)
            for (l, g) in layout.freeIndices.enumerated() { x[g] = scratch[l] }
        }
        for g in layout.trivialIndices { x[g] *= inverseDiagonal }
        guard let coupled else { return }
        // The free block's solution stays at the start of `scratch`; the coupled part goes after it.
        let part = scratch + layout.freeIndices.count
        for (l, g) in layout.coupledIndices.enumerated() { part[l] = x[g] }
        for entry in cross { part[entry.row] += entry.value * scratch[entry.column] }
        coupled.solve(part)
        for (l, g) in layout.coupledIndices.enumerated() { x[g] = part[l] }
    }
}
