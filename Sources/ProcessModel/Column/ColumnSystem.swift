/// The semi-discrete equations of one column under one ``ColumnFlow``: right-hand side and its
/// exact banded Jacobian. Built once per step; evaluated by the integrator.
struct ColumnSystem: Sendable {
    let model: ColumnModel
    let flow: ColumnFlow
    let rates: ColumnRates
    let nc: Int
    let n: Int
    let h: Double
    let v: Double
    let phaseRatio: Double
    /// Axial dispersion of this step, m²/s: the flow's own, else the model's.
    let dispersion: Double
    /// Danckwerts weight β = 2D/(v h): the inlet-face value is c_b = (c_in + β c_0)/(1 + β).
    let beta: Double
    /// Concentration differences (mol/m³), per component, below which Koren's limiter is not applied.
    let limiterFloor: [Double]

    init(model: ColumnModel, flow: ColumnFlow, capacityFactor: Double, limiterFloor: [Double]? = nil) {
        precondition(flow.inlet.count == model.componentCount, "one inlet concentration per component")
        self.model = model
        self.flow = flow
        self.rates = model.isotherm.evaluated(at: flow.temperature, capacityFactor: capacityFactor)
        self.nc = model.componentCount
        self.n = model.cells
        self.h = model.geometry.length / Double(model.cells)
        self.v = flow.superficialVelocity / model.geometry.voidage
        self.phaseRatio = model.geometry.phaseRatio
        self.dispersion = flow.dispersion ?? model.dispersion
        self.beta = 2 * dispersion / (v * h)
        self.limiterFloor = limiterFloor ?? Array(repeating: 0, count: model.componentCount)
        precondition(self.limiterFloor.count == model.componentCount)
    }

    /// The cell at distance-ordered position `p` from the inlet.
    @inline(__always) func cell(_ p: Int) -> Int { flow.reversed ? n - 1 - p : p }

    /// Face weights (on positions p−1, p, p+1) of the reconstructed value at face p+½.
    @inline(__always) func weights(_ cm: Double, _ c0: Double, _ cp: Double, floor: Double) -> (Double, Double, Double) {
        switch model.scheme {
        case .upwind:
            return (0, 1, 0)
        case .thirdOrder:
            return (-1.0 / 6, 5.0 / 6, 1.0 / 3)
        case .koren:
            // Koren's limiter φ(r) = max(0, min(2r, (1 + 2r)/3, 2)) with r = (c_{p+1} − c_p)/(c_p − c_{p−1}).
            // Face value c_p + φ(r)(c_p − c_{p−1})/2 is linear in c on each branch, so its
            // derivative (the Jacobian) is exact away from the branch points.
            let a = c0 - cm, b = cp - c0
            // Differences below the absolute tolerance are noise to the integrator: switching
            // limiter branches on them makes the right-hand side rough and costs many steps
            // (a 5× step count on the Thomas case at 200 cells), so they take the smooth branch.
            if abs(a) + abs(b) < floor { return (-1.0 / 6, 5.0 / 6, 1.0 / 3) }
            if a == 0 { return (0, 1, 0) }
            let r = b / a
            if r <= 0 { return (0, 1, 0) }
            if r <= 0.25 { return (0, 0, 1) }
            if r <= 2.5 { return (-1.0 / 6, 5.0 / 6, 1.0 / 3) }
            return (-1, 2, 0)
        }
    }

    /// Face weights at face p+½, with positivity at the outlet face: the outlet value is
    /// extrapolated from the last two cells (second order), and where a steep front reaching
    /// the outlet would make that extrapolation negative, the outflow is cut to zero instead.
    @inline(__always) func faceWeights(
        _ p: Int, _ cm: Double, _ c0: Double, _ cp: Double, component k: Int
    ) -> (Double, Double, Double) {
        let w = weights(cm, c0, cp, floor: limiterFloor[k])
        if p == n - 1 && w.0 * cm + w.1 * c0 + w.2 * cp < 0 { return (0, 0, 0) }
        return w
    }

    // MARK: Right-hand side

    /// Writes dy/dt into `dy`.
    func rhs(_ y: [Double], _ dy: inout [Double]) {
        precondition(y.count == model.stateCount && dy.count == model.stateCount)
        y.withUnsafeBufferPointer { y in
            dy.withUnsafeMutableBufferPointer { dy in
                rhs(y, dy)
            }
        }
    }

    func rhs(_ y: UnsafeBufferPointer<Double>, _ dy: UnsafeMutableBufferPointer<Double>) {
        let stride = 2 * nc, base = nc
        let inverseH = 1 / h, dispersion = self.dispersion
        for k in 0..<nc {
            @inline(__always) func c(_ p: Int) -> Double { y[base + cell(p) * stride + k] }
            let cIn = flow.inlet[k]
            let c0 = c(0)
            let cBoundary = (cIn + beta * c0) / (1 + beta)
            let ghostIn = 2 * cBoundary - c0
            // Inlet face: the Danckwerts total flux.
            var fluxLeft = v * cIn
            var cm = ghostIn, cc = c0
            for p in 0..<n {
                let cp: Double
                // Outlet ghost: quadratic extrapolation of the last three cell averages, so the
                // outlet face value (the reported outlet concentration) is third order.
                if p + 1 < n { cp = c(p + 1) } else { cp = 3 * cc - 3 * cm + c(n - 3) }
                let w = faceWeights(p, cm, cc, cp, component: k)
                let face = w.0 * cm + w.1 * cc + w.2 * cp
                var fluxRight = v * face
                if p + 1 < n { fluxRight -= dispersion * (cp - cc) * inverseH }
                dy[base + cell(p) * stride + k] = (fluxLeft - fluxRight) * inverseH
                fluxLeft = fluxRight
                cm = cc
                cc = cp
            }
            // Outflow accumulators: the one at the current outlet integrates v c_face; the other rests.
            let outlet = model.outflowIndex(atInlet: flow.reversed, k)
            let rest = model.outflowIndex(atInlet: !flow.reversed, k)
            dy[outlet] = fluxLeft
            dy[rest] = 0
        }
        for j in 0..<n {
            let cb = base + j * stride, qb = cb + nc
            for k in 0..<nc {
                let rate = bindingRate(y, cb, qb, k)
                dy[qb + k] = rate
                dy[cb + k] -= phaseRatio * rate
            }
        }
    }

    /// dq_k/dt in one cell whose c and q start at `cb` and `qb`. With a modulator, its concentration
    /// `y[cb]` (component 0) scales adsorption by `e^{γ c₀}` and desorption by `c₀^β`.
    @inline(__always) func bindingRate(_ y: UnsafeBufferPointer<Double>, _ cb: Int, _ qb: Int, _ k: Int) -> Double {
        let qmax = rates.capacity[k]
        guard qmax > 0 else { return 0 }
        switch model.isotherm.kinetics {
        case .kineticLangmuir:
            var free = 1.0
            for j in 0..<nc where rates.capacity[j] > 0 { free -= y[qb + j] / rates.capacity[j] }
            guard rates.modulated else {
                return rates.adsorption[k] * y[cb + k] * qmax * free - rates.desorption[k] * y[qb + k]
            }
            let m = rates.modulation(k, y[cb])
            return rates.adsorption[k] * m.growth * y[cb + k] * qmax * free - rates.desorption[k] * m.power * y[qb + k]
        case .linearDrivingForce:
            guard rates.modulated else {
                var s = 1.0
                for j in 0..<nc where rates.capacity[j] > 0 { s += rates.affinity[j] * y[cb + j] }
                return rates.ldf[k] * (qmax * rates.affinity[k] * y[cb + k] / s - y[qb + k])
            }
            let c0 = y[cb]
            var s = 1.0
            for j in 1..<nc where rates.capacity[j] > 0 { s += rates.modulatedAffinity(j, c0).value * y[cb + j] }
            return rates.ldf[k] * (qmax * rates.modulatedAffinity(k, c0).value * y[cb + k] / s - y[qb + k])
        }
    }
}
