import CommandSupport
import Foundation
import PlantConfig
import ProcessModel

/// Renders a flowsheet result as a table, JSON or CSV. Every format carries the same figures.
struct EstimateReport {
    var plant: Plant
    var result: FlowsheetResult
    var projection: [ProjectionYear]
    var overrides: [(key: String, value: String)]
    /// The three DLE models at this operating point.
    var models: DLEModelComparison?

    func table() -> String {
        var out = "\(plant.name) (\(plant.id)): steady-state estimate\n"
        let p = result.parameters
        out += "brine \(fmt(p.productionFlow.litresPerSecond)) L/s at \(fmt(p.brine.lithium.milligramsPerLitre)) mg/L Li, "
        out += "\(fmt(p.availabilityHours)) h/yr, DLE model \(p.dle.model.rawValue), "
        out += "product \(result.product.rawValue) (\(p.refining.route.rawValue)), grid \(fmt(p.energy.gridEmissionFactor)) kg CO2/kWh\n"
        if !overrides.isEmpty { out += "overrides: " + overrides.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n" }
        var section = ""
        for figure in result.figures {
            if figure.section != section {
                section = figure.section
                out += "\n\(section)\n"
            }
            out += "  " + pad(figure.label, 44) + pad(figure.value.map(fmt) ?? "n/a", 14, right: true) + "  \(figure.unit)\n"
        }
        out += "\nper-stage breakdown (Li in kg/h: into the stage, passed on to the next, sent elsewhere: raffinate, losses)\n"
        out += "  " + pad("stage", 15) + pad("Li in", 12, right: true) + pad("Li onward", 12, right: true)
            + pad("Li elsewhere", 13, right: true) + pad("m³/h in", 10, right: true) + pad("m³/h on", 10, right: true)
            + pad("kW", 9, right: true) + "  note\n"
        for row in result.stageBreakdown {
            out += "  " + pad(row.stage, 15) + pad(fmt(row.lithiumIn), 12, right: true)
                + pad(fmt(row.lithiumOut), 12, right: true) + pad(fmt(row.lithiumElsewhere), 13, right: true)
                + pad(fmt(row.waterIn), 10, right: true) + pad(fmt(row.waterOut), 10, right: true)
                + pad(fmt(row.powerKilowatts), 9, right: true) + "  \(row.note)\n"
        }
        if let models {
            out += "\nDLE models at this operating point (they " + (models.disagree ? "differ by " : "agree within ")
                + "\(fmt(models.spread * 100)) points; \(models.active.rawValue) is used)\n"
            out += "  " + pad("model", 13) + pad("per pass", 10, right: true) + pad("DLE", 9, right: true) + "  limited by\n"
            for entry in models.entries {
                out += "  " + pad(entry.model.rawValue, 13) + pad(fmt(entry.perPassRecovery * 100) + " %", 10, right: true)
                    + pad(fmt(entry.dleRecovery * 100) + " %", 9, right: true) + "  "
                    + (entry.causes.isEmpty ? "-" : entry.causes.joined(separator: "; ")) + "\n"
            }
        }
        let warnings = result.warnings.descriptions
        if !warnings.isEmpty { out += "\nwarnings\n" + warnings.map { "  - \($0)\n" }.joined() }
        if !projection.isEmpty {
            out += "\nprojection (reservoir Li decline, Goldberg et al. 2023: 30-50 % in 30 years)\n"
            out += "  " + pad("year", 6) + pad("brine Li mg/L", 15, right: true) + pad("t Li", 10, right: true)
                + pad("t \(result.product.rawValue)", 12, right: true) + "\n"
            for y in projection {
                out += "  " + pad("\(y.year)", 6) + pad(fmt(y.brineLithium.milligramsPerLitre), 15, right: true)
                    + pad(fmt(y.lithiumTonnes), 10, right: true) + pad(fmt(y.productTonnes), 12, right: true) + "\n"
            }
        }
        out += "\nparameters (value, unit, source)\n"
        for parameter in ProcessParameterCatalogue.all {
            guard let value = parameter.value(in: p) else { continue }
            out += "  " + pad(parameter.key, 46) + pad(value, 14, right: true) + "  " + pad(parameter.unit ?? "", 9)
                + parameter.source + "\n"
        }
        out += "  brine sources: " + (plant.brine?.sources ?? []).joined(separator: "; ") + "\n"
        return out
    }

    func json() throws -> String {
        var figures: [String: Any] = [:]
        for f in result.figures { figures[f.key] = ["value": f.value.map { $0 as Any } ?? NSNull(), "unit": f.unit, "label": f.label] }
        let stages: [[String: Any]] = result.stageBreakdown.map {
            ["stage": $0.stage, "li_in_kg_per_h": $0.lithiumIn, "li_on_kg_per_h": $0.lithiumOut,
             "li_out_kg_per_h": $0.lithiumElsewhere, "water_in_m3_per_h": $0.waterIn, "water_on_m3_per_h": $0.waterOut,
             "power_kw": $0.powerKilowatts, "note": $0.note]
        }
        var parameters: [String: Any] = [:]
        for parameter in ProcessParameterCatalogue.all {
            if let value = parameter.value(in: result.parameters) {
                parameters[parameter.key] = ["value": value, "unit": parameter.unit ?? "", "source": parameter.source]
            }
        }
        let dleModels: [[String: Any]] = (models?.entries ?? []).map {
            ["model": $0.model.rawValue, "per_pass_recovery_percent": $0.perPassRecovery * 100,
             "dle_recovery_percent": $0.dleRecovery * 100, "limited_by": $0.causes]
        }
        let object: [String: Any] = [
            "plant": plant.id, "name": plant.name, "product": result.product.rawValue, "figures": figures,
            "dle_models": dleModels, "dle_models_disagree": models?.disagree ?? false,
            "stages": stages, "warnings": result.warnings.descriptions, "parameters": parameters,
            "projection": projection.map {
                ["year": $0.year, "brine_li_mg_per_l": $0.brineLithium.milligramsPerLitre, "li_t": $0.lithiumTonnes,
                 "product_t": $0.productTonnes] as [String: Any]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func csv() -> String {
        var out = "section,key,label,value,unit\n"
        for f in result.figures {
            out += "\(f.section),\(f.key),\"\(f.label)\",\(f.value.map { "\($0)" } ?? ""),\(f.unit)\n"
        }
        for entry in models?.entries ?? [] {
            out += "dle_models,\(entry.model.rawValue)_per_pass_recovery,\"\(entry.model.rawValue) model, per pass\","
                + "\(entry.perPassRecovery * 100),%\n"
        }
        for y in projection {
            out += "projection,year_\(y.year)_product_t,\"year \(y.year) \(y.product.rawValue)\",\(y.productTonnes),t\n"
        }
        return out
    }

    static func parameterList() -> String {
        ProcessParameterCatalogue.all.map { p in
            let kind: String
            switch p.kind {
            case let .number(unit, range): kind = "\(range.lowerBound)...\(range.upperBound) \(unit)"
            case let .integer(range): kind = "\(range.lowerBound)...\(range.upperBound)"
            case let .choice(words): kind = words.joined(separator: "|")
            case .informational: kind = "(note, not used by the model)"
            }
            let use: String
            switch p.use {
            case .everywhere: use = ""
            case let .dleModels(models): use = "; used by dle.model " + models.map(\.rawValue).joined(separator: ", ")
            case .dynamics: use = "; used by the simulator and the soft sensors"
            case .note: use = ""
            }
            return "\(p.key)\n    \(p.summary); \(kind); default: \(p.source)\(use)"
        }.joined(separator: "\n")
    }

    private func fmt(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e6 || a < 1e-3 { return String(format: "%.3g", v) }
        if v == v.rounded() { return String(format: "%.0f", v) }
        if a >= 100 { return String(format: "%.0f", v) }
        if a >= 10 { return String(format: "%.1f", v) }
        return String(format: "%.3f", v)
    }

    private func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let count = s.count
        guard count < n else { return s + " " }
        let space = String(repeating: " ", count: n - count)
        return right ? space + s : s + space
    }
}
