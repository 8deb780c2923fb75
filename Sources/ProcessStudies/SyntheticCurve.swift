import Foundation
public import ProcessModel

/// Measured-looking outlet curves made by the model itself: the data of calibration tests, of coverage runs
/// and of `geolith bench calibrate`, where the true parameters are known.
public enum SyntheticCurve {
    /// A run as `geolith calibrate --data` reads it: the outlet of `component` (mg/L) at `count` evenly spaced
    /// times over the experiment, plus Gaussian noise of standard deviation `noise` × the curve's largest
    /// value, seeded (the same seed gives the same file).
    ///
    /// - Parameters:
    ///   - withStandardDeviation: add the `<component>_sd_mg_per_l` column (the σ used).
    ///   - relativeTolerance: the column solve's, as ``Calibration/relativeTolerance`` (the same value makes
    ///     noise-free data that the fitted model meets exactly at the truth).
    /// - Returns: the CSV text and σ in mg/L.
    /// - Throws: ``ColumnError`` when the model fails; `precondition` on a component the experiment lacks or
    ///   an experiment whose length is not known before it runs (a breakthrough end).
    public static func csv(
        _ experiment: ColumnExperiment, component: String, count: Int, noise: Double, seed: UInt64,
        withStandardDeviation: Bool = false, relativeTolerance: Double = 1e-6
    ) throws -> (text: String, sigma: Double) {
        guard let k = experiment.index(of: component), let duration = experiment.duration else {
            preconditionFailure("the component must exist and the experiment end by time or bed volumes")
        }
        precondition(count >= 2 && noise >= 0)
        var precise = experiment
        precise.tolerances.relative = min(precise.tolerances.relative, relativeTolerance)
        precise.tolerances.absolute = min(precise.tolerances.absolute, relativeTolerance / 100)
        let times = (1...count).map { duration * Double($0) / Double(count) }
        let run = try precise.run(sampleTimes: times)
        let molar = experiment.components[k].molarMass
        let values = run.samples.map { $0.concentrations[k] * molar }
        let sigma = noise * (values.map(abs).max() ?? 0)
        var random = SplitMix64(seed: seed)
        var text = "# synthetic: \(experiment.name), noise σ = \(sigma) mg/L, seed \(seed)\n"
        text += "time_s,\(component)_mg_per_l" + (withStandardDeviation ? ",\(component)_sd_mg_per_l" : "") + "\n"
        for (time, value) in zip(times, values) {
            let measured = value + sigma * gaussian(&random)
            text += "\(time),\(measured)" + (withStandardDeviation ? ",\(sigma)" : "") + "\n"
        }
        return (text, sigma)
    }

    /// A standard normal draw by the Box–Muller transform (Box & Muller 1958, Ann. Math. Statist. 29:610).
    static func gaussian(_ random: inout SplitMix64) -> Double {
        let u1 = 1 - random.unit(), u2 = random.unit()  // u1 in (0, 1]: its logarithm is finite
        return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
