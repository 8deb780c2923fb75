import Foundation
import ProcessModel

extension PlantDynamics {
    /// What the DLE train did in one step: flows (m³/s), Li amounts over the step (kg) and their rates (kg/s).
    struct DLEStep {
        var feed = 0.0, wash = 0.0, eluate = 0.0
        var raffinateLi = 0.0, raffinateRate = 0.0
        var eluateLi = 0.0, eluateRate = 0.0
    }

    /// Steps the columns through `dt`: the washing ones first (their spent wash joins the feed), then the loading
    /// ones, then the eluting ones.
    ///
    /// A reduced column keeps its sorbent's Li and its pore liquid's Li. A phase first displaces the pore
    /// liquid (ε·V) with what flows in; a load then passes the rest at `b(x)` of the feed (``ReducedBreakthrough``,
    /// x the bed volumes loaded past the pores) and the sorbent keeps `1 − b`; a wash mixes the pores with wash
    /// water (the spent wash carries `ε·V·c·(1 − e^(−W/ε))` to the spent-wash tank, which returns it to the feed
    /// evenly); an elution removes the elution
    /// efficiency of what the sorbent held when it began, evenly over the phase. Per cycle this is the
    /// flowsheet's stage (``SorptionStage``), so the train's means are the estimate's.
    mutating func stepDLE(_ dt: Double, brineFlow qb: Double, brineLithium cb: Double, capacity s: Double) -> DLEStep {
        let d = disturbances
        var out = DLEStep()
        var loading = 0
        for i in columns.indices {
            let phase = k.phase(columns[i].clock)
            if phase != columns[i].phase {
                columns[i].phase = phase
                columns[i].displaced = 0
                if phase == .load { columns[i].loaded = 0 }
                if phase == .elute { columns[i].elutionBase = columns[i].sorbent }
            }
            if phase == .load { loading += 1 }
        }
        // Wash: the pore liquid mixes with wash water; what leaves returns to the feed.
        let q = k.regenerationFlow
        let mixing = q / max(k.pores, 1e-12)
        var spent = 0.0
        for i in columns.indices where columns[i].phase == .wash {
            let pores = columns[i].pores
            let leaving = pores * (dt > 0 ? 1 - exp(-mixing * dt) : 0)
            columns[i].pores -= leaving
            spent += leaving
            out.wash += q
            setColumn(i, outlet: pores / max(k.pores, 1e-12), flow: q)
        }
        let (recycled, recycledLi) = stepSpentWash(dt, volume: out.wash * dt, lithium: spent)
        out.feed = qb + recycled
        let cf = out.feed > 0 ? (qb * cb + recycledLi) / out.feed : cb
        // Load.
        let ql = loading > 0 ? out.feed / Double(loading) : 0
        for i in columns.indices where columns[i].phase == .load {
            let cp = columns[i].pores / max(k.pores, 1e-12)
            let remaining = max(0, k.pores - columns[i].displaced)
            let volume = ql * dt
            let dv = min(volume, remaining), pass = volume - dv
            let b = k.breakthrough.ratio(at: columns[i].loaded, capacity: s)
            let leaving = dv * cp + pass * cf * b
            columns[i].pores += dv * (cf - cp)
            columns[i].displaced += dv
            columns[i].sorbent += pass * cf * (1 - b)
            columns[i].loaded += pass / k.bed
            let rate = remaining > 0 ? ql * cp : ql * cf * b
            out.raffinateLi += leaving
            out.raffinateRate += rate
            setColumn(i, outlet: ql > 0 ? rate / ql : cb * b, flow: ql)
        }
        // Elute: the pores take the eluent; the sorbent gives up its Li evenly over the phase.
        let qe = q * d.eluentAvailability
        let cel = eluentLithium
        for i in columns.indices where columns[i].phase == .elute {
            let rate = k.elutionEfficiency * columns[i].elutionBase * d.eluentAvailability / max(k.elute, 1e-12)
            let eluted = min(columns[i].sorbent, rate * dt)
            columns[i].sorbent -= eluted
            let cp = columns[i].pores / max(k.pores, 1e-12)
            let remaining = max(0, k.pores - columns[i].displaced)
            let volume = qe * dt
            let dv = min(volume, remaining)
            columns[i].pores += dv * (cel - cp)
            columns[i].displaced += dv
            let leaving = eluted + dv * cp + (volume - dv) * cel
            let flowRate = (columns[i].sorbent > 0 ? rate : 0) + qe * (remaining > 0 ? cp : cel)
            out.eluate += qe
            out.eluateLi += leaving
            out.eluateRate += flowRate
            setColumn(i, outlet: qe > 0 ? flowRate / qe : 0, flow: qe)
        }
        return out
    }

    /// Puts a step's spent wash (m³, kg Li) into the spent-wash tank and drains the tank to the feed in
    /// proportion to its level (the nominal spent-wash flow at its set point).
    ///
    /// - Returns: the drain to the feed, m³/s, and its Li, kg/s.
    mutating func stepSpentWash(_ dt: Double, volume: Double, lithium: Double) -> (flow: Double, lithium: Double) {
        spentWash += volume
        spentWashLi += lithium
        let flow = k.nominalSpentWash * spentWash / (k.spentWashSetpoint * max(k.spentWashTank, 1e-12))
        let concentration = spentWash > 0 ? spentWashLi / spentWash : 0
        let drained = min(spentWash, flow * dt)
        spentWash -= drained
        spentWashLi -= drained * concentration
        return (flow, flow * concentration)
    }

    /// The outlet Li (kg/m³ → mg/L) and pressure drop of column `i` with `flow` (m³/s) through it.
    mutating func setColumn(_ i: Int, outlet: Double, flow: Double) {
        values[PlantSignal.slot(.outletLi, column: i + 1)] = outlet * 1000
        values[PlantSignal.slot(.dp, column: i + 1)] = k.pressureDrop * flow / max(k.loadFlow, 1e-12) + scalingDP
        values[PlantSignal.slot(.phase, column: i + 1)] = Double(columns[i].phase.rawValue)
    }
}
