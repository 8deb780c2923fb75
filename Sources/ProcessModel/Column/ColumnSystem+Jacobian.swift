extension ColumnSystem {
    /// The blocks of the unknowns: non-binding components' liquid (free: transport only), bound components'
    /// liquid and loadings (coupled), and the loadings of non-binding components with the outflow integrals
    /// (trivial). Bandwidths are those of each block's own per-cell unknowns.
    var layout: ColumnBlockLayout {
        let binds = model.isotherm.components.map { $0.capacity > 0 }
        var kinds = Array(repeating: ColumnBlockLayout.Kind.trivial, count: model.stateCount)
        for j in 0..<n {
            for k in 0..<nc {
                kinds[model.cIndex(j, k)] = binds[k] ? .coupled : .free
                if binds[k] { kinds[model.qIndex(j, k)] = .coupled }
            }
        }
        let f = binds.filter { !$0 }.count, b = 2 * binds.filter { $0 }.count
        // Rows read two cells upstream and one downstream (per cell: f free, b coupled unknowns).
        let free = flow.reversed ? (f, 2 * f) : (2 * f, f)
        let coupled = flow.reversed ? (b, 2 * b) : (2 * b, b)
        return ColumnBlockLayout(kinds: kinds, free: free, coupled: coupled)
    }

    /// Adds the exact Jacobian ∂f/∂y to `jacobian` (which the caller zeroes).
    ///
    /// The transport part follows ``rhs(_:_:)`` face by face: each face flux is linear in the three
    /// cells of its stencil (for Koren's scheme, on the branch the limiter takes), and the ghost
    /// values are linear in the cells they extrapolate from. The binding part is the derivative of
    /// the kinetic Langmuir or LDF rate within one cell.
    func jacobian(_ y: [Double], into jacobian: inout ColumnBlockMatrix, couplings: inout [ColumnCoupling]) {
        precondition(y.count == model.stateCount)
        let stride = 2 * nc, base = nc
        let inverseH = 1 / h, dispersion = self.dispersion
        let ghostSlope = 2 * beta / (1 + beta) - 1
        for k in 0..<nc {
            func column(_ p: Int) -> Int { base + cell(p) * stride + k }
            func c(_ p: Int) -> Double { y[column(p)] }
            let outlet = model.outflowIndex(atInlet: flow.reversed, k)
            let c0 = c(0)
            let cBoundary = (flow.inlet[k] + beta * c0) / (1 + beta)
            var cm = 2 * cBoundary - c0, cc = c0
            for p in 0..<n {
                let cp: Double = p + 1 < n ? c(p + 1) : 3 * cc - 3 * cm + c(n - 3)
                let w = faceWeights(p, cm, cc, cp, component: k)
                var d = (v * w.0, v * w.1, v * w.2)
                if p + 1 < n {
                    d.1 += dispersion * inverseH
                    d.2 -= dispersion * inverseH
                }
                let rowLeft = column(p)
                let atOutlet = p + 1 == n
                let rowRight = atOutlet ? outlet : column(p + 1)
                // The face flux leaves cell p and enters cell p+1, or (outlet face) the outflow
                // integral, a quadrature row kept out of the band.
                func put(_ source: Int, _ derivative: Double) {
                    jacobian.add(rowLeft, source, -derivative * inverseH)
                    if atOutlet {
                        couplings.append(ColumnCoupling(row: rowRight, column: source, value: derivative))
                    } else {
                        jacobian.add(rowRight, source, derivative * inverseH)
                    }
                }
                // ∂(face flux)/∂(value at position) routed to the real cells behind ghosts.
                func add(_ position: Int, _ derivative: Double) {
                    guard derivative != 0 else { return }
                    if position == -1 {
                        put(column(0), derivative * ghostSlope)
                    } else if position == n {
                        put(column(n - 1), 3 * derivative)
                        put(column(n - 2), -3 * derivative)
                        put(column(n - 3), derivative)
                    } else {
                        put(column(position), derivative)
                    }
                }
                add(p - 1, d.0)
                add(p, d.1)
                add(p + 1, d.2)
                cm = cc
                cc = cp
            }
            // The inlet-face flux is v·c_in (constant), but the inlet ghost feeds face ½ only,
            // handled above through position −1.
        }
        for j in 0..<n {
            let cb = base + j * stride, qb = cb + nc
            for k in 0..<nc where rates.capacity[k] > 0 {
                // Row of dq_k/dt; the c row gets −F times the same entries.
                func put(_ col: Int, _ value: Double) {
                    jacobian.add(qb + k, col, value)
                    jacobian.add(cb + k, col, -phaseRatio * value)
                }
                if rates.modulated {
                    modulatedBindingJacobian(y, cb, qb, k, put)
                    continue
                }
                switch model.isotherm.kinetics {
                case .kineticLangmuir:
                    var free = 1.0
                    for i in 0..<nc where rates.capacity[i] > 0 { free -= y[qb + i] / rates.capacity[i] }
                    let ka = rates.adsorption[k], qmax = rates.capacity[k]
                    put(cb + k, ka * qmax * free)
                    for i in 0..<nc where rates.capacity[i] > 0 {
                        put(qb + i, -ka * y[cb + k] * qmax / rates.capacity[i])
                    }
                    put(qb + k, -rates.desorption[k])
                case .linearDrivingForce:
                    var s = 1.0
                    for i in 0..<nc where rates.capacity[i] > 0 { s += rates.affinity[i] * y[cb + i] }
                    let scale = rates.ldf[k] * rates.capacity[k] * rates.affinity[k] / (s * s)
                    for i in 0..<nc where rates.capacity[i] > 0 {
                        let delta: Double = i == k ? s : 0
                        put(cb + i, scale * (delta - y[cb + k] * rates.affinity[i]))
                    }
                    put(qb + k, -rates.ldf[k])
                }
            }
        }
    }

    /// The binding rows of one cell under the mobile-phase-modulator law: as the plain law, with the
    /// affinity and desorption scaled by the modulator, plus the column of the modulator c₀ (component 0).
    private func modulatedBindingJacobian(
        _ y: [Double], _ cb: Int, _ qb: Int, _ k: Int, _ put: (_ column: Int, _ value: Double) -> Void
    ) {
        let c0 = y[cb], qmax = rates.capacity[k]
        switch model.isotherm.kinetics {
        case .kineticLangmuir:
            var free = 1.0
            for i in 1..<nc where rates.capacity[i] > 0 { free -= y[qb + i] / rates.capacity[i] }
            let m = rates.modulation(k, c0)
            let ka = rates.adsorption[k], kd = rates.desorption[k]
            put(cb + k, ka * m.growth * qmax * free)
            for i in 1..<nc where rates.capacity[i] > 0 {
                put(qb + i, -ka * m.growth * y[cb + k] * qmax / rates.capacity[i])
            }
            put(qb + k, -kd * m.power)
            put(cb, ka * m.growthSlope * y[cb + k] * qmax * free - kd * m.powerSlope * y[qb + k])
        case .linearDrivingForce:
            var s = 1.0, sSlope = 0.0
            var affinity = [Double](repeating: 0, count: nc)
            for j in 1..<nc where rates.capacity[j] > 0 {
                let a = rates.modulatedAffinity(j, c0)
                affinity[j] = a.value
                s += a.value * y[cb + j]
                sSlope += a.slope * y[cb + j]
            }
            let ak = rates.modulatedAffinity(k, c0)
            let ldf = rates.ldf[k]
            let scale = ldf * qmax * ak.value / (s * s)
            for i in 1..<nc where rates.capacity[i] > 0 {
                let delta: Double = i == k ? s : 0
                put(cb + i, scale * (delta - y[cb + k] * affinity[i]))
            }
            put(cb, ldf * qmax * y[cb + k] * (ak.slope * s - ak.value * sSlope) / (s * s))
            put(qb + k, -ldf)
        }
    }
}
