import Foundation
public import PlantConfig
import ProcessModel

/// Fits keys of a column experiment file to measured outlet curves (`geolith calibrate`): weighted nonlinear
/// least squares over one or several runs, each run the experiment with its own `# set` overrides.
///
/// The parameters are the numbers written at the fitted keys (`binding.Li.k_d_per_s`), scaled by their start
/// values; bounds default to the sign of the start (a positive start stays ≥ 0). The model is solved at every
/// measured time (no interpolation), with the integrator's tolerances tightened to rtol ≤ 1e-6 and atol ≤ 1e-8:
/// the curves then move with the parameters smoothly to about 1e-6, far below the 1e-3 relative steps of the
/// finite-difference Jacobian.
public struct Calibration: Sendable {
    /// A fitted key.
    public struct Parameter: Sendable, Hashable {
        public var key: String
        /// The start value, in the file's unit.
        public var start: Double
        /// The unit written after the number in the file (`mg/L`), or empty.
        public var unit: String
        public var lower: Double
        public var upper: Double
    }

    public let file: ColumnExperimentFile
    public let runs: [CalibrationRun]
    public let parameters: [Parameter]
    /// Each run's file: the experiment with the run's overrides.
    let runFiles: [ColumnExperimentFile]
    /// Each run's sample times (s, ascending, distinct), and for each series the index of each point's time.
    let sampleTimes: [[Double]]
    let pointTimeIndex: [[[Int]]]
    /// Weight of each point (1/σ²), by run, series and point.
    let weights: [[[Double]]]
    /// Whether every point carries its standard deviation (then σ is not estimated from the residuals).
    public let sigmaGiven: Bool

    /// Largest relative tolerance of the column solves of a fit (1e-6 unless a test trades accuracy for time);
    /// the absolute tolerance is a hundredth of it.
    public var relativeTolerance = 1e-6

    /// Smallest eigenvalue of the scaled information matrix, relative to the largest, below which a fit is
    /// refused: the parameters in its eigenvector change the curves in (nearly) fixed proportion. Along that
    /// direction the standard error is then over 300 times that of the best-determined one; for two parameters
    /// the correlation of their estimates is beyond ±0.99998. (The Jacobian's finite differences repeat one
    /// discretisation, so their own error is far below this.)
    public static let identifiabilityThreshold = 1e-5

    /// Prepares a fit.
    ///
    /// - Parameters:
    ///   - fit: the keys to fit; each must hold a number in the file (or be given one by `--set`).
    ///   - bounds: bounds by key, in the file's unit.
    /// - Throws: ``StudyError`` for a key that holds no number, a start outside its bounds, a run whose overrides
    ///   or data do not suit the experiment, or data outside the experiment's duration.
    public init(file: ColumnExperimentFile, runs: [CalibrationRun], fit keys: [String], bounds: [String: (Double, Double)] = [:])
        throws(StudyError)
    {
        guard !keys.isEmpty else { throw StudyError(.invalidInput, "--fit: name at least one key") }
        guard !runs.isEmpty else { throw StudyError(.invalidInput, "--data: give at least one measured run") }
        guard Set(keys).count == keys.count else { throw StudyError(.invalidInput, "--fit: a key is named twice") }
        for key in bounds.keys where !keys.contains(key) {
            throw StudyError(.invalidInput, "--bounds \(key): not a fitted key (--fit \(keys.joined(separator: ",")))")
        }
        var parameters: [Parameter] = []
        for key in keys {
            guard let text = file.value(at: key) else {
                throw StudyError(.invalidInput, "--fit \(key): the file writes no value there; give a first guess with --set \(key)=…")
            }
            let (number, unit) = text.leadingNumberAndUnit
            guard let start = number else {
                throw StudyError(.invalidInput, "--fit \(key): \"\(text)\" is not a number; only numbers can be fitted")
            }
            let (lower, upper) = bounds[key] ?? (start > 0 ? (0, .infinity) : (start < 0 ? (-.infinity, 0) : (-.infinity, .infinity)))
            guard lower <= start && start <= upper && lower < upper else {
                throw StudyError(.invalidInput, "--fit \(key): the start \(start) is outside its bounds \(lower)…\(upper)")
            }
            parameters.append(Parameter(key: key, start: start, unit: unit, lower: lower, upper: upper))
        }
        var runFiles: [ColumnExperimentFile] = [], times: [[Double]] = [], indices: [[[Int]]] = [], weights: [[[Double]]] = []
        for run in runs {
            var runFile = file
            let experiment: ColumnExperiment
            do {
                for (key, value) in run.settings { runFile = try runFile.setting(key, to: value) }
                experiment = try runFile.experiment()
            } catch {
                throw StudyError(.invalidInput, "\(run.file): its set lines do not suit the experiment: \(error)")
            }
            // Every measured time in seconds.
            var seconds: [[Double]] = []
            for series in run.series {
                var converted: [Double] = []
                for point in series.points {
                    if let factor = run.timeFactor {
                        converted.append(point.time * factor)
                    } else if let t = experiment.time(atBedVolumes: point.time) {
                        converted.append(t)
                    } else {
                        throw StudyError(.invalidInput,
                            "\(run.file): bed volume \(point.time) cannot be placed in time (a breakthrough end, or past the run's end): use a time column")
                    }
                }
                seconds.append(converted)
            }
            let all = Array(Set(seconds.flatMap { $0 })).sorted()
            if let duration = experiment.duration, let last = all.last, last > duration * (1 + 1e-9) {
                throw StudyError(.invalidInput, "\(run.file): data at \(last) s, after the experiment's end at \(duration) s")
            }
            let position = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
            runFiles.append(runFile)
            times.append(all)
            indices.append(seconds.map { $0.map { position[$0]! } })
            weights.append(run.series.map { series in
                let scale = max(series.points.map { abs($0.value) }.max() ?? 1, 1e-300)
                return series.points.map { point in point.sd.map { 1 / ($0 * $0) } ?? 1 / (scale * scale) }
            })
        }
        self.file = file
        self.runs = runs
        self.parameters = parameters
        self.runFiles = runFiles
        self.sampleTimes = times
        self.pointTimeIndex = indices
        self.weights = weights
        sigmaGiven = runs.allSatisfy { $0.series.allSatisfy { $0.points.allSatisfy { $0.sd != nil } } }
    }

    /// The text written at a fitted key for a value.
    func text(_ value: Double, _ parameter: Parameter) -> String {
        let number = String(format: "%.9g", value)
        return parameter.unit.isEmpty ? number : "\(number) \(parameter.unit)"
    }

    /// The model's values at every measured point, in the data's units, by run, series and point.
    ///
    /// - Throws: ``PlantConfigError`` when a value is not one the experiment takes, ``ColumnError`` when the
    ///   integrator fails.
    public func predictions(_ values: [Double]) throws -> [[[Double]]] {
        try predictions(values, replay: nil).values
    }

    /// The model's values at every measured point and each run's time steps; with `replay`, each run repeats
    /// the given steps (see ``ColumnSimulator/replay``).
    func predictions(_ values: [Double], replay: [ColumnStepRecord]?) throws
        -> (values: [[[Double]]], records: [ColumnStepRecord])
    {
        var records: [ColumnStepRecord] = []
        let predicted = try runFiles.indices.map { r in
            var variant = runFiles[r]
            for (j, parameter) in parameters.enumerated() { variant = try variant.setting(parameter.key, to: text(values[j], parameter)) }
            var experiment = try variant.experiment()
            experiment.tolerances.relative = min(experiment.tolerances.relative, relativeTolerance)
            experiment.tolerances.absolute = min(experiment.tolerances.absolute, relativeTolerance / 100)
            let run = try experiment.run(sampleTimes: sampleTimes[r], replay: replay?[r])
            guard run.samples.count == sampleTimes[r].count else {
                throw StudyError(.invalidInput, "\(runs[r].file): data after the end of the run")
            }
            records.append(run.stepRecord)
            return runs[r].series.enumerated().map { s, series in
                let k = experiment.index(of: series.component)!
                let molar = experiment.components[k].molarMass
                return pointTimeIndex[r][s].map { i in
                    let c = run.samples[i].concentrations[k]
                    // mol/m³ × g/mol = g/m³ = mg/L; ÷ 1000 for g/L; molar units are mol/m³ already.
                    return series.massFactor.map { c * molar / $0 } ?? c / (series.molarFactor ?? 1)
                }
            }
        }
        return (predicted, records)
    }

    /// Weighted residuals √w·(model − data), stacked over runs, series and points.
    func residuals(_ predicted: [[[Double]]]) -> [Double] {
        var r: [Double] = []
        for (run, data) in runs.enumerated() {
            for (s, series) in data.series.enumerated() {
                for (i, point) in series.points.enumerated() {
                    r.append(weights[run][s][i].squareRoot() * (predicted[run][s][i] - point.value))
                }
            }
        }
        return r
    }

    /// Number of measured points over every run.
    public var pointCount: Int { runs.reduce(0) { $0 + $1.pointCount } }
}
