import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel
import ProcessStudies

/// `geolith-bench calibrate`: a 3-parameter fit of the lab column to a 2,000-point noisy breakthrough and
/// elution curve made by the model at known parameters; with `--coverage N`, N seeded fits and how often the
/// 95 % intervals hold the truth.
struct BenchCalibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Time a 3-parameter calibration on a 2,000-point curve (target < 5 s on one core), or measure coverage.",
        discussion: """
            The data: the experiment's Li outlet at --points evenly spaced times, from the model at the file's values \
            of the fitted keys, plus Gaussian noise (--noise × the curve's peak, seeded). The fit starts from those \
            values × 1.5, 0.8, 0.5 and runs on one thread. Prints the wall time, the column solves, the estimates \
            with their 95 % intervals against the truth. --coverage N repeats the fit for seeds 1…N and prints how \
            often each interval holds the true value (expected about 95 %). Run from the repository root, or give \
            the experiment file.
            """)

    @Argument(help: "Column experiment (default Experiments/lab-breakthrough.yaml).")
    var file = "Experiments/lab-breakthrough.yaml"

    @Option(help: "The three (or more) keys to fit.")
    var fit = "binding.Li.affinity_m3_per_mol,binding.Li.gamma_m3_per_mol,binding.Li.k_d_per_s"

    @Option(help: "Measured points.")
    var points = 2000

    @Option(help: "Noise standard deviation as a fraction of the curve's peak.")
    var noise = 0.01

    @Option(help: "Finite-volume cells of the column.")
    var cells = 40

    @Option(help: "Seed of the noise (the first seed with --coverage).")
    var seed: UInt64 = 1

    @Option(help: "Run this many seeded fits and report how often the 95 % intervals hold the truth.")
    var coverage: Int?

    func validate() throws {
        guard (10...1_000_000).contains(points) else { throw ValidationError("--points must be 10...1000000") }
        guard noise >= 0 && noise < 1 else { throw ValidationError("--noise must be in [0, 1)") }
        if let coverage, !(1...10_000).contains(coverage) { throw ValidationError("--coverage must be 1...10000") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: file) else {
            throw ValidationError("\(file) not found: run from the repository root or give the experiment file")
        }
        let base = try ExperimentLoading.file(file, settings: ["numerics.cells=\(cells)"])
        let experiment = try ExperimentLoading.experiment(base)
        let keys = fit.split(separator: ",").map(String.init)
        let truth = try keys.map { key -> Double in
            guard let text = base.value(at: key), let value = Double(text) else {
                throw ValidationError("\(key) holds no plain number in \(file)")
            }
            return value
        }
        let factors = [1.5, 0.8, 0.5]
        var start = base
        for (j, key) in keys.enumerated() { start = try start.setting(key, to: "\(truth[j] * factors[j % factors.count])") }
        let target = experiment.components[experiment.target].name
        print("geolith-bench calibrate: \(experiment.name), \(cells) cells, \(points) points of \(target), noise "
            + String(format: "%.3g", noise * 100) + " % of the peak; fit \(keys.joined(separator: ", "))")
        let trials = coverage ?? 1
        var covered = Array(repeating: 0, count: keys.count)
        var times: [Double] = [], cpuTimes: [Double] = [], solves: [Int] = []
        for trial in 0..<trials {
            let (text, _) = try SyntheticCurve.csv(
                experiment, component: target, count: points, noise: noise, seed: seed + UInt64(trial))
            let run = try CalibrationRun(text: text, file: "synthetic-\(seed + UInt64(trial)).csv", components: experiment.components.map(\.name))
            let calibration = try Calibration(file: start, runs: [run], fit: keys)
            let clock = ContinuousClock(), began = clock.now, cpuBegan = Self.threadCPUSeconds()
            let result = try calibration.fit()
            let seconds = ProgressDisplay.seconds(clock.now - began), cpu = Self.threadCPUSeconds() - cpuBegan
            times.append(seconds)
            cpuTimes.append(cpu)
            solves.append(result.solves)
            for j in keys.indices where result.intervals[j]?.contains(truth[j]) == true { covered[j] += 1 }
            if coverage == nil {
                print(result.table(solveSeconds: seconds))
                print("")
                for (j, key) in keys.enumerated() {
                    let interval = result.intervals[j].map { String(format: "%.5g…%.5g", $0.lowerBound, $0.upperBound) } ?? "none"
                    print("\(key): truth \(truth[j]), estimate \(String(format: "%.6g", result.estimates[j])) "
                        + String(format: "(%+.2e relative)", result.estimates[j] / truth[j] - 1)
                        + ", 95 % interval \(interval)" + (result.intervals[j]?.contains(truth[j]) == true ? " holds it" : " misses it"))
                }
            } else {
                print(String(format: "trial %3d (seed %llu): %.2f s (CPU %.2f s), %d solves, %d iterations", trial + 1,
                             seed + UInt64(trial), seconds, cpu, result.solves, result.iterations)
                    + keys.indices.map { result.intervals[$0]?.contains(truth[$0]) == true ? " ✓" : " ✗" }.joined())
            }
        }
        let sorted = times.sorted(), cpuSorted = cpuTimes.sorted()
        print(String(format: "fit time: wall median %.2f s (min %.2f, max %.2f), CPU median %.2f s (min %.2f, max %.2f) over %d fit(s), "
                     + "one thread (target < 5 s); column solves: median %d", sorted[sorted.count / 2], sorted.first!, sorted.last!,
                     cpuSorted[cpuSorted.count / 2], cpuSorted.first!, cpuSorted.last!, trials, solves.sorted()[solves.count / 2]))
        if coverage != nil {
            for (j, key) in keys.enumerated() {
                print(String(format: "coverage of %@: %d of %d (%.0f %%)", key, covered[j], trials,
                             100 * Double(covered[j]) / Double(trials)))
            }
            let all = covered.reduce(0, +)
            print(String(format: "all intervals: %d of %d (%.1f %%; target ≥ 90 %%)", all, trials * keys.count,
                         100 * Double(all) / Double(trials * keys.count)))
        }
    }

    /// CPU time of the calling thread, s: the fit's own cost, whatever else the machine runs.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}
