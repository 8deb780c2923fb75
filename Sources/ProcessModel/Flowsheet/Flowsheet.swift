import RealModule

/// The steady-state flowsheet of a geothermal DLE plant:
///
///     well ─► heat exchange ─► DLE columns ─► reverse osmosis (─► evaporation) ─► refinery ─► product
///                 │               │  ▲  ▲          │ permeate                        │
///                 ▼ heat          │  │  └── eluent ◄┘ (+ fresh make-up, + LiCl dosing from the concentrate)
///                                 │  └───── spent wash (recycled to the feed)
///                                 └──────► raffinate ─► reinjection
///
/// ``solve(_:)`` iterates the three recycles (spent wash → feed, RO permeate → eluent, concentrate → eluent
/// Li dosing) by successive substitution with Wegstein acceleration (``Wegstein``) until no recycle stream changes by more than the tolerance
/// relative to the brine's flow and lithium. Each stage conserves water volume and lithium exactly, so the
/// balances close to the recycle mismatch of the last iteration (reported in ``FlowsheetResult``).
public enum Flowsheet {
    /// Solves the plant at steady state.
    ///
    /// - Parameter p: the plant's parameters.
    /// - Returns: streams, recoveries, water, energy, reagents and balance closures.
    /// - Throws: ``FlowsheetError`` when a parameter is invalid or the recycles do not converge.
    public static func solve(_ p: FlowsheetParameters) throws(FlowsheetError) -> FlowsheetResult {
        try p.validate()
        let dle = p.dle
        let conc = p.concentration
        let qb = p.productionFlow.si
        let mb = qb * p.brine.lithium.si
        let (inlet, duty) = p.heatExchange.evaluate(brine: p.brine, flow: p.productionFlow)
        let competitorsBrine = dle.sorbent.competition(in: p.brine)
        let chloride = SorptionStage.chloride(of: p.brine)
        let L = dle.loadBedVolumes
        let W = dle.washBedVolumes
        let E = dle.eluteBedVolumes
        let eps = dle.bedPorosity
        let retained = dle.poreRetention
        let cf = conc.effectiveConcentrationFactor
        let ef = conc.effectiveEvaporationFactor
        let rejection = conc.method == .none ? 1 : conc.lithiumRejection
        let targetEluentLi = dle.eluentLithium.si
        let productPerLi = p.refining.route.product.massPerLithium
        let nameplateLi = p.refining.nameplate.map { $0 * 1e3 / 86_400 / productPerLi } ?? .infinity

        // Tear streams: spent wash (volume, Li), Li in the reused permeate, Li dosed from the concentrate.
        // The spent-wash volume is linear in the feed (W/L of it), so it starts at its fixed point
        // Q_b·W/(L − W); the lithium recycles depend on the isotherm and are iterated.
        var qsw = qb * W / (L - W), msw = 0.0, mpu = 0.0, mdose = 0.0
        var wash = Wegstein(), permeate = Wegstein(), dosing = Wegstein()
        var r = FlowsheetResult(parameters: p)
        var iteration = 0
        while true {
            iteration += 1
            // Feed = brine + spent wash.
            let qf = qb + qsw
            let mf = mb + msw
            let cfeed = qf > 0 ? mf / qf : 0
            let s = qf / L  // m³ of bed cycled per second
            let qel = s * E  // eluent = eluate volume
            let qw = s * W
            let cel = qel > 0 ? (mpu + mdose) / qel : 0
            let competitors = qf > 0 ? competitorsBrine * qb / qf : 0
            // DLE, per m³ of bed per cycle (see SorptionStage).
            let captured = dle.captured(
                feedLithium: cfeed, eluentLithium: cel, competitors: competitors, temperature: inlet, chloride: chloride)
            let raffinatePerBed = L * cfeed - captured - eps * cfeed + eps * cel
            let spentWashPerBed = eps * cfeed * (1 - retained)
            let eluatePerBed = captured + E * cel + eps * cfeed * retained - eps * cel
            let mr = s * raffinatePerBed
            let mswNew = s * spentWashPerBed
            let qswNew = qw
            let me = s * eluatePerBed
            // Reverse osmosis, then evaporation.
            let qp = qel * (1 - 1 / cf)
            let mp = me * (1 - rejection) * (1 - 1 / cf)
            let qc = qel / cf
            let mc = me - mp
            let qv = qc * (1 - 1 / ef)
            let qcFinal = qc - qv
            // Permeate back to the eluent; fresh water makes up the rest; LiCl from the concentrate tops the
            // eluent up to its Li set point.
            let qpu = min(qp, qel)
            let use = qp > 0 ? qpu / qp : 0
            let mpuNew = mp * use
            let mdoseNew = min(max(0, qel * targetEluentLi - mpuNew), mc)
            let mrf = mc - mdoseNew
            // Refinery.
            let made = p.refining.yield * mrf
            let product = min(made, nameplateLi)
            // Converged when every recycle stream moved less than the tolerance (relative to the brine).
            let scaleQ = max(qb, .leastNormalMagnitude)
            let scaleM = max(mb, .leastNormalMagnitude)
            let change = max(
                abs(qswNew - qsw) / scaleQ, abs(mswNew - msw) / scaleM, abs(mpuNew - mpu) / scaleM,
                abs(mdoseNew - mdose) / scaleM)
            let converged = change <= p.solver.tolerance || (qb == 0 && mb == 0)
            if converged || iteration >= p.solver.maximumIterations {
                r.fill(
                    .init(
                        iterations: iteration, inlet: inlet, duty: duty, qf: qf, mf: mf, s: s, qw: qw, qel: qel,
                        cel: cel, capturedPerBed: captured, mr: mr, qswIn: qsw, mswIn: msw, qswOut: qswNew,
                        mswOut: mswNew, me: me, qp: qp, mp: mp, qc: qc, mc: mc, qv: qv, qcFinal: qcFinal, qpu: qpu,
                        mpuIn: mpu, mpuOut: mpuNew, mdoseIn: mdose, mdoseOut: mdoseNew, mrf: mrf, made: made,
                        product: product, competitors: competitors, cfeed: cfeed))
                guard converged else {
                    throw FlowsheetError(
                        kind: .notConverged, key: "solver",
                        message: "recycles did not converge in \(iteration) iterations: last relative change "
                            + "\(change) > tolerance \(p.solver.tolerance)")
                }
                return r
            }
            qsw = qswNew
            msw = wash.next(msw, mswNew)
            mpu = permeate.next(mpu, mpuNew)
            mdose = dosing.next(mdose, mdoseNew)
        }
    }
}

/// Wegstein's acceleration of a fixed-point iteration x = g(x), one tear variable at a time (Wegstein 1958,
/// Commun. ACM 1(6):9; the default tear-stream method of sequential-modular flowsheet simulators).
///
/// From the secant slope `s = (g(x_k) − g(x_{k−1})) / (x_k − x_{k−1})` it takes
/// `x_{k+1} = q·x_k + (1 − q)·g(x_k)` with `q = s/(s − 1)`, which solves a linear loop in one step. `q` is
/// clamped to [−50, 0]: 0 is plain substitution (used first, and whenever the slope is undefined), negative
/// values accelerate loops whose gain is close to 1 (e.g. eluent Li recycled through the concentrate), and
/// positive values (damping) are never needed here because every loop gain is below 1.
struct Wegstein {
    private var previousX = Double.nan
    private var previousG = Double.nan

    mutating func next(_ x: Double, _ g: Double) -> Double {
        defer {
            previousX = x
            previousG = g
        }
        let dx = x - previousX
        guard dx != 0, dx.isFinite else { return g }
        let slope = (g - previousG) / dx
        guard slope.isFinite, slope != 1 else { return g }
        let q = min(0, max(-50, slope / (slope - 1)))
        return q * x + (1 - q) * g
    }
}
