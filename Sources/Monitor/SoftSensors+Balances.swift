import PlantConfig
public import ProcessModel
import RegisterVocabulary

extension SoftSensors {
    /// The Li and water balances integrated since the start.
    ///
    /// Li in with the brine; out with the reinjected brine and, net of the eluent's own Li (the model's), with the
    /// eluate; held by the columns: the change of their inventory since the start, from the observed phases and
    /// the model (``DLETrainModel``). Water in with the brine and the washes, out with the reinjection. Both carry
    /// quality uncertain(incompleteCycle) until a whole DLE cycle has been observed, since only then is the
    /// inventory known.
    mutating func balances(_ signals: [String: Input], hours: Double, at time: Int64, into kpis: inout [KPIValue]) {
        // Integrate only trustworthy inputs: a bad or non-finite value would poison the totals for good. (Plain
        // loops and fixed arities: this runs on every tick.)
        var s: [Input] = []
        if hours > 0 {
            s.reserveCapacity(Self.balanceSignals.count)
            for name in Self.balanceSignals {
                guard let input = signals[name], input.value.isFinite, input.quality.status != .bad else { break }
                s.append(input)
            }
        }
        if s.count == Self.balanceSignals.count {
            let eluent = train?.eluentLithium ?? 0  // kg/m³
            let wash =
                signals["wash.flow"].flatMap { $0.value.isFinite && $0.quality.status != .bad ? $0.value : nil } ?? 0
            let li = s[0].value * 3.6 * s[1].value * hours / 1000  // kg Li in
            let reinjected = s[2].value * 3.6 * s[3].value * hours / 1000  // kg Li reinjected
            let eluate = s[4].value * (s[5].value / 1000 - eluent) * hours  // kg Li the eluate took out
            let water = (s[0].value * 3.6 + wash) * hours, out = s[2].value * 3.6 * hours  // m³ in, out
            // Absurd readings (non-finite products, or totals that would overflow) are left out.
            let next = (liIn + li, liReinjected + reinjected, liEluate + eluate, waterIn + water, waterOut + out)
            if next.0.isFinite && next.1.isFinite && next.2.isFinite && next.3.isFinite && next.4.isFinite {
                (liIn, liReinjected, liEluate, waterIn, waterOut) = next
                integratedQuality = Quality.combining(
                    Quality.combining(integratedQuality, s[0].quality, s[1].quality),
                    Quality.combining(s[2].quality, s[3].quality), Quality.combining(s[4].quality, s[5].quality))
            }
        }
        updateInventory(signals, at: time)
        guard liIn > 0, waterIn > 0 else { return }
        let known = startInventory != nil
        let quality = known ? integratedQuality : Quality.combining(integratedQuality, .uncertain(.incompleteCycle))
        let closure = 100 * (liIn - liReinjected - liEluate - (known ? inventoryChange : 0)) / liIn
        add(&kpis, "li_balance_closure", "Li balance closure (in − out − held) / in", "%", closure, quality, at: time)
        add(
            &kpis, "water_balance_closure", "Brine balance closure (in − out) / in", "%",
            100 * (waterIn - waterOut) / waterIn, quality, at: time)
    }

    /// The inputs of the integrated balances, in the order the increments use them.
    static let balanceSignals = [
        "production.flow", "brine.li", "reinjection.flow", "dle.outlet.li", "eluate.flow", "eluate.li",
    ]

    /// The change of the train's Li inventory since the start, once a whole cycle has been observed: each
    /// column's place in its phase now and at the start, through the model, at the window's brine Li and feed.
    mutating func updateInventory(_ signals: [String: Input], at time: Int64) {
        guard let train, observer.fullCycleObserved, let load = observer.loadHours, let cycle = observer.cycleHours,
            observer.columns.count == train.columns
        else { return }
        let sums = window.sums
        let brine = sums.dleHours > 0 ? sums.brineLithium / sums.dleHours : 0
        guard brine > 0, let feed = signals["dle.inlet.flow"].map({ $0.value * 3.6 }), feed.isFinite, feed > 0 else {
            return
        }
        func inventory(_ place: (Int) -> (phase: Int, fraction: Double)?) -> Double? {
            var sum = 0.0
            for i in 0..<train.columns {
                guard let (phase, f) = place(i) else { return nil }
                sum += train.columnInventory(
                    phase: phase, fraction: f, brineLithium: brine, feed: feed, loadHours: load, cycleHours: cycle)
            }
            return sum
        }
        let start = inventory { i in observer.startingFraction(i).map { (observer.columns[i].firstPhase, $0) } }
        let now = inventory { i in observer.fraction(i, at: time).map { (observer.columns[i].phase, $0) } }
        guard let start, let now else { return }
        startInventory = start
        inventoryChange = now - start
    }

    /// The reconciliation of the integrated balances and its suspect instruments (nil before data).
    public func reconciliation() -> BalanceReconciliation.Result? {
        guard liIn > 0, waterIn > 0 else { return nil }
        // Totals with instrument uncertainties: flowmeters 0.5 %, analysers 5 % (wet chemistry carries 10–30 %,
        // docs/sources.md §5.1; online analysers are assumed better).
        let held = startInventory != nil ? inventoryChange : 0
        let problem = BalanceReconciliation(
            measurements: [
                .init(name: "production.flow", value: waterIn, sigma: 0.005 * waterIn),
                .init(name: "reinjection.flow", value: waterOut, sigma: 0.005 * waterOut),
                .init(name: "li.in", value: liIn, sigma: 0.05 * liIn),
                .init(name: "li.reinjected", value: liReinjected, sigma: max(0.05 * liReinjected, 1e-9)),
                .init(name: "li.eluate", value: liEluate, sigma: max(0.05 * liEluate, 1e-9)),
            ],
            constraints: [
                .init(name: "water") { $0[0] - $0[1] },
                .init(name: "lithium") { $0[2] - $0[3] - $0[4] - held },
            ])
        return try? problem.reconcile()
    }
}
