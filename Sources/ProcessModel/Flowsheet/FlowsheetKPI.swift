/// One KPI of the flowsheet: a stable key, its section and unit, and how to read it from a solved plant.
///
/// ``all`` lists them in report order. ``FlowsheetResult/figures`` reads every one with its label; a sweep
/// reads the values alone (``value(in:)``), so evaluating a KPI makes no text.
public struct FlowsheetKPI: Sendable {
    public let section: String
    public let key: String
    public let unit: String
    private let fixedLabel: String
    private let dynamicLabel: (@Sendable (FlowsheetResult) -> String)?
    private let read: @Sendable (FlowsheetResult) -> Double?

    init(
        _ section: String, _ key: String, _ label: String, _ unit: String,
        _ read: @escaping @Sendable (FlowsheetResult) -> Double?
    ) {
        self.section = section
        self.key = key
        self.unit = unit
        fixedLabel = label
        dynamicLabel = nil
        self.read = read
    }

    init(
        _ section: String, _ key: String, label: @escaping @Sendable (FlowsheetResult) -> String, _ unit: String,
        _ read: @escaping @Sendable (FlowsheetResult) -> Double?
    ) {
        self.section = section
        self.key = key
        self.unit = unit
        fixedLabel = ""
        dynamicLabel = label
        self.read = read
    }

    /// The KPI's value in `result`, in ``unit``; `nil` when it does not apply (no product, no stated capacity).
    public func value(in result: FlowsheetResult) -> Double? { read(result) }

    /// The KPI's label, which may name the result's product or bottleneck.
    public func label(for result: FlowsheetResult) -> String { dynamicLabel?(result) ?? fixedLabel }

    /// The KPI with this key, or `nil`.
    public static func named(_ key: String) -> FlowsheetKPI? { all.first { $0.key == key } }

    private static let day = 86_400.0 / 1e3  // kg/s → t/day
    private static func year(_ r: FlowsheetResult) -> Double { r.availabilityHours * 3.6 }  // kg/s → t/yr
    private static func li(_ r: FlowsheetResult) -> Double { r.productLithium.si }

    /// Every KPI, in report order (the reagents, which depend on the route, are not among them).
    public static let all: [FlowsheetKPI] = [
        .init("production", "li_t_per_day", "Li", "t/d") { li($0) * day },
        .init("production", "li_t_per_year", "Li", "t/yr") { li($0) * year($0) },
        .init("production", "lce_t_per_day", "LCE (Li2CO3)", "t/d") { li($0) * LithiumCarbonate.massPerLithium * day },
        .init("production", "lce_t_per_year", "LCE (Li2CO3)", "t/yr") {
            li($0) * LithiumCarbonate.massPerLithium * year($0)
        },
        .init("production", "lhm_t_per_day", "LHM (LiOH·H2O)", "t/d") {
            li($0) * LithiumHydroxideMonohydrate.massPerLithium * day
        },
        .init("production", "lhm_t_per_year", "LHM (LiOH·H2O)", "t/yr") {
            li($0) * LithiumHydroxideMonohydrate.massPerLithium * year($0)
        },
        .init("production", "product_t_per_day", label: { "product (\($0.product.rawValue))" }, "t/d") {
            $0.productFlow.si * day
        },
        .init("production", "product_t_per_year", label: { "product (\($0.product.rawValue))" }, "t/yr") {
            $0.productPerYear
        },
        .init("production", "brine_m3_per_year", "brine produced", "m³/yr") { $0.brinePerYear },
        .init("recovery", "recovery_dle", "DLE", "%") { $0.dleRecovery * 100 },
        .init("recovery", "recovery_concentration", "concentration", "%") { $0.concentrationRecovery * 100 },
        .init("recovery", "recovery_refining", "refining", "%") { $0.refiningRecovery * 100 },
        .init("recovery", "recovery_overall", "overall", "%") { $0.overallRecovery * 100 },
        .init("recovery", "dle_per_pass_recovery", "DLE per pass (model used)", "%") { $0.perPassRecovery * 100 },
        .init("recovery", "dle_equilibrium_recovery", "DLE per pass (isotherm)", "%") { $0.equilibriumRecovery * 100 },
        .init("recovery", "dle_loading_ratio", "Li fed / working capacity", "1") {
            $0.loadingRatio.isFinite ? $0.loadingRatio : nil
        },
        .init("recovery", "eluate_li_mg_per_l", "Li in the eluate (before RO)", "mg/L") {
            $0.eluentFlow.si > 0 ? $0.eluateLithium.si / $0.eluentFlow.si * 1000 : nil
        },
        .init("water", "fresh_water_m3_per_h", "fresh water", "m³/h") { $0.freshWater.cubicMetresPerHour },
        .init("water", "fresh_water_m3_per_t", "fresh water per tonne of product", "m³/t") { $0.freshWaterPerTonne },
        .init("water", "wash_water_m3_per_h", "wash water (fresh part)", "m³/h") {
            $0.freshWashWater.cubicMetresPerHour
        },
        .init("water", "eluent_makeup_m3_per_h", "eluent make-up (fresh)", "m³/h") {
            $0.freshEluentWater.cubicMetresPerHour
        },
        .init("water", "refinery_water_m3_per_h", "refinery process water", "m³/h") {
            $0.refineryProcessWater.cubicMetresPerHour
        },
        .init("water", "permeate_reused_m3_per_h", "RO permeate reused as eluent", "m³/h") {
            $0.permeateReused.cubicMetresPerHour
        },
        .init("refining", "refining_t_per_day", "refinery output", "t/d") { $0.productFlow.si * day },
        .init("refining", "refining_utilisation", "refinery utilisation", "%") {
            $0.refiningUtilisation.map { $0 * 100 }
        },
        .init("refining", "dle_utilisation", "DLE feed / design flow", "%") { $0.dleUtilisation.map { $0 * 100 } },
        .init("refining", "concentration_utilisation", "RO feed / design feed", "%") {
            $0.concentrationUtilisation.map { $0 * 100 }
        },
        .init(
            "refining", "bottleneck_utilisation", label: { "bottleneck: \($0.bottleneck?.stage ?? "none stated")" }, "%"
        ) {
            $0.bottleneck.map { $0.utilisation * 100 }
        },
        .init("energy", "electricity_kw", "Li plant electricity (without the production pump)", "kW") {
            $0.electricPower.kilowatts
        },
        .init("energy", "energy_kwh_per_t", "electricity per tonne of product", "kWh/t") { $0.energyPerTonne },
        .init("energy", "co2_kg_per_t", "grid CO2 per tonne of product", "kg/t") { $0.co2PerTonne },
        .init("energy", "heat_recovered_mw", "heat recovered to the DLE inlet", "MW") { $0.heatRecovered.megawatts },
        .init("energy", "heat_recovered_gwh_per_year", "heat recovered per year", "GWh/yr") {
            $0.heatRecoveredPerYear / 1000
        },
        .init("sorbent", "sorbent_health", "sorbent health now", "%") { $0.healthNow * 100 },
        .init("sorbent", "sorbent_health_after_year", "sorbent health after one more year", "%") {
            $0.healthAfterOneYear * 100
        },
        .init("sorbent", "cycles_per_year", "cycles per column per year", "1/yr") { $0.cyclesPerYear },
        .init("sorbent", "cycle_minutes", "column cycle", "min") {
            $0.cycleSeconds.isFinite ? $0.cycleSeconds / 60 : nil
        },
        .init("balance", "li_balance_closure", "Li balance closure", "1") { $0.lithiumBalance.relative },
        .init("balance", "water_balance_closure", "water balance closure", "1") { $0.waterBalance.relative },
        .init("balance", "iterations", "recycle iterations", "1") { Double($0.iterations) },
    ]
}
