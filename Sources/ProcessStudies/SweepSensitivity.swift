/// How strongly a sweep's KPIs respond to its varied parameters.
public enum SweepSensitivity {
    /// Spearman's rank correlation of `y` with `x` over the pairs where both are finite: +1 when `y` always
    /// rises with `x`, −1 when it always falls, near 0 without a monotonic relation. Ties get their average
    /// rank. `nil` with fewer than three pairs or when either side is constant.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count)
        var xs: [Double] = [], ys: [Double] = []
        for (a, b) in zip(x, y) where a.isFinite && b.isFinite {
            xs.append(a)
            ys.append(b)
        }
        guard xs.count >= 3 else { return nil }
        return pearson(ranks(xs), ranks(ys))
    }

    /// Average ranks, 1-based.
    static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] != v[$1] ? v[$0] < v[$1] : $0 < $1 }
        var ranks = [Double](repeating: 0, count: v.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && v[order[end + 1]] == v[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { ranks[order[k]] = rank }
            start = end + 1
        }
        return ranks
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// The normalised finite difference (elasticity) `(ΔK/K)/(Δx/x)` of a KPI along grid dimension `d` at
    /// point `i`: central between the neighbours, one-sided at an edge. `nil` for a sample, a choice, a
    /// missing neighbour value, or K or x equal to zero at the point.
    public static func elasticity(of kpi: [Double], in table: SweepTable, along d: Int, at i: Int) -> Double? {
        let plan = table.plan
        guard !plan.dimensions[d].isChoice, let k = plan.gridIndex(point: i, dimension: d) else { return nil }
        func row(_ point: Int?) -> Int? {
            guard let point else { return nil }
            let r = lowerBound(table.points, point)
            return r < table.points.count && table.points[r] == point ? r : nil
        }
        guard let centre = row(i) else { return nil }
        let lowRow = row(plan.gridPoint(i, moving: d, to: k - 1)) ?? centre
        let highRow = row(plan.gridPoint(i, moving: d, to: k + 1)) ?? centre
        guard lowRow != highRow else { return nil }
        let x = table.inputs[d]
        let k0 = kpi[centre], x0 = x[centre]
        let dk = kpi[highRow] - kpi[lowRow], dx = x[highRow] - x[lowRow]
        guard k0 != 0, x0 != 0, dx != 0, dk.isFinite, k0.isFinite else { return nil }
        return (dk / k0) / (dx / x0)
    }

    static func lowerBound(_ sorted: [Int], _ value: Int) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
