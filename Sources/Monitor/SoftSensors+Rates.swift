import PlantConfig
import RegisterVocabulary

extension SoftSensors {
    /// The inputs of the rate KPIs, and which stages are stopped (the pump, or no brine flowing; the refinery).
    struct RateInputs {
        var flow, brineLi, outletLi, feed, product, freshwater, power: Input?
        var dleIdle: Bool
        var refineryIdle: Bool

        init(_ signals: [String: Input]) {
            (flow, brineLi, outletLi) = (signals["production.flow"], signals["brine.li"], signals["dle.outlet.li"])
            feed = signals["dle.inlet.flow"] ?? flow
            (product, freshwater, power) = (signals["product.rate"], signals["freshwater.flow"], signals["power.total"])
            dleIdle = signals["production.pump.running"].map { $0.quality.status != .bad && $0.value < 0.5 }
                ?? flow.map { $0.quality.status != .bad && $0.value <= 1e-6 } ?? false
            refineryIdle = signals["refinery.running"].map { $0.quality.status != .bad && $0.value < 0.5 } ?? false
        }
    }

    /// Li recovery and capture, product, fresh water and energy per tonne, refining utilisation: integrated over
    /// the rate window when the process is cyclic (instantaneous otherwise), idle when their stage is stopped.
    mutating func rates(
        _ signals: [String: Input], hours: Double, cyclic: Bool, at time: Int64, into kpis: inout [KPIValue]
    ) {
        let inputs = RateInputs(signals)
        if hours > 0 {
            let step = Self.increment(inputs, hours: hours)
            let largest = max(
                abs(step.brineLithium), abs(step.raffinateLithium), abs(step.product), abs(step.freshWater),
                abs(step.energy))
            if largest.isFinite && largest < 1e300 { window.add(step, at: time) }
        }
        // Cycle averages where the process is cyclic (uncertain until a whole cycle is in the window); the
        // latest values otherwise.
        let average = cyclic ? window.sums : nil
        let complete = !cyclic || (observer.fullCycleObserved && window.isFull)
        lithiumKPIs(inputs, average: average, complete: complete, at: time, into: &kpis)
        productKPIs(inputs, average: average, complete: complete, at: time, into: &kpis)
    }

    /// The increments of this tick from trustworthy inputs (a bad or non-finite value would poison the sums).
    /// Fixed arities rather than variadics: this runs on every tick, and a variadic call allocates an array.
    static func increment(_ inputs: RateInputs, hours: Double) -> RateWindow.Sums {
        func usable(_ input: Input?) -> Bool { input.map { $0.value.isFinite && $0.quality.status != .bad } ?? false }
        var step = RateWindow.Sums()
        let (flow, brineLi, feed, outletLi) = (inputs.flow, inputs.brineLi, inputs.feed, inputs.outletLi)
        if usable(flow), usable(brineLi), usable(feed), usable(outletLi), let flow, let brineLi, let feed, let outletLi {
            step.brineLithium = flow.value * 3.6 * brineLi.value / 1000 * hours  // L/s × 3.6 = m³/h; mg/L = g/m³
            step.raffinateLithium = feed.value * 3.6 * outletLi.value / 1000 * hours
            step.dleHours = hours
        }
        if usable(inputs.product), let product = inputs.product {
            step.product = product.value * hours
            step.productHours = hours
            if usable(inputs.freshwater), let freshwater = inputs.freshwater {
                step.freshWater = freshwater.value * hours
                step.freshWaterProduct = product.value * hours
            }
            if usable(inputs.power), let power = inputs.power {
                step.energy = power.value * hours
                step.energyProduct = product.value * hours
            }
        }
        return step
    }

    /// The worst quality of the inputs; uncertain while the window does not yet hold a whole cycle.
    static func quality(complete: Bool, _ a: Input?, _ b: Input? = nil, _ c: Input? = nil, _ d: Input? = nil) -> Quality {
        var worst = Quality.combining(
            Quality.combining(a?.quality ?? .good, b?.quality ?? .good), c?.quality ?? .good, d?.quality ?? .good)
        if !complete, worst.status == .good { worst = .uncertain(.incompleteCycle) }
        return worst
    }

    /// Li recovery (the two analysers), Li captured and as LCE (the flows too). Both on the brine basis:
    /// 1 − raffinate Li (feed × outlet) / brine Li (production × brine).
    func lithiumKPIs(_ inputs: RateInputs, average: RateWindow.Sums?, complete: Bool, at time: Int64, into kpis: inout [KPIValue]) {
        guard let brineLi = inputs.brineLi, let outletLi = inputs.outletLi else { return }
        let (flow, feed, idle) = (inputs.flow, inputs.feed, inputs.dleIdle)
        let q = Self.quality(complete: complete, brineLi, outletLi, feed, flow)
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
        add(&kpis, "li_recovery", "Li recovery (DLE)", "%", recovery, q, at: time, idle: idle)
        if flow != nil {
            add(&kpis, "li_production", "Li captured", "kg/h", captured, q, at: time, idle: idle)
            // 1 t Li = 5.323 t LCE (docs/sources.md §4.1).
            add(
                &kpis, "lce_per_day", "Li captured as LCE", "t/d", captured.map { $0 * 24 * 5.323 / 1000 }, q,
                at: time, idle: idle)
        }
    }

    /// Product rate and its projection, fresh water and energy per tonne, refining utilisation.
    func productKPIs(_ inputs: RateInputs, average: RateWindow.Sums?, complete: Bool, at time: Int64, into kpis: inout [KPIValue]) {
        guard let product = inputs.product else { return }
        let (freshwater, power, idle) = (inputs.freshwater, inputs.power, inputs.refineryIdle)
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
        let q = Self.quality(complete: complete, product)
        add(&kpis, "product_rate", "Product rate", "kg/h", rate, q, at: time, idle: idle)
        if let availabilityHours {
            add(
                &kpis, "projected_product", "Projected product", "t/yr", rate.map { $0 * availabilityHours / 1000 }, q,
                at: time, idle: idle)
        }
        if let freshwater {
            add(
                &kpis, "freshwater_per_tonne", "Fresh water per tonne of product", "m³/t", waterPerTonne,
                Self.quality(complete: complete, freshwater, product), at: time, idle: idle)
        }
        if let nameplate = nameplateProductRate {
            add(
                &kpis, "refining_utilisation", "Refining utilisation", "%", rate.map { 100 * $0 / nameplate }, q,
                at: time, idle: idle)
        }
        if let power {
            add(
                &kpis, "specific_energy", "Electrical energy per tonne of product", "kWh/t", energyPerTonne,
                Self.quality(complete: complete, power, product), at: time, idle: idle)
        }
    }
}
