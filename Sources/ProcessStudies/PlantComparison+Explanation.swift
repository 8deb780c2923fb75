import Foundation
import ProcessModel
import Reporting

extension PlantComparison {
    /// The stage that explains KPI `key` differing between `base` and `other` (``StageAttribution``), or, when
    /// no stage moved, the changed plant-wide parameter; `nil` for diagnostics (balance closures, iterations).
    static func explain(
        key: String, section: String, base: FlowsheetResult, other: FlowsheetResult, changes: [Change]
    ) -> Explanation? {
        guard section != "balance" else { return nil }
        let contributions = StageAttribution.contributions(key, section: section, base, other)
        guard let top = contributions.first, abs(top.share) > 1e-6 else {
            guard let change = changes.first(where: { !stages.contains($0.stage) }) ?? changes.first else { return nil }
            return Explanation(
                stage: change.stage, share: 1, detail: "\(change.key) \(change.from) → \(change.to)",
                parameters: [change.key])
        }
        var detail =
            "\(top.stage) (\(NumberText.fixed(abs(top.share) * 100, 0)) % of the change): "
            + top.factors.map {
                "\($0.what) \(number($0.base * $0.display)) → \(number($0.other * $0.display))"
                    + ($0.unit == "1" || $0.unit.isEmpty ? "" : " " + $0.unit)
            }
            .joined(separator: ", ")
        let feeding = changes.filter { $0.stage == top.stage }.map(\.key)
        if feeding.isEmpty {
            // The stage responds to a change elsewhere (a richer brine loads the sorbent differently).
            let upstream = changes.filter { $0.stage != top.stage }.map { "\($0.key) (\($0.stage))" }
            if !upstream.isEmpty { detail += "; in response to " + upstream.joined(separator: ", ") }
        }
        return Explanation(stage: top.stage, share: abs(top.share), detail: detail, parameters: feeding)
    }

    static let stages = ["well", "heat exchange", "DLE", "concentration", "refining", "reinjection"]

    static func number(_ v: Double) -> String { NumberText.compact(v, 4) }
}

/// Splits a KPI's difference between two solved plants over the stages that cause it.
///
/// Each KPI is written as a sum of components, each a product of factors that belong to one stage: the Li in
/// the product is `Li delivered (well) × DLE yield × concentration yield × refining yield`; the wash water is
/// `brine flow (well) × wash per m³ of brine (DLE) × fresh share (concentration: condensate reuse)`; RO
/// electricity is `brine flow (well) × eluent per m³ of brine (DLE) × kWh per m³ of eluent (concentration)`;
/// per-tonne figures divide by the product, annual ones multiply by the operating hours. The difference is then
/// decomposed exactly over the factors by the logarithmic mean Divisia index (LMDI-I; Ang, Energy Policy 32,
/// 2004): factor j of component i contributes `L(Vᵢ′, Vᵢ)·eⱼ·ln(xⱼ′/xⱼ)`, with `L(a, b) = (a − b)/ln(a/b)`. The
/// stage with the largest share explains the difference: a stage that only passes on an upstream change
/// (more brine, so more wash water) gets none of it.
enum StageAttribution {
    struct Factor {
        var stage: String
        var what: String
        var unit: String
        /// The factor in each case; components of one KPI multiply out to the same unit (they are added).
        var base: Double
        var other: Double
        var exponent = 1.0
        /// Shown multiplied by this (yields are fractions, shown in %).
        var display = 1.0
    }

    /// Contribution of each stage to the difference of `key`, largest magnitude first, with the factors of
    /// each stage; empty when the KPI has no stage model (balance diagnostics).
    static func contributions(_ key: String, section: String, _ a: FlowsheetResult, _ b: FlowsheetResult)
        -> [(stage: String, share: Double, factors: [Factor])]
    {
        let components = model(key, section: section, a, b)
        var byStage: [String: Double] = [:]
        var factorsByStage: [String: [Factor]] = [:]
        for factors in components {
            let va = factors.reduce(1.0) { $0 * ($1.exponent < 0 ? 1 / $1.base : $1.base) }
            let vb = factors.reduce(1.0) { $0 * ($1.exponent < 0 ? 1 / $1.other : $1.other) }
            for f in factors
            where abs(f.other - f.base) > 1e-9 * max(abs(f.base), abs(f.other))
                && factorsByStage[f.stage]?.contains(where: { $0.what == f.what }) != true
            {
                factorsByStage[f.stage, default: []].append(f)
            }
            guard factors.allSatisfy({ $0.base > 0 && $0.other > 0 && $0.base.isFinite && $0.other.isFinite }) else {
                // A factor at zero has no logarithm: its stage takes the component's whole change.
                if let f = factors.first(where: { !($0.base > 0 && $0.other > 0) }) {
                    byStage[f.stage, default: 0] += vb - va
                }
                continue
            }
            // The logarithmic mean; for nearly equal values its limit (a rounding-level change has no logarithm).
            let weight = abs(vb - va) <= 1e-12 * abs(va) ? va : (vb - va) / log(vb / va)
            for f in factors { byStage[f.stage, default: 0] += weight * f.exponent * log(f.other / f.base) }
        }
        let total = byStage.values.reduce(0) { $0 + abs($1) }
        guard total > 0 else { return [] }
        return byStage.map { (stage: $0.key, share: $0.value / total, factors: factorsByStage[$0.key] ?? []) }
            .sorted { abs($0.share) != abs($1.share) ? abs($0.share) > abs($1.share) : $0.stage < $1.stage }
    }

    /// The KPI as components of stage factors.
    static func model(_ key: String, section: String, _ a: FlowsheetResult, _ b: FlowsheetResult) -> [[Factor]] {
        func f(_ stage: String, _ what: String, _ unit: String, _ value: (FlowsheetResult) -> Double, _ e: Double = 1)
            -> Factor
        {
            Factor(stage: stage, what: what, unit: unit, base: value(a), other: value(b), exponent: e)
        }
        func yield(_ stage: String) -> Factor {
            var factor = f(stage, "Li yield", "%") { r in
                let row = r.stageBreakdown.first { $0.stage == stage }!
                return row.lithiumIn > 0 ? row.lithiumOut / row.lithiumIn : 0
            }
            factor.display = 100
            return factor
        }
        let h = 3600.0
        let brine = f("well", "brine flow", "m³/h") { $0.brineFlow.cubicMetresPerHour }
        let product = [
            f("well", "Li delivered", "kg/h") { $0.brineLithium.si * h }, yield("DLE"), yield("concentration"),
            yield("refining"),
        ]
        let perProduct = product.map {
            var x = $0; x.exponent = -1; return x
        }
        let hours = f("operation", "operating hours", "h/yr") { $0.availabilityHours }
        let eluent = f("DLE", "eluent per m³ of brine", "1") { $0.eluentFlow.si / $0.brineFlow.si }
        let wash = [
            brine, f("DLE", "wash per m³ of brine", "1") { $0.washWater.si / $0.brineFlow.si },
            f("concentration", "fresh share of the wash (condensate reuse)", "1") {
                $0.freshWashWater.si / $0.washWater.si
            },
        ]
        let makeUp = [
            brine, eluent,
            f("concentration", "fresh share of the eluent (permeate reuse)", "1") {
                $0.freshEluentWater.si / $0.eluentFlow.si
            },
        ]
        let refineryWater =
            product + [
                f("refining", "process water per kg Li", "m³/kg") { $0.refineryProcessWater.si / $0.productLithium.si }
            ]
        let power = [
            [
                brine,
                f("DLE", "DLE electricity per m³ of brine", "kWh/m³") {
                    $0.dlePower.kilowatts / $0.brineFlow.cubicMetresPerHour
                },
            ],
            [
                brine, eluent,
                f("concentration", "concentration electricity per m³ of eluent", "kWh/m³") {
                    ($0.concentrationPower.kilowatts + $0.evaporationPower.kilowatts) / $0.eluentFlow.cubicMetresPerHour
                },
            ],
            product + [
                f("refining", "refining electricity per kg Li", "kWh/kg") {
                    $0.refiningPower.kilowatts / ($0.productLithium.si * h)
                }
            ],
            [f("operation", "base load", "kW") { $0.basePower.kilowatts }],
        ]
        let water = [wash, makeUp, refineryWater]
        let cycles = [
            brine, hours,
            f("DLE", "cycles per m³ of brine", "1/m³") {
                $0.cyclesPerYear / ($0.brineFlow.cubicMetresPerHour * $0.availabilityHours)
            },
        ]
        switch key {
        case "recovery_dle": return [[yield("DLE")]]
        case "recovery_concentration": return [[yield("concentration")]]
        case "recovery_refining": return [[yield("refining")]]
        case "recovery_overall": return [Array(product.dropFirst())]
        case "fresh_water_m3_per_h": return water
        case "fresh_water_m3_per_t": return water.map { $0 + perProduct }
        case "wash_water_m3_per_h": return [wash]
        case "eluent_makeup_m3_per_h": return [makeUp]
        case "refinery_water_m3_per_h": return [refineryWater]
        case "permeate_reused_m3_per_h":
            return [
                [
                    brine, eluent,
                    f("concentration", "permeate reused per m³ of eluent", "1") {
                        $0.permeateReused.si / $0.eluentFlow.si
                    },
                ]
            ]
        case "electricity_kw": return power
        case "energy_kwh_per_t": return power.map { $0 + perProduct }
        case "co2_kg_per_t":
            return power.map { $0 + perProduct + [f("site grid", "grid CO2", "kg/kWh") { $0.gridEmissionFactor }] }
        case "heat_recovered_mw", "heat_recovered_gwh_per_year":
            return [
                [
                    brine,
                    f("heat exchange", "heat per m³ of brine", "MJ/m³") {
                        $0.heatRecovered.megawatts / $0.brineFlow.si
                    },
                ] + (key.hasSuffix("per_year") ? [hours] : [])
            ]
        case "brine_m3_per_year": return [[brine, hours]]
        case "dle_utilisation":
            return [[f("DLE", "feed per m³ of brine", "1") { $0.feedFlow.si / $0.brineFlow.si }, brine]]
        case "concentration_utilisation": return [[brine, eluent]]
        case "cycles_per_year": return [cycles]
        case "cycle_minutes":
            return [
                cycles.map {
                    var x = $0; x.exponent = -1; return x
                }
            ]
        case "dle_per_pass_recovery", "dle_equilibrium_recovery", "dle_loading_ratio", "sorbent_health",
            "sorbent_health_after_year", "reagent_wash":
            return [
                [
                    f(
                        "DLE", key, "",
                        { r in FlowsheetKPI.named(key)?.value(in: r) ?? r.figures.first { $0.key == key }?.value ?? 0 })
                ]
            ]
        default:
            if section == "reagents" {
                return [[f("refining", key, "t/t") { r in r.figures.first { $0.key == key }?.value ?? 0 }]]
            }
            guard ["production", "refining"].contains(section) else { return [] }
            return [product + (key.contains("per_year") ? [hours] : [])]
        }
    }
}
