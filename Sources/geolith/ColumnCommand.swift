import ArgumentParser
import CommandSupport
import PlantConfig
import Foundation
import ProcessModel
import ProcessStudies
import Reporting

/// `geolith column`: runs the dynamic column model and reports outlet curves and per-cycle KPIs.
struct ColumnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "column",
        abstract: "Run the dynamic sorption-column model: breakthrough, elution and per-cycle KPIs.",
        discussion: """
            With a plant file, runs the plant's own DLE column, the one `dle.model: dynamic` runs (its bed, sorbent, \
            kinetics, flows and load/wash/elute cycle, built by one function), to its cyclic steady state, and prints \
            the per-pass recovery `geolith estimate --set dle.model=dynamic` uses; --set overrides process parameters \
            as estimate takes them. --case runs a case of the shared benchmark column-dle-v1 (dle, thomas, ldf, tracer) \
            or its salt-modulated case (salt). With a column experiment file (a lab or pilot column: docs/rnd.md), its \
            steps and cycles run; --set changes any of its keys, and the numeric options override its numerics.
            """
    )

    @Argument(help: "Plant description or column experiment file (YAML).")
    var file: String?

    @Option(help: "Benchmark case of column-dle-v1: dle, thomas, ldf, tracer, or salt (Benchmarks/column/README.md).")
    var `case`: ColumnBenchmarkCase?

    @Option(help: "Finite-volume cells (default: 100 for --case, the plant column's 30 for a plant, an experiment's numerics.cells).")
    var cells: Int?

    @Option(help: "Cycles to run (default: 1 for --case; a plant's column runs to its cyclic steady state; an experiment's cycles).")
    var cycles: Int?

    @Option(name: .customLong("set"), help: "A plant's process parameter (key=value[unit]) or an experiment file's key (steps.load.flow_bv_per_h=20). Repeatable.")
    var settings: [String] = []

    @Option(help: "Convection scheme (default koren).")
    var scheme: ColumnScheme?

    @Option(help: "Relative tolerance of the time integrator (default 1e-5).")
    var rtol: Double?

    @Option(help: "Absolute tolerance, as a fraction of the feed concentration / capacity (default 1e-7).")
    var atol: Double?

    @Option(help: "Outlet sample spacing, s (default 10).")
    var sample: Double?

    @Option(help: "Write outlet curves (time, c/c_feed per component) to this CSV file.")
    var csv: String?

    @Option(help: "Draw the outlet curves to this SVG file.")
    var svg: String?

    @Option(help: "Repeat the solve this many times and report the median wall time (for benchmarks).")
    var repeats: Int = 1

    @Option(help: "Write the analytic reference curve (thomas, tracer) at the sample times to this CSV file.")
    var referenceCsv: String?

    @Flag(help: "Print one line of key=value figures instead of the table.")
    var summary = false

    func validate() throws {
        if let cells, cells < 3 { throw ValidationError("--cells must be at least 3") }
        if let cycles, cycles < 1 { throw ValidationError("--cycles must be at least 1") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        if file == nil && `case` == nil { throw ValidationError("give a plant file or --case") }
        if file == nil && !settings.isEmpty { throw ValidationError("--set needs a plant or experiment file") }
        for setting in settings where !setting.contains("=") {
            throw ValidationError("--set \(setting): expected key=value")
        }
    }

    func run() throws {
        if let file, ColumnExperimentFile.isExperiment(path: file) { return try runExperiment(file) }
        let study = try columnStudy()
        let (run, wall) = try timedRuns(study)
        let curve = run.simulator.samples.map { ($0.time, $0.concentrations[study.model.isotherm.targetComponent] / study.feed) }
        print(summary ? summaryLine(study, run, curve: curve, wall: wall) : report(study, run, curve: curve, wall: wall))
        try writeFiles(study, run, curve: curve)
    }

    /// The benchmark case's column (--case) or the plant's DLE column (the one `dle.model: dynamic` runs).
    func columnStudy() throws -> ColumnStudy {
        if let chosen = `case` { return ColumnStudy(case: chosen, cells: cells ?? 100, scheme: scheme ?? .koren) }
        guard let file else { throw ValidationError("give a plant file or --case") }
        guard scheme == nil && rtol == nil && atol == nil else {
            throw ValidationError(
                "--scheme, --rtol and --atol are for --case and experiment files: a plant's column is the one "
                    + "dle.model: dynamic runs")
        }
        let plant = try loadPlant(file)
        let p = try flowsheetParameters(of: plant, settings: settings)
        let study = ColumnStudy(plant: p, name: plant.id, cells: cells)
        let g = study.model.geometry, dle = p.dle
        print("plant \(plant.id): the column of dle.model dynamic, one of \(dle.columns) (\(fmt(g.length)) m × "
            + "\(fmt(g.area)) m², porosity \(fmt(g.voidage)), \(study.model.cells) cells); brine Li "
            + "\(fmt(p.brine.lithium.milligramsPerLitre)) mg/L; cycle \(fmt(dle.loadBedVolumes)) / "
            + "\(fmt(dle.washBedVolumes)) / \(fmt(dle.eluteBedVolumes)) BV (load / wash / elute)")
        return study
    }

    /// The study run --repeats times: the last run and the median wall time, s.
    func timedRuns(_ study: ColumnStudy) throws -> (ColumnStudy.Run, Double) {
        let tolerances = ColumnTolerances(relative: rtol ?? 1e-5, absolute: atol ?? 1e-7)
        var times: [Double] = []
        var run: ColumnStudy.Run?
        for _ in 0..<repeats {
            let clock = ContinuousClock(), started = clock.now
            run = try study.run(cycles: cycles, sampleInterval: sample ?? 10, tolerances: tolerances)
            times.append(ProgressDisplay.seconds(clock.now - started))
        }
        guard let run else { throw ValidationError("--repeats must be at least 1") }
        return (run, times.sorted()[times.count / 2])
    }

    /// The largest deviation from the analytic solution, for the cases that have one.
    func maxError(_ study: ColumnStudy, curve: [(Double, Double)]) -> Double? {
        guard let benchmark = study.benchmark, benchmark == .thomas || benchmark == .tracer else { return nil }
        return curve.map { abs($0.1 - (benchmark.reference(time: $0.0) ?? 0)) }.max()
    }

    /// `--summary`: one line of key=value figures.
    func summaryLine(_ study: ColumnStudy, _ run: ColumnStudy.Run, curve: [(Double, Double)], wall: Double) -> String {
        let t5 = ColumnCurve.crossing(curve, level: 0.05), t50 = ColumnCurve.crossing(curve, level: 0.5)
        let last = run.cycles.last!
        let steps = run.cycles.reduce(into: 0) { $0 += $1.statistics.acceptedSteps }
        let perPass = run.summary?.perPassRecovery ?? min(max(last.kpis.recovery, 0), 1)
        var line = "case=\(study.name) cells=\(study.model.cells) scheme=\((scheme ?? .koren).rawValue) wall_s=\(wall) steps=\(steps)"
        line += " t05_s=\(t5.map { String($0) } ?? "nan") t50_s=\(t50.map { String($0) } ?? "nan")"
        line += " mass_balance=\(last.kpis.massBalanceError)"
        if let maxError = maxError(study, curve: curve) { line += " max_error=\(maxError)" }
        if study.plant != nil { line += " cycles=\(run.cycles.count) per_pass_recovery=\(perPass)" }
        return line
    }

    /// The figures for people: wall time, breakthrough times, the KPI table per cycle, the cyclic steady state.
    func report(_ study: ColumnStudy, _ run: ColumnStudy.Run, curve: [(Double, Double)], wall: Double) -> String {
        let t5 = ColumnCurve.crossing(curve, level: 0.05), t50 = ColumnCurve.crossing(curve, level: 0.5)
        let steps = run.cycles.reduce(into: 0) { $0 += $1.statistics.acceptedSteps }
        var lines = ["geolith column: case \(study.name), \(study.model.cells) cells, scheme \((scheme ?? .koren).rawValue), rtol \(rtol ?? 1e-5)",
                     "wall time (median of \(repeats)): \(String(format: "%.4f", wall)) s, \(steps) steps"]
        if let t5 { lines.append("5 % breakthrough: \(String(format: "%.1f", t5)) s") }
        if let t50 { lines.append("50 % breakthrough: \(String(format: "%.1f", t50)) s") }
        if let maxError = maxError(study, curve: curve) { lines.append("max |Δ(c/c_feed)| vs analytic: \(String(format: "%.3e", maxError))") }
        lines.append(ColumnKPITable.render(run.cycles))
        if let css = run.summary {
            lines.append("cyclic steady state after \(css.cycles) cycles" + (css.converged ? "" : " (NOT converged)")
                + ": per-pass recovery " + String(format: "%.2f %%", css.perPassRecovery * 100)
                + " (what geolith estimate --set dle.model=dynamic uses)")
        }
        return lines.joined(separator: "\n")
    }

    /// --csv (the outlet, Li first), --reference-csv (the analytic curve) and --svg (the breakthrough plot).
    func writeFiles(_ study: ColumnStudy, _ run: ColumnStudy.Run, curve: [(Double, Double)]) throws {
        let (model, feed, target) = (study.model, study.feed, study.model.isotherm.targetComponent)
        if let csv {
            // The target (Li) first, so column 2 is always its c/c_feed; then the other components.
            let order = [target] + (0..<model.componentCount).filter { $0 != target }
            var text = "time_s," + order.map { "c\($0)_over_feed" }.joined(separator: ",") + "\n"
            for sample in run.simulator.samples {
                text += String(sample.time) + "," + order.map { String(sample.concentrations[$0] / feed) }.joined(separator: ",") + "\n"
            }
            try text.write(toFile: csv, atomically: true, encoding: .utf8)
        }
        if let referenceCsv {
            guard let benchmark = study.benchmark, benchmark.reference(time: 1) != nil else {
                throw ValidationError("case \(study.name) has no analytic reference")
            }
            var text = "time_s,c0_over_feed\n"
            for sample in run.simulator.samples {
                text += String(sample.time) + "," + String(benchmark.reference(time: sample.time) ?? .nan) + "\n"
            }
            try text.write(toFile: referenceCsv, atomically: true, encoding: .utf8)
        }
        if let svg {
            let chart = LineChart(
                title: "column \(study.name): outlet c/c_feed", x: .time(), y: ChartAxis("outlet c/c_feed"),
                series: [.init(name: "Li", x: curve.map(\.0), y: curve.map(\.1))])
            try chart.svg().write(toFile: svg, atomically: true, encoding: .utf8)
        }
    }
}

/// A number as the column command prints plant figures.
private func fmt(_ x: Double) -> String { String(format: "%g", x) }

/// Per-cycle KPIs as a text table (Li figures in mol and g, volumes in m³).
enum ColumnKPITable {
    static func render(_ cycles: [ColumnCycleResult]) -> String {
        let molarMass = 6.941  // g/mol Li (IUPAC standard atomic weight, abridged)
        var lines = ["cycle  capacity  Li fed (g)  Li loaded (g)  Li eluted (g)  recovery  eluate (m³)  eluate Li (mg/L)  water (m³)  BV     mass balance"]
        for c in cycles {
            let k = c.kpis
            lines.append(String(
                format: "%5d  %8.4f  %10.3f  %13.3f  %13.3f  %8.4f  %11.5f  %16.2f  %10.5f  %5.1f  %.2e",
                c.index + 1, c.capacityFactor, k.fed * molarMass, k.loaded * molarMass, k.eluted * molarMass,
                k.recovery, k.eluateVolume, k.eluateConcentration * molarMass, k.waterUsed, k.bedVolumesProcessed,
                k.massBalanceError))
        }
        return lines.joined(separator: "\n")
    }
}
