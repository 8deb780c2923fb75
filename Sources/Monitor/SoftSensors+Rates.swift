import PlantConfig
import RegisterVocabulary

extension SoftSensors {
    /// Li recovery and capture, product, fresh water and energy per tonne, refining utilisation: integrated over
    /// the rate window when the process is cyclic (instantaneous otherwise), idle when their stage is stopped.
    mutating func rates(
        _ signals: [String: Input], hours: Double, cyclic: Bool, at time: Int64, into kpis: inout [KPIValue]
    ) {
        let flow = signals["production.flow"], brineLi = signals["brine.li"], outletLi = signals["dle.outlet.li"]
        let feed = signals["dle.inlet.flow"] ?? flow
        let product = signals["product.rate"], freshwater = signals["freshwater.flow"], power = signals["power.total"]
        // Stopped stages: the pump (or no brine flowing), the refinery.
        let dleIdle =
            signals["production.pump.running"].map { $0.quality.status != .bad && $0.value < 0.5 }
            ?? flow.map { $0.quality.status != .bad && $0.value <= 1e-6 } ?? false
        let refineryIdle = signals["refinery.running"].map { $0.quality.status != .bad && $0.value < 0.5 } ?? false

        // Increments of this tick from trustworthy inputs (a bad or non-finite value would poison the sums).
        // Fixed arities rather than variadics: this runs on every tick, and a variadic call allocates an array.
        func usable(_ input: Input?) -> Bool { input.map { $0.value.isFinite && $0.quality.status != .bad } ?? false }
        var step = RateWindow.Sums()
        if hours > 0 {
            if usable(flow), usable(brineLi), usable(feed), usable(outletLi), let flow, let brineLi, let feed,
                let outletLi
            {
                step.brineLithium = flow.value * 3.6 * brineLi.value / 1000 * hours  // L/s × 3.6 = m³/h; mg/L = g/m³
                step.raffinateLithium = feed.value * 3.6 * outletLi.value / 1000 * hours
                step.dleHours = hours
            }
            if usable(product), let product {
                step.product = product.value * hours
                step.productHours = hours
                if usable(freshwater), let freshwater {
                    step.freshWater = freshwater.value * hours
                    step.freshWaterProduct = product.value * hours
                }
                if usable(power), let power {
                    step.energy = power.value * hours
                    step.energyProduct = product.value * hours
                }
            }
            let largest = max(
                abs(step.brineLithium), abs(step.raffinateLithium), abs(step.product), abs(step.freshWater),
                abs(step.energy))
            if largest.isFinite && largest < 1e300 { window.add(step, at: time) }
        }
        // Cycle averages where the process is cyclic (uncertain until a whole cycle is in the window); the
        // latest values otherwise.
        let average = cyclic ? window.sums : nil
        let complete = !cyclic || (observer.fullCycleObserved && window.isFull)
        func quality(_ a: Input?, _ b: Input? = nil, _ c: Input? = nil, _ d: Input? = nil) -> Quality {
            var worst = Quality.combining(
                Quality.combining(a?.quality ?? .good, b?.quality ?? .good), c?.quality ?? .good, d?.quality ?? .good)
            if !complete, worst.status == .good { worst = .uncertain(.incompleteCycle) }
            return worst
        }
        if let brineLi, let outletLi {
            // The recovery needs the two analysers; the Li captured the flows too. Both on the brine basis:
            // 1 − raffinate Li (feed × outlet) / brine Li (production × brine).
            let q = quality(brineLi, outletLi, feed, flow)
            var recovery: Double?, captured: Double?
            if let s = average, s.dleHours > 0 {
                recovery = s.brineLithium > 0 ? 100 * (1 - s.raffinateLithium / s.brineLithium) : nil
                captured = (s.brineLithium - s.raffinateLithium) / s.dleHours
            } else if let flow, let feed {
                let li = flow.value * 3.6 * brineLi.value / 1000, out = feed.value * 3.6 * outletLi.value / 1000
                recovery = li > 0 ? 100 * (1 - out / li) : nil
                captured = li - out
            } else {
                recovery = brineLi.value > 0 ? 100 * (1 - outletLi.value / brineLi.value) : nil
            }
            add(&kpis, "li_recovery", "Li recovery (DLE)", "%", recovery, q, at: time, idle: dleIdle)
            if flow != nil {
                add(&kpis, "li_production", "Li captured", "kg/h", captured, q, at: time, idle: dleIdle)
                // 1 t Li = 5.323 t LCE (docs/sources.md §4.1).
                add(
                    &kpis, "lce_per_day", "Li captured as LCE", "t/d", captured.map { $0 * 24 * 5.323 / 1000 }, q,
                    at: time, idle: dleIdle)
            }
        }
        guard let product else { return }
        let rate: Double?, waterPerTonne: Double?, energyPerTonne: Double?
        if let s = average, s.productHours > 0 {
            rate = s.product / s.productHours
            waterPerTonne = s.freshWaterProduct > 1e-9 ? s.freshWater / (s.freshWaterProduct / 1000) : nil
            energyPerTonne = s.energyProduct > 1e-9 ? s.energy / (s.energyProduct / 1000) : nil
        } else {
            rate = product.value
            waterPerTonne = freshwater.flatMap { product.value > 1e-6 ? $0.value / (product.value / 1000) : nil }
            energyPerTonne = power.flatMap { product.value > 1e-6 ? $0.value / (product.value / 1000) : nil }
        }
        let q = quality(product)
        add(&kpis, "product_rate", "Product rate", "kg/h", rate, q, at: time, idle: refineryIdle)
        if let availabilityHours {
            add(
                &kpis, "projected_product", "Projected product", "t/yr", rate.map { $0 * availabilityHours / 1000 }, q,
                at: time, idle: refineryIdle)
        }
        if let freshwater {
            add(
                &kpis, "freshwater_per_tonne", "Fresh water per tonne of product", "m³/t", waterPerTonne,
                quality(freshwater, product), at: time, idle: refineryIdle)
        }
        if let nameplate = nameplateProductRate {
            add(
                &kpis, "refining_utilisation", "Refining utilisation", "%", rate.map { 100 * $0 / nameplate }, q,
                at: time, idle: refineryIdle)
        }
        if let power {
            add(
                &kpis, "specific_energy", "Electrical energy per tonne of product", "kWh/t", energyPerTonne,
                quality(power, product), at: time, idle: refineryIdle)
        }
    }
}
