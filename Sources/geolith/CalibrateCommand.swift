import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel
import ProcessStudies
import Reporting

/// `geolith calibrate EXPERIMENT.yaml --data run.csv --fit k1,k2`: fits keys of a column experiment file to
/// measured outlet curves and writes the calibrated file.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit a column experiment's parameters to measured outlet curves (weighted least squares).",
        discussion: """
            Each --data file is one measured run (CSV: a time column time_s, time_min, time_h or bed_volumes; a \
            column per measured component such as Li_mg_per_l; optionally Li_sd_mg_per_l; '# set key=value' lines \
            for what this run did differently). The --fit keys (numbers in the experiment file, e.g. \
            binding.Li.k_d_per_s) are fitted by Levenberg-Marquardt within their bounds. Prints the estimates \
            with 95 % confidence intervals, the correlation matrix and the residuals' summary; writes the \
            calibrated experiment file. A fit whose parameters the data cannot tell apart is refused, naming \
            them. The file format is in docs/rnd.md.
            """)

    @Argument(help: "Column experiment file (YAML).")
    var file: String

    @Option(name: .customLong("data"), help: "A measured run (CSV). Repeatable.")
    var data: [String] = []

    @Option(help: "The keys to fit, comma-separated (binding.Li.k_d_per_s,binding.Li.gamma_m3_per_mol).")
    var fit: String?

    @Option(
        help: """
            With a plant file instead: the per-pass recovery its pilots report (e.g. 0.9); finds the load bed             volumes and the salt sensitivity γ at which its equilibrium and salt-modulated dynamic models give it.
            """)
    var plantRecovery: Double?

    @Option(name: .customLong("bounds"), help: "Bounds of a fitted key: key=low:high (default: the sign of its start). Repeatable.")
    var bounds: [String] = []

    @Option(name: .customLong("set"), help: "Set a key of the experiment for every run: key.path=value. Repeatable.")
    var settings: [String] = []

    @Option(help: "Write the calibrated experiment here (default: FILE's name with .calibrated.yaml, beside it).")
    var out: String?

    @Option(help: "Draw data and fit to this SVG file.")
    var svg: String?

    @Option(help: "Write measured, fitted and residual values to this CSV file.")
    var residuals: String?

    @Option(help: "Largest number of Levenberg-Marquardt iterations.")
    var iterations: Int = 60

    func validate() throws {
        if let plantRecovery {
            guard (0.01...0.999).contains(plantRecovery) else { throw ValidationError("--plant-recovery must be 0.01...0.999") }
            guard data.isEmpty && fit == nil else { throw ValidationError("--plant-recovery takes a plant file, without --data or --fit") }
            return
        }
        guard !data.isEmpty else { throw ValidationError("give at least one --data run.csv") }
        guard fit != nil else { throw ValidationError("give the keys to fit: --fit key,key") }
        guard (1...10_000).contains(iterations) else { throw ValidationError("--iterations must be 1...10000") }
    }

    func run() throws {
        if let plantRecovery { return try runPlant(target: plantRecovery) }
        let experimentFile = try ExperimentLoading.file(file, settings: settings)
        let experiment = try ExperimentLoading.experiment(experimentFile)
        let runs = try measuredRuns(components: experiment.components.map(\.name))
        let calibration = try self.calibration(of: experimentFile, runs: runs)
        let (result, seconds) = try fitted(calibration)
        print("geolith calibrate: \(experiment.name), \(runs.count) run(s), \(calibration.pointCount) points, "
            + (calibration.sigmaGiven ? "weights from the data's standard deviations" : "σ estimated from the residuals"))
        print(result.table(solveSeconds: seconds))
        try writeOutputs(calibration, result, runs: runs)
    }

    /// `--bounds key=low:high` by key.
    func parsedBounds() throws -> [String: (Double, Double)] {
        var result: [String: (Double, Double)] = [:]
        for text in bounds {
            let (key, value) = splitSetting(text)
            let parts = value.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard text.contains("="), parts.count == 2, let low = parts[0], let high = parts[1], low < high else {
                throw ValidationError("--bounds \(text): expected key=low:high with low < high")
            }
            result[key] = (low, high)
        }
        return result
    }

    /// `dir/name.yaml` → `dir/name.calibrated.yaml`.
    static func defaultOutput(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent("\(stem).calibrated.yaml").path
    }
}
