import Foundation
public import PlantConfig
import ProcessModel

/// A sweep of a column experiment file (`geolith sweep EXPERIMENT.yaml --vary key=… [--model dynamic]`): every
/// point is the experiment with the point's values written at the varied keys, run through all its cycles;
/// its row gives the last cycle's KPIs and the first load's breakthrough. A point that fails (a value the key
/// does not take, an integrator failure) is reported in its row and the sweep goes on.
public struct ExperimentSweep: Sendable {
    /// The experiment with its `--set` overrides.
    public let file: ColumnExperimentFile
    public let dimensions: [ExperimentDimension]
    /// Latin hypercube of this many points, or a grid when `nil`.
    public let samples: Int?
    public let seed: UInt64
    /// How many points there are.
    public let count: Int
    private let sample: LatinHypercube?

    /// The KPI columns, after the point and the varied keys.
    public static let kpiTitles = [
        "recovery [1]", "eluted [g]", "eluate [mg/L]", "eluate volume [BV]", "water [BV]", "load [BV]",
        "breakthrough 5% [BV]", "breakthrough 50% [BV]", "mass balance [1]",
    ]

    /// Prepares a sweep.
    ///
    /// - Throws: ``StudyError`` for no or repeated dimensions, a grid dimension without steps, an empty or too
    ///   large sweep, or an experiment that does not read without the varied values.
    public init(file: ColumnExperimentFile, dimensions: [ExperimentDimension], samples: Int?, seed: UInt64) throws(StudyError) {
        guard !dimensions.isEmpty else { throw StudyError(.invalidInput, "nothing to sweep: give at least one --vary") }
        guard Set(dimensions.map(\.key)).count == dimensions.count else {
            throw StudyError(.invalidInput, "a key is varied twice")
        }
        do {
            _ = try file.experiment()
        } catch {
            throw StudyError(.invalidInput, "\(error)")
        }
        self.file = file
        self.dimensions = dimensions
        self.samples = samples
        self.seed = seed
        if let samples {
            guard (1...100_000).contains(samples) else { throw StudyError(.invalidInput, "--samples must be 1...100,000") }
            count = samples
            sample = LatinHypercube(count: samples, dimensions: dimensions.count, seed: seed)
        } else {
            var total = 1
            for d in dimensions {
                guard let n = d.gridCount else {
                    throw StudyError(.invalidInput, "--vary \(d.key): a grid needs steps (from:to:steps), or give --samples N")
                }
                total *= n
                guard total <= 1_000_000 else { throw StudyError(.invalidInput, "more than 1,000,000 column runs: sample instead") }
            }
            count = total
            sample = nil
        }
    }

    /// The texts written at the varied keys for point `i` (a grid's first dimension varies slowest).
    public func texts(point i: Int) -> [String] {
        if let sample {
            return dimensions.enumerated().map { d, dimension in dimension.sampledText(sample.coordinate(point: i, dimension: d)) }
        }
        var rest = i
        var result = Array(repeating: "", count: dimensions.count)
        for d in dimensions.indices.reversed() {
            let n = dimensions[d].gridCount!
            result[d] = dimensions[d].gridText(rest % n)
            rest /= n
        }
        return result
    }

    /// The CSV header.
    public var header: String {
        (["point"] + dimensions.map(\.columnTitle) + Self.kpiTitles + ["status", "error"]).map(csvField).joined(separator: ",")
    }

    /// One point's CSV row and whether it solved.
    public func row(point i: Int) -> (text: String, ok: Bool) {
        let texts = texts(point: i)
        // The header carries a range's unit; its cells hold the number alone.
        var fields = ["\(i)"] + zip(dimensions, texts).map { d, text in
            d.unit.isEmpty ? text : String(text.dropLast(d.unit.count + 1))
        }
        do {
            var variant = file
            for (d, text) in texts.enumerated() { variant = try variant.setting(dimensions[d].key, to: text) }
            let experiment: ColumnExperiment
            do {
                experiment = try variant.experiment()
            } catch {
                return ((fields + Array(repeating: "", count: Self.kpiTitles.count) + ["invalid", "\(error)"]).map(csvField)
                    .joined(separator: ","), false)
            }
            let run = try experiment.run()
            fields += Self.kpis(experiment, run).map { $0.map { "\($0)" } ?? "" } + ["ok", ""]
            return (fields.map(csvField).joined(separator: ","), true)
        } catch {
            return ((fields + Array(repeating: "", count: Self.kpiTitles.count) + ["failed", "\(error)"]).map(csvField)
                .joined(separator: ","), false)
        }
    }

    /// The KPI values in ``kpiTitles`` order (nil where a breakthrough was not reached).
    static func kpis(_ experiment: ColumnExperiment, _ run: ColumnExperimentRun) -> [Double?] {
        let k = run.cycles.last!.kpis, molar = experiment.components[experiment.target].molarMass
        let bedVolume = experiment.model.geometry.bedVolume
        var crossings: (Double?, Double?) = (nil, nil)
        if let load = run.cycles[0].steps.first(where: { $0.kind == .load }),
            let inlet = experiment.schedule.steps.first(where: { $0.kind == .load })?.flow.inlet[experiment.target], inlet > 0
        {
            let start = run.bedVolumes(at: load.start, bedVolume: bedVolume)
            let curve = run.samples.filter { $0.time > load.start && $0.time <= load.end }.map {
                (run.bedVolumes(at: $0.time, bedVolume: bedVolume) - start, $0.concentrations[experiment.target] / inlet)
            }
            crossings = (ColumnCurve.crossing(curve, level: 0.05), ColumnCurve.crossing(curve, level: 0.5))
        }
        return [
            k.recovery, k.eluted * molar, k.eluateConcentration * molar, k.eluateVolume / bedVolume, k.waterUsed / bedVolume,
            k.bedVolumesProcessed, crossings.0, crossings.1, run.cycles.map(\.kpis.massBalanceError).max(),
        ]
    }

    /// Runs every point on `jobs` threads, passing the header and then each row (in point order) to `write`.
    ///
    /// - Returns: the number of points that solved.
    /// - Throws: whatever `write` throws.
    public func run(jobs: Int, write: (String) throws -> Void, progress: (_ done: Int, _ failed: Int) -> Void = { _, _ in })
        throws -> Int
    {
        precondition(jobs >= 1)
        try write(header + "\n")
        var solved = 0, done = 0
        let batch = max(jobs * 2, 1)
        var start = 0
        while start < count {
            let first = start, end = min(start + batch, count), workers = min(jobs, end - start)
            let rows = ExperimentRows(count: end - first)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var i = first + worker
                while i < end {
                    rows.set(i - first, row(point: i))
                    i += workers
                }
            }
            for row in rows.all {
                try write(row.text + "\n")
                if row.ok { solved += 1 }
                done += 1
                progress(done, done - solved)
            }
            start = end
        }
        return solved
    }
}

/// Rows computed by worker threads, each into its own slot.
private final class ExperimentRows: @unchecked Sendable {
    // Safe: each slot is written by exactly one worker, and read only after `concurrentPerform` returns.
    private var rows: [(text: String, ok: Bool)]
    private let lock = NSLock()

    init(count: Int) { rows = Array(repeating: ("", false), count: count) }

    func set(_ i: Int, _ row: (text: String, ok: Bool)) {
        lock.lock()
        rows[i] = row
        lock.unlock()
    }

    var all: [(text: String, ok: Bool)] { rows }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
