import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel
import Reporting
import Timekeeping

extension ColumnCommand {
    /// `geolith column EXPERIMENT.yaml`: runs a lab or pilot column experiment file (docs/rnd.md) with its
    /// `--set` overrides; the numeric options (--cells, --scheme, --rtol, --atol, --sample, --cycles) override
    /// the file's `numerics` and `cycles`.
    func runExperiment(_ path: String) throws {
        let overrides = settings + ExperimentLoading.numericSettings(
            cells: cells, scheme: scheme?.rawValue, rtol: rtol, atol: atol, sample: sample, cycles: cycles)
        let experiment = try ExperimentLoading.experiment(ExperimentLoading.file(path, settings: overrides))
        var times: [Double] = []
        var result: ColumnExperimentRun?
        for _ in 0..<repeats {
            let clock = ContinuousClock()
            let started = clock.now
            result = try experiment.run()
            let elapsed = clock.now - started
            times.append(elapsed.seconds)
        }
        guard let run = result else { return }
        let wall = times.sorted()[times.count / 2]
        let figures = ExperimentFigures(experiment: experiment, run: run)
        if summary {
            print(figures.summaryLine(wall: wall))
        } else {
            print(figures.table(wall: wall, repeats: repeats))
        }
        if let csv { try experiment.outletCSV(run).write(toFile: csv, atomically: true, encoding: .utf8) }
        if let svg { try figures.chart().svg().write(toFile: svg, atomically: true, encoding: .utf8) }
        if referenceCsv != nil { throw ValidationError("--reference-csv is for the benchmark cases (--case)") }
    }
}

/// The figures of an experiment run, as text and as a chart.
struct ExperimentFigures {
    let experiment: ColumnExperiment
    let run: ColumnExperimentRun

    var targetName: String { experiment.components[experiment.target].name }
    var bedVolume: Double { experiment.model.geometry.bedVolume }

    /// Bed volumes (counted from the step's start) at which the target's outlet first reaches 5 % and 50 %
    /// of its inlet in the first load step.
    var breakthrough: (five: Double?, half: Double?) {
        guard let load = run.cycles.first?.steps.first(where: { $0.kind == .load }),
            let step = experiment.schedule.steps.first(where: { $0.kind == .load })
        else { return (nil, nil) }
        let inlet = step.flow.inlet[experiment.target]
        guard inlet > 0 else { return (nil, nil) }
        let startBV = run.bedVolumes(at: load.start, bedVolume: bedVolume)
        let curve = run.samples.filter { $0.time > load.start && $0.time <= load.end }.map {
            (run.bedVolumes(at: $0.time, bedVolume: bedVolume) - startBV, $0.concentrations[experiment.target] / inlet)
        }
        return (ColumnCurve.crossing(curve, level: 0.05), ColumnCurve.crossing(curve, level: 0.5))
    }

    func summaryLine(wall: Double) -> String {
        let last = run.cycles.last!.kpis, (five, half) = breakthrough
        let molar = experiment.components[experiment.target].molarMass
        func text(_ value: Double?) -> String { value.map { String($0) } ?? "nan" }
        return "experiment=\(experiment.name) cells=\(experiment.model.cells) wall_s=\(wall) "
            + "steps=\(run.statistics.acceptedSteps) t05_bv=\(text(five)) t50_bv=\(text(half)) "
            + "recovery=\(last.recovery) eluate_mg_per_l=\(last.eluateConcentration * molar) "
            + "mass_balance=\(run.cycles.map(\.kpis.massBalanceError).max() ?? 0)"
    }

    func table(wall: Double, repeats: Int) -> String {
        let model = experiment.model, molar = experiment.components[experiment.target].molarMass
        let names = experiment.components.enumerated().map { k, c -> String in
            k == experiment.target ? "\(c.name) (target)" : (k == 0 && model.isotherm.modulated ? "\(c.name) (modulator)" : c.name)
        }
        var lines = [
            "geolith column: experiment \(experiment.name): \(format(model.geometry.length)) m bed, "
                + "\(format(bedVolume * 1000)) L, porosity \(format(model.geometry.voidage)); "
                + "components \(names.joined(separator: ", ")); \(model.cells) cells, \(experiment.cycles) cycle(s)",
            "wall time (median of \(repeats)): \(String(format: "%.4f", wall)) s, \(run.statistics.acceptedSteps) steps",
        ]
        let (five, half) = breakthrough
        if let five { lines.append("\(targetName) 5 % breakthrough: \(format(five)) BV into the first load") }
        if let half { lines.append("\(targetName) 50 % breakthrough: \(format(half)) BV into the first load") }
        lines.append("")
        let t = targetName
        lines.append(row(["step (cycle 1)", "kind", "start h", "end h", "BV", "\(t) in (g)", "\(t) out (g)"], [-16, -6, 8, 8, 8, 12, 12]))
        for step in run.cycles[0].steps {
            lines.append(row(
                [String(step.name.prefix(16)), step.kind.rawValue, fixed(step.start / 3600, 3), fixed(step.end / 3600, 3),
                 fixed(step.volume / bedVolume, 2), format(step.fed[experiment.target] * molar),
                 format(step.out[experiment.target] * molar)], [-16, -6, 8, 8, 8, 12, 12]))
        }
        lines.append("")
        let widths = [5, 9, 12, 11, 11, 9, 11, 18, 11, 13]
        lines.append(row(
            ["cycle", "capacity", "\(t) fed (g)", "loaded (g)", "eluted (g)", "recovery", "eluate (L)",
             "eluate \(t) (mg/L)", "water (BV)", "mass balance"], widths))
        for cycle in run.cycles {
            let k = cycle.kpis
            lines.append(row(
                ["\(cycle.index + 1)", fixed(cycle.capacityFactor, 5), format(k.fed * molar), format(k.loaded * molar),
                 format(k.eluted * molar), fixed(k.recovery * 100, 2) + " %", format(k.eluateVolume * 1000),
                 format(k.eluateConcentration * molar), fixed(k.waterUsed / bedVolume, 2),
                 String(format: "%.1e", k.massBalanceError)], widths))
        }
        return lines.joined(separator: "\n")
    }

    /// Every component's outlet over its highest inlet, against bed volumes.
    func chart() -> LineChart {
        var chart = LineChart(
            title: "\(experiment.name): outlet over highest inlet", x: ChartAxis("bed volumes", unit: "BV"),
            y: ChartAxis("outlet c / highest inlet c"))
        let x = run.samples.map { run.bedVolumes(at: $0.time, bedVolume: bedVolume) }
        for (k, component) in experiment.components.enumerated() {
            let scale = experiment.componentScales[k]
            chart.add(component.name, x: x, y: run.samples.map { $0.concentrations[k] / scale })
        }
        chart.includesZero = true
        return chart
    }

    private func format(_ value: Double) -> String { String(format: "%.4g", value) }
    private func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    /// Cells padded to their widths: negative widths align left, positive right; two spaces between.
    private func row(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { cell, width in
            let padding = String(repeating: " ", count: max(0, abs(width) - cell.count))
            return width < 0 ? cell + padding : padding + cell
        }.joined(separator: "  ")
    }
}
