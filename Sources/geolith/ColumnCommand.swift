import ArgumentParser
import PlantConfig
import Foundation
import ProcessModel
import Reporting

/// `geolith column`: runs the dynamic column model and reports outlet curves and per-cycle KPIs.
struct ColumnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "column",
        abstract: "Run the dynamic sorption-column model: breakthrough, elution and per-cycle KPIs.",
        discussion: """
            With a plant file, the column of the `dle` case runs with the plant's brine Li, sorbent capacity
            and cycle bed volumes; --case runs a case of the shared benchmark column-dle-v1 (dle, thomas, ldf, tracer)
            or its salt-modulated case (salt). With a column experiment file (a lab or pilot column: docs/rnd.md),
            its steps and cycles run; --set changes any of its keys.
            """
    )

    @Argument(help: "Plant description (YAML).")
    var file: String?

    @Option(help: "Benchmark case of column-dle-v1: dle, thomas, ldf, tracer, or salt (Benchmarks/column/README.md).")
    var `case`: String?

    @Option(help: "Finite-volume cells (default 100; an experiment file's numerics.cells).")
    var cells: Int?

    @Option(help: "Cycles to run (default 1; an experiment file's cycles).")
    var cycles: Int?

    @Option(help: "Convection scheme: koren (default), thirdOrder or upwind.")
    var scheme: String?

    @Option(help: "Relative tolerance of the time integrator.")
    var rtol: Double?

    @Option(help: "Absolute tolerance, as a fraction of the feed concentration / capacity.")
    var atol: Double?

    @Option(help: "Outlet sample spacing, s.")
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

    @Option(
        name: .customLong("set"),
        help: "Set a key of an experiment file: key.path=value (steps.load.flow_bv_per_h=20). Repeatable.")
    var settings: [String] = []

    func validate() throws {
        if let cells, cells < 3 { throw ValidationError("--cells must be at least 3") }
        if let cycles, cycles < 1 { throw ValidationError("--cycles must be at least 1") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard ColumnScheme(rawValue: scheme ?? "koren") != nil else {
            throw ValidationError("--scheme must be one of \(ColumnScheme.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if file == nil && `case` == nil { throw ValidationError("give a plant file or --case") }
        if let name = `case`, ColumnBenchmarkCase(rawValue: name) == nil {
            throw ValidationError("--case must be one of \(ColumnBenchmarkCase.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        if let file, ColumnExperimentFile.isExperiment(path: file) {
            try runExperiment(file)
            return
        }
        guard settings.isEmpty else { throw ValidationError("--set takes an experiment file's keys; this is a plant file") }
        // Defaults of the benchmark cases and plant columns (experiment files carry their own numerics).
        let cells = self.cells ?? 100, scheme = self.scheme ?? "koren", rtol = self.rtol ?? 1e-5
        let atol = self.atol ?? 1e-7, sample = self.sample ?? 10, cycles = self.cycles ?? 1
        let name: String
        let benchmark: ColumnBenchmarkCase?
        var model: ColumnModel
        let schedule: ColumnCycleSchedule
        let feed: Double
        if let caseName = `case`, let chosen = ColumnBenchmarkCase(rawValue: caseName) {
            name = caseName
            benchmark = chosen
            model = chosen.model(cells: cells, scheme: ColumnScheme(rawValue: scheme)!)
            schedule = ColumnCycleSchedule(steps: chosen.steps)
            feed = ColumnBenchmarkCase.feed
        } else if let file {
            // A plant's DLE column: the `dle` case's bed, kinetics and flow, with the plant's brine Li, sorbent
            // capacity and cycle (load / wash / elute bed volumes) from its description.
            let plant = try loadPlant(file)
            name = plant.id
            benchmark = nil
            model = ColumnBenchmarkCase.dle.model(cells: cells, scheme: ColumnScheme(rawValue: scheme)!)
            let li = plant.brine.lithium ?? 180
            feed = li / 6.941                                    // mg/L = g/m³ → mol/m³ (M(Li) 6.941 g/mol)
            func number(_ path: String...) -> Double? {
                var node = plant.process
                for key in path { node = node?[key] }
                return node?.string.flatMap(Double.init)
            }
            if let capacity = number("sorbent", "capacity_mg_per_g"), capacity > 0 {
                // mg Li per g sorbent × 1,200 kg/m³ packed sorbent (the benchmark's bed density) → mol/m³ solid.
                model.isotherm.components[0].capacity = capacity * 1200 / 6.941
            }
            let load = number("dle", "cycle_bed_volumes", "load") ?? 30
            let wash = number("dle", "cycle_bed_volumes", "wash") ?? 2
            let elute = number("dle", "cycle_bed_volumes", "elute") ?? 10
            let velocity = ColumnBenchmarkCase.superficialVelocity
            schedule = ColumnCycleSchedule(steps: [
                ColumnStep(name: "load", kind: .load, flow: ColumnFlow(superficialVelocity: velocity, inlet: [feed]), end: .bedVolumes(load)),
                ColumnStep(name: "wash", kind: .wash, flow: ColumnFlow(superficialVelocity: velocity, inlet: [0]), end: .bedVolumes(wash)),
                ColumnStep(name: "elute", kind: .elute, flow: ColumnFlow(superficialVelocity: velocity, inlet: [0]), end: .bedVolumes(elute)),
            ])
            print("plant \(plant.id): brine Li \(li) mg/L, cycle \(load) / \(wash) / \(elute) BV (load / wash / elute)")
        } else {
            throw ValidationError("give a plant file or --case")
        }
        let tolerances = ColumnTolerances(relative: rtol, absolute: atol)

        var times: [Double] = []
        var run: ColumnRun?
        for _ in 0..<repeats {
            let clock = ContinuousClock()
            let started = clock.now
            var simulator = ColumnSimulator(model: model, tolerances: tolerances, sampleInterval: sample, concentrationScale: feed)
            if let benchmark { simulator.componentScales = benchmark.componentScales }
            let result = try simulator.runCycles(schedule, count: cycles)
            let elapsed = clock.now - started
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            run = ColumnRun(simulator: simulator, cycles: result)
        }
        guard let run else { return }
        let wall = times.sorted()[times.count / 2]
        let target = model.isotherm.targetComponent
        let curve = run.simulator.samples.map { ($0.time, $0.concentrations[target] / feed) }
        var maxError: Double?
        if let benchmark, benchmark == .thomas || benchmark == .tracer {
            maxError = curve.map { abs($0.1 - (benchmark.reference(time: $0.0) ?? 0)) }.max()
        }
        let t5 = ColumnCurve.crossing(curve, level: 0.05), t50 = ColumnCurve.crossing(curve, level: 0.5)
        let last = run.cycles.last!
        let stats = run.cycles.reduce(into: 0) { $0 += $1.statistics.acceptedSteps }
        if summary {
            var line = "case=\(name) cells=\(cells) scheme=\(scheme) wall_s=\(wall) steps=\(stats)"
            line += " t05_s=\(t5.map { String($0) } ?? "nan") t50_s=\(t50.map { String($0) } ?? "nan")"
            line += " mass_balance=\(last.kpis.massBalanceError)"
            if let maxError { line += " max_error=\(maxError)" }
            print(line)
        } else {
            print("geolith column: case \(name), \(cells) cells, scheme \(scheme), rtol \(rtol)")
            print("wall time (median of \(repeats)): \(String(format: "%.4f", wall)) s, \(stats) steps")
            if let t5 { print("5 % breakthrough: \(String(format: "%.1f", t5)) s") }
            if let t50 { print("50 % breakthrough: \(String(format: "%.1f", t50)) s") }
            if let maxError { print("max |Δ(c/c_feed)| vs analytic: \(String(format: "%.3e", maxError))") }
            print(ColumnKPITable.render(run.cycles))
        }
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
            guard let benchmark, benchmark.reference(time: 1) != nil else {
                throw ValidationError("case \(name) has no analytic reference")
            }
            var text = "time_s,c0_over_feed\n"
            for sample in run.simulator.samples {
                text += String(sample.time) + "," + String(benchmark.reference(time: sample.time) ?? .nan) + "\n"
            }
            try text.write(toFile: referenceCsv, atomically: true, encoding: .utf8)
        }
        if let svg {
            let chart = LineChart(
                title: "column \(name): outlet c/c_feed", x: .time(), y: ChartAxis("outlet c/c_feed"),
                series: [.init(name: "Li", x: curve.map(\.0), y: curve.map(\.1))])
            try chart.svg().write(toFile: svg, atomically: true, encoding: .utf8)
        }
    }
}

private struct ColumnRun {
    var simulator: ColumnSimulator
    var cycles: [ColumnCycleResult]
}

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
