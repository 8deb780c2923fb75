public import PlantConfig
public import ProcessModel

/// A KPI with its unit and a quality derived from its inputs.
public struct KPIValue: Sendable, Hashable {
    public var name: String
    public var label: String
    public var value: Double
    public var unit: String
    public var quality: Quality
    public var time: Int64
}

/// Live KPIs from the signals bound to tags: the monitor's soft sensors.
///
/// Inputs are the latest value of the (first) tag bound to each signal, converted to the catalogue's unit.
/// A KPI whose input is missing is not reported; its quality is the worst of its inputs'
/// (`Quality.combining`). The Li balance is integrated over time since the monitor started, so the Li the
/// sorbent holds during a cycle averages out; its closure and the reconciliation's suspect instruments use
/// the integrated flows.
public struct SoftSensors: Sendable {
    /// Plant availability, h/yr, for projections (Rittershoffen 8,000 h/yr design, docs/sources.md §4.2); nil for
    /// a monitoring-only description, which then has no projection.
    public var availabilityHours: Double?
    /// Refinery nameplate product rate, kg/h, for utilisation; nil when the plant description has none.
    public var nameplateProductRate: Double?
    /// Product per tonne of Li: 6.046 t LHM or 5.323 t Li2CO3 (docs/sources.md §4.1).
    public var productPerLi: Double
    private var liIn = 0.0, liReinjected = 0.0, liEluate = 0.0, waterIn = 0.0, waterOut = 0.0
    private var lastTime: Int64?
    private var integratedQuality = Quality.good
    /// Per DLE column: the phase last seen and what its current elution has delivered so far.
    private var cycles: [Int: CycleAccount] = [:]
    /// Completed cycles' KPIs, newest last (the last 100).
    public private(set) var completedCycles: [CycleKPIs] = []

    struct CycleAccount: Sendable {
        /// −1 until a first phase is seen: an elution already under way at start-up is not a whole cycle.
        var phase = -1
        var elutionStart: Int64?
        var eluateVolume = 0.0     // m³
        var liEluted = 0.0         // kg
        var loadStart: Int64?
    }

    /// KPIs of one DLE cycle of one column, measured from the eluate while the column eluted.
    public struct CycleKPIs: Sendable, Hashable {
        public var column: Int
        public var end: Int64
        public var cycleHours: Double?
        public var eluateVolume: Double
        public var eluateMeanLi: Double
        public var liEluted: Double
    }

    public init(availabilityHours: Double? = 8000, nameplateProductRate: Double? = nil, productPerLi: Double = 5.323) {
        self.availabilityHours = availabilityHours
        self.nameplateProductRate = nameplateProductRate
        self.productPerLi = productPerLi
    }

    /// Soft sensors set from a plant's process parameters: its availability, its refinery's nameplate (so
    /// refining utilisation is reported) and its product (t of product per t of Li).
    public init(parameters p: FlowsheetParameters) {
        let productPerLi = p.refining.route.product.massPerLithium
        self.init(availabilityHours: p.availabilityHours,
                  nameplateProductRate: p.refining.nameplate.map { $0 * 1000 / 24 },   // t/d → kg/h
                  productPerLi: productPerLi)
    }

    /// Soft sensors for a plant description: from its process parameters; a monitoring-only description (no
    /// brine, no process section) has no availability or refinery nameplate, so the KPIs that need them are off
    /// (``coverage(of:)`` says which).
    public init(plant: Plant) {
        if !plant.isMonitoringOnly, let parameters = try? plant.flowsheetParameters() {
            self.init(parameters: parameters)
        } else {
            self.init(availabilityHours: nil)
        }
    }

    public typealias Input = (value: Double, quality: Quality)

    public mutating func compute(_ signals: [String: Input], at time: Int64) -> [KPIValue] {
        var kpis: [KPIValue] = []
        kpis.reserveCapacity(16)
        // Each input looked up once; a KPI is reported when all its inputs are present and its value finite.
        let brineLi = signals["brine.li"], outletLi = signals["dle.outlet.li"], inletFlow = signals["dle.inlet.flow"]
        let product = signals["product.rate"], freshwater = signals["freshwater.flow"]
        let capacity = signals["dle.sorbent.capacity"], power = signals["power.total"]
        func add(_ name: String, _ label: String, _ unit: String, _ value: Double?, _ quality: Quality) {
            guard let value, value.isFinite else { return }
            kpis.append(KPIValue(name: name, label: label, value: value, unit: unit, quality: quality, time: time))
        }
        if let li = brineLi, let out = outletLi {
            // Li recovery across the DLE train.
            add("li_recovery", "Li recovery (DLE)", "%", li.value > 0 ? 100 * (1 - out.value / li.value) : nil,
                Quality.combining(li.quality, out.quality))
            if let flow = inletFlow {
                // Li captured: flow (L/s) × 3.6 = m³/h; × ΔLi (mg/L = g/m³) = g/h; / 1000 = kg/h.
                let captured = flow.value * 3.6 * (li.value - out.value) / 1000
                let quality = Quality.combining(flow.quality, li.quality, out.quality)
                add("li_production", "Li captured", "kg/h", captured, quality)
                // 1 t Li = 5.323 t LCE (docs/sources.md §4.1).
                add("lce_per_day", "Li captured as LCE", "t/d", captured * 24 * 5.323 / 1000, quality)
            }
        }
        if let product {
            add("product_rate", "Product rate", "kg/h", product.value, Quality.combining(product.quality, .good))
            if let availabilityHours {
                add("projected_product", "Projected product", "t/yr", product.value * availabilityHours / 1000,
                    Quality.combining(product.quality, .good))
            }
            if let freshwater {
                add("freshwater_per_tonne", "Fresh water per tonne of product", "m³/t",
                    product.value > 1e-6 ? freshwater.value / (product.value / 1000) : nil,
                    Quality.combining(freshwater.quality, product.quality))
            }
            if let nameplate = nameplateProductRate {
                add("refining_utilisation", "Refining utilisation", "%", 100 * product.value / nameplate,
                    Quality.combining(product.quality, .good))
            }
        }
        if let capacity {
            add("sorbent_health", "Sorbent capacity vs fresh", "%", 100 * capacity.value, Quality.combining(capacity.quality, .good))
        }
        if let power, let product {
            add("specific_energy", "Electrical energy per tonne of product", "kWh/t",
                product.value > 1e-6 ? power.value / (product.value / 1000) : nil, Quality.combining(power.quality, product.quality))
        }

        // Integrated Li and water balances.
        let needed = ["production.flow", "brine.li", "reinjection.flow", "dle.outlet.li", "eluate.flow", "eluate.li"]
        // Integrate only trustworthy inputs: a bad or non-finite value would poison the totals for good.
        if let last = lastTime, time > last,
           needed.allSatisfy({ signals[$0].map { $0.value.isFinite && $0.quality.status != .bad } ?? false }) {
            let hours = Double(time - last) / 3_600_000
            let s = needed.map { signals[$0]! }
            let increments = [s[0].value * 3.6 * s[1].value * hours / 1000,           // kg Li in
                              s[2].value * 3.6 * s[3].value * hours / 1000,           // kg Li reinjected
                              s[4].value * s[5].value * hours / 1000,                 // kg Li in the eluate
                              s[0].value * 3.6 * hours, s[2].value * 3.6 * hours]    // m³ in, out
            let totals = [liIn, liReinjected, liEluate, waterIn, waterOut]
            // Absurd readings (non-finite products, or totals that would overflow) are left out.
            if increments.allSatisfy(\.isFinite) && zip(totals, increments).allSatisfy({ ($0 + $1).isFinite }) {
                liIn += increments[0]
                liReinjected += increments[1]
                liEluate += increments[2]
                waterIn += increments[3]
                waterOut += increments[4]
                integratedQuality = Quality.combining([integratedQuality] + s.map(\.quality))
            }
        }
        // Cycle KPIs: a column's elution ends when its phase leaves 3 (elute).
        if let last = lastTime, time > last, let eluateFlow = signals["eluate.flow"], let eluateLi = signals["eluate.li"],
           eluateFlow.value.isFinite, eluateLi.value.isFinite, eluateFlow.quality.status != .bad, eluateLi.quality.status != .bad {
            let hours = Double(time - last) / 3_600_000
            for column in 1...64 {
                guard let phase = signals[Self.phaseSignals[column - 1]] else { break }
                guard phase.value.isFinite, phase.quality.status != .bad, abs(phase.value) < 100 else { continue }
                var account = cycles[column] ?? CycleAccount()
                let now = Int(phase.value.rounded())
                if now == 3 {
                    if account.phase != 3 {
                        account.elutionStart = account.phase >= 0 ? time : nil
                        account.eluateVolume = 0
                        account.liEluted = 0
                    }
                    // One column elutes at a time in these trains: the eluate meter is that column's.
                    account.eluateVolume += eluateFlow.value * hours
                    account.liEluted += eluateFlow.value * eluateLi.value * hours / 1000
                } else if account.phase == 3, account.elutionStart != nil {
                    let previousEnd = completedCycles.last { $0.column == column }?.end
                    completedCycles.append(CycleKPIs(column: column, end: time,
                                                     cycleHours: previousEnd.map { Double(time - $0) / 3_600_000 },
                                                     eluateVolume: account.eluateVolume,
                                                     eluateMeanLi: account.eluateVolume > 0 ? account.liEluted * 1000 / account.eluateVolume : 0,
                                                     liEluted: account.liEluted))
                    if completedCycles.count > 100 { completedCycles.removeFirst() }
                    account.elutionStart = nil
                }
                account.phase = now
                cycles[column] = account
            }
        }
        if let cycle = completedCycles.last {
            kpis.append(KPIValue(name: "cycle_li_eluted", label: "Li eluted, last cycle (column \(cycle.column))", value: cycle.liEluted,
                                 unit: "kg", quality: .good, time: cycle.end))
            kpis.append(KPIValue(name: "cycle_eluate_volume", label: "Eluate volume, last cycle", value: cycle.eluateVolume,
                                 unit: "m³", quality: .good, time: cycle.end))
            kpis.append(KPIValue(name: "cycle_eluate_li", label: "Mean eluate Li, last cycle", value: cycle.eluateMeanLi,
                                 unit: "mg/L", quality: .good, time: cycle.end))
        }
        lastTime = time
        if liIn > 0, waterIn > 0 {
            let closure = 100 * (liIn - liReinjected - liEluate) / liIn
            kpis.append(KPIValue(name: "li_balance_closure", label: "Li balance closure (in − out) / in", value: closure, unit: "%",
                                 quality: integratedQuality, time: time))
            kpis.append(KPIValue(name: "water_balance_closure", label: "Brine balance closure (in − out) / in",
                                 value: 100 * (waterIn - waterOut) / waterIn, unit: "%", quality: integratedQuality, time: time))
        }
        kpis.removeAll { !$0.value.isFinite }
        return kpis
    }

    /// `dle.column.#.phase` for columns 1…64, made once rather than on every evaluation.
    static let phaseSignals = (1...64).map { "dle.column.\($0).phase" }

    /// The reconciliation of the integrated balances and its suspect instruments (nil before data).
    public func reconciliation() -> BalanceReconciliation.Result? {
        guard liIn > 0, waterIn > 0 else { return nil }
        // Totals with instrument uncertainties: flowmeters 0.5 %, analysers 5 % (wet chemistry carries 10–30 %,
        // docs/sources.md §5.1; online analysers are assumed better).
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
                .init(name: "lithium") { $0[2] - $0[3] - $0[4] },
            ])
        return try? problem.reconcile()
    }
}
