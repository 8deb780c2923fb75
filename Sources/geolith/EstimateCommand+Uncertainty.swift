import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel
import ProcessStudies

/// `geolith estimate PLANT --uncertainty N [--ranges FILE] [--seed S]`.
struct UncertaintyOptions: ParsableArguments {
    @Option(
        name: .customLong("uncertainty"),
        help: "Propagate the assumed ([U]) parameters' ranges: N Latin hypercube points; prints P10/P50/P90 and drivers.")
    var samples: Int?

    @Option(help: "Ranges to use instead of the defaults (YAML: key: [low, high] | ±N% | fixed). Needs --uncertainty.")
    var ranges: String?

    @Option(help: "Seed of the Latin hypercube (the same seed gives the same points). Needs --uncertainty.")
    var seed: UInt64?

    func validate() throws {
        if samples == nil && (ranges != nil || seed != nil) {
            throw ValidationError("--ranges and --seed go with --uncertainty N")
        }
        if let samples, !(2...1_000_000).contains(samples) { throw ValidationError("--uncertainty must be 2...1000000") }
    }
}

extension EstimateCommand {
    /// Runs the uncertainty study of the plant (with its `--set` overrides) and prints its table.
    func runUncertainty(_ samples: Int) throws {
        let plant = try loadPlant(file!)
        let base: FlowsheetParameters
        do {
            base = try plant.flowsheetParameters(overrides: Self.overrides(settings))
        } catch let error as ProcessParameterError {
            throw ValidationError("--set: \(error.message)")
        }
        var ranges = UncertaintyRange.defaults
        if let path = uncertainty.ranges {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
            do {
                ranges = try UncertaintyRange.reading(yaml: text, file: (path as NSString).lastPathComponent)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let seed = uncertainty.seed ?? 1
        let study: UncertaintyStudy
        do {
            study = try UncertaintyStudy(base: base, ranges: ranges, samples: samples, seed: seed)
        } catch {
            throw ValidationError(error.message)
        }
        if base.dle.model == .dynamic {
            print("dle.model dynamic: every point runs the column model to its cyclic steady state (seconds per point)",
                  to: &standardError)
        }
        let result = study.run()
        print(UncertaintyReport.table(plant: plant.id, study: study, result: result))
        if result.solved == 0 {
            throw ValidationError("no point solved" + (result.firstFailure.map { ": \($0)" } ?? ""))
        }
    }
}

/// The uncertainty study as text.
enum UncertaintyReport {
    static func table(plant: String, study: UncertaintyStudy, result: UncertaintyStudy.Result) -> String {
        func number(_ value: Double) -> String {
            abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.3g", value)
        }
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let space = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + space : space + text
        }
        var lines = [
            "geolith estimate \(plant) --uncertainty \(study.samples): \(study.dimensions.count) assumed parameters, "
                + "Latin hypercube (seed \(study.seed)), \(result.solved) points solved"
                + (result.failed > 0 ? ", \(result.failed) failed (first: \(result.firstFailure ?? "?"))" : ""),
            "",
            pad("KPI", 34, left: true) + pad("unit", 7, left: true) + pad("P10", 10) + pad("P50", 10) + pad("P90", 10)
                + "   drivers of the spread (Spearman rank correlation)",
        ]
        for spread in result.spreads {
            let label = spread.label
            lines.append(
                pad(String(label.prefix(33)), 34, left: true) + pad(spread.kpi.unit, 7, left: true) + pad(number(spread.p10), 10)
                    + pad(number(spread.p50), 10) + pad(number(spread.p90), 10) + "   "
                    + spread.drivers.map { "\($0.key) \(String(format: "%+.2f", $0.correlation))" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append("ranges (uniform):")
        for d in study.dimensions {
            lines.append("  \(pad(d.key, 48, left: true)) \(number(d.interval.lowerBound)) … \(number(d.interval.upperBound)) \(d.unit)   (\(d.reason))")
        }
        return lines.joined(separator: "\n")
    }
}
