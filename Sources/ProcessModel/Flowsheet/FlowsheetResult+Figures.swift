/// One reported figure: a stable key (CSV column, JSON field, sweep objective), a value and its unit.
public struct FlowsheetFigure: Sendable, Hashable {
    public var section: String
    public var key: String
    public var label: String
    public var value: Double?
    public var unit: String

    public init(_ section: String, _ key: String, _ label: String, _ value: Double?, _ unit: String) {
        self.section = section
        self.key = key
        self.label = label
        self.value = value
        self.unit = unit
    }
}

/// One stage of the per-stage breakdown: lithium and water through it, and its electricity.
public struct FlowsheetStageRow: Sendable, Hashable {
    public var stage: String
    /// Li entering, passed on to the next stage, and leaving elsewhere (reinjection, losses), kg/h.
    public var lithiumIn: Double
    public var lithiumOut: Double
    public var lithiumElsewhere: Double
    /// Liquid entering and passed on, m³/h.
    public var waterIn: Double
    public var waterOut: Double
    public var powerKilowatts: Double
    public var note: String
}

extension FlowsheetResult {
    /// Every KPI of the estimate, in report order. Keys are stable: sweeps and JSON use them.
    public var figures: [FlowsheetFigure] {
        let day = 86_400.0 / 1e3  // kg/s → t/day
        let year = availabilityHours * 3.6  // kg/s → t/yr
        let li = productLithium.si
        return [
            .init("production", "li_t_per_day", "Li", li * day, "t/d"),
            .init("production", "li_t_per_year", "Li", li * year, "t/yr"),
            .init("production", "lce_t_per_day", "LCE (Li2CO3)", li * LithiumCarbonate.massPerLithium * day, "t/d"),
            .init("production", "lce_t_per_year", "LCE (Li2CO3)", li * LithiumCarbonate.massPerLithium * year, "t/yr"),
            .init("production", "lhm_t_per_day", "LHM (LiOH·H2O)", li * LithiumHydroxideMonohydrate.massPerLithium * day, "t/d"),
            .init("production", "lhm_t_per_year", "LHM (LiOH·H2O)", li * LithiumHydroxideMonohydrate.massPerLithium * year, "t/yr"),
            .init("production", "product_t_per_day", "product (\(product.rawValue))", productFlow.si * day, "t/d"),
            .init("production", "product_t_per_year", "product (\(product.rawValue))", productPerYear, "t/yr"),
            .init("recovery", "recovery_dle", "DLE", dleRecovery * 100, "%"),
            .init("recovery", "recovery_concentration", "concentration", concentrationRecovery * 100, "%"),
            .init("recovery", "recovery_refining", "refining", refiningRecovery * 100, "%"),
            .init("recovery", "recovery_overall", "overall", overallRecovery * 100, "%"),
            .init("recovery", "dle_per_pass_recovery", "DLE per pass (model used)", perPassRecovery * 100, "%"),
            .init("recovery", "dle_equilibrium_recovery", "DLE per pass (isotherm)", equilibriumRecovery * 100, "%"),
            .init("recovery", "dle_loading_ratio", "Li fed / working capacity", loadingRatio.isFinite ? loadingRatio : nil, "1"),
            .init("water", "fresh_water_m3_per_h", "fresh water", freshWater.cubicMetresPerHour, "m³/h"),
            .init("water", "fresh_water_m3_per_t", "fresh water per tonne of product", freshWaterPerTonne, "m³/t"),
            .init("water", "wash_water_m3_per_h", "wash water (fresh part)", freshWashWater.cubicMetresPerHour, "m³/h"),
            .init("water", "eluent_makeup_m3_per_h", "eluent make-up (fresh)", freshEluentWater.cubicMetresPerHour, "m³/h"),
            .init("water", "refinery_water_m3_per_h", "refinery process water", refineryProcessWater.cubicMetresPerHour, "m³/h"),
            .init("water", "permeate_reused_m3_per_h", "RO permeate reused as eluent", permeateReused.cubicMetresPerHour, "m³/h"),
            .init("refining", "refining_t_per_day", "refinery output", productFlow.si * day, "t/d"),
            .init("refining", "refining_utilisation", "refinery utilisation", refiningUtilisation.map { $0 * 100 }, "%"),
            .init("refining", "bottleneck_utilisation", "bottleneck: \(bottleneck?.stage ?? "none stated")", bottleneck.map { $0.utilisation * 100 }, "%"),
            .init("energy", "electricity_kw", "Li plant electricity", electricPower.kilowatts, "kW"),
            .init("energy", "energy_kwh_per_t", "electricity per tonne of product", energyPerTonne, "kWh/t"),
            .init("energy", "co2_kg_per_t", "grid CO2 per tonne of product", co2PerTonne, "kg/t"),
            .init("energy", "heat_recovered_mw", "heat recovered to the DLE inlet", heatRecovered.megawatts, "MW"),
            .init("sorbent", "sorbent_health", "sorbent health now", healthNow * 100, "%"),
            .init("sorbent", "sorbent_health_after_year", "sorbent health after one more year", healthAfterOneYear * 100, "%"),
            .init("sorbent", "cycles_per_year", "cycles per column per year", cyclesPerYear, "1/yr"),
            .init("sorbent", "cycle_minutes", "column cycle", cycleSeconds.isFinite ? cycleSeconds / 60 : nil, "min"),
            .init("balance", "li_balance_closure", "Li balance closure", lithiumBalance.relative, "1"),
            .init("balance", "water_balance_closure", "water balance closure", waterBalance.relative, "1"),
            .init("balance", "iterations", "recycle iterations", Double(iterations), "1"),
        ] + reagentsPerTonne.map { .init("reagents", "reagent_" + Self.slug($0.name), $0.name, $0.tonnesPerTonne, "t/t") }
    }

    /// The per-stage breakdown: well → heat exchange → DLE → concentration → refining → reinjection.
    public var stageBreakdown: [FlowsheetStageRow] {
        let h = 3600.0
        let brineLi = brineLithium.si * h
        let netDLE = (brineLithium.si - raffinateLithium.si) * h
        return [
            .init(stage: "well", lithiumIn: brineLi, lithiumOut: brineLi, lithiumElsewhere: 0,
                  waterIn: brineFlow.cubicMetresPerHour, waterOut: brineFlow.cubicMetresPerHour, powerKilowatts: 0,
                  note: "\(Self.text(brineFlow.litresPerSecond)) L/s at \(Self.text(parameters.brine.lithium.milligramsPerLitre)) mg/L"),
            .init(stage: "heat exchange", lithiumIn: brineLi, lithiumOut: brineLi, lithiumElsewhere: 0,
                  waterIn: brineFlow.cubicMetresPerHour, waterOut: brineFlow.cubicMetresPerHour, powerKilowatts: 0,
                  note: "to \(Self.text(dleInletTemperature.celsius)) °C, \(Self.text(heatRecovered.megawatts)) MW recovered"),
            .init(stage: "DLE", lithiumIn: brineLi, lithiumOut: netDLE, lithiumElsewhere: raffinateLithium.si * h,
                  waterIn: feedFlow.cubicMetresPerHour, waterOut: eluentFlow.cubicMetresPerHour,
                  powerKilowatts: dlePower.kilowatts,
                  note: "\(parameters.dle.model.rawValue) model, per pass \(Self.text(perPassRecovery * 100)) %"),
            .init(stage: "concentration", lithiumIn: netDLE, lithiumOut: refineryFeedLithium.si * h,
                  lithiumElsewhere: permeateLithiumToReinjection.si * h, waterIn: eluentFlow.cubicMetresPerHour,
                  waterOut: concentrateFlow.cubicMetresPerHour,
                  powerKilowatts: concentrationPower.kilowatts + evaporationPower.kilowatts,
                  note: "\(parameters.concentration.method.rawValue), ×\(Self.text(parameters.concentration.effectiveConcentrationFactor))"),
            .init(stage: "refining", lithiumIn: refineryFeedLithium.si * h, lithiumOut: productLithium.si * h,
                  lithiumElsewhere: (refiningYieldLoss.si + refiningBypassLoss.si) * h,
                  waterIn: concentrateFlow.cubicMetresPerHour + refineryProcessWater.cubicMetresPerHour, waterOut: 0,
                  powerKilowatts: refiningPower.kilowatts, note: parameters.refining.route.rawValue),
            .init(stage: "reinjection", lithiumIn: reinjectionLithium.si * h, lithiumOut: 0, lithiumElsewhere: 0,
                  waterIn: reinjectionFlow.cubicMetresPerHour, waterOut: 0, powerKilowatts: 0,
                  note: "at \(Self.text(reinjectionTemperature.celsius)) °C"),
        ]
    }

    /// `value` to `significant` figures as text, for notes (ProcessModel has no Foundation formatting).
    static func text(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite, value != 0 else { return value.isNaN ? "nan" : "\(value == 0 ? 0 : value)" }
        let magnitude = Int((abs(value)).log10Floor)
        let decimals = max(0, significant - 1 - magnitude)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return decimals == 0 ? "\(Int64(rounded))" : "\(rounded)"
    }

    static func slug(_ name: String) -> String {
        let head = name.split(separator: " ").first.map(String.init) ?? name
        return head.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}

extension Double {
    /// ⌊log10(self)⌋ for positive finite values, by repeated division (exact at powers of ten).
    fileprivate var log10Floor: Double {
        var v = self, n = 0.0
        while v >= 10 { v /= 10; n += 1 }
        while v < 1 { v *= 10; n -= 1 }
        return n
    }
}
