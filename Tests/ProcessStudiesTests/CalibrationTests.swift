import Foundation
import Numerics
import PlantConfig
import ProcessModel
import Testing

@testable import ProcessStudies

/// `geolith calibrate`'s fit: truth recovered from noise-free curves, intervals that hold the truth in seeded
/// noisy trials, refusal of parameters the data cannot tell apart. The columns are small (12 cells) so the
/// suite stays quick in debug builds; the 50-trial coverage run is `geolith-bench calibrate --coverage 50`.
@Suite struct CalibrationTests {
    /// A small lab column with a chloride modulator: load in brine, elute in water.
    static let modulated = """
        experiment: tiny
        column: {length_m: 0.1, diameter_m: 0.02, porosity: 0.4, peclet: 100}
        sorbent: {density_kg_per_m3: 1200}
        components:
          - {name: Cl, role: modulator}
          - {name: Li, role: target}
        binding:
          kinetics: kinetic
          Li: {capacity_mg_per_g: 5.5, affinity_m3_per_mol: 2.0e-3, gamma_m3_per_mol: 2.5e-3, k_d_per_s: 2.0e-3}
        steps:
          - {name: load, kind: load, flow_bv_per_h: 20, inlet: {Cl: 60 g/L, Li: 180 mg/L}, end: {bed_volumes: 30}}
          - {name: water, kind: elute, flow_bv_per_h: 20, inlet: {}, end: {bed_volumes: 15}}
        numerics: {cells: 12, sample_s: 30}
        """

    /// Li alone, plain Langmuir: the cheapest column with a breakthrough and an elution.
    static let plain = """
        experiment: li-only
        column: {length_m: 0.1, diameter_m: 0.02, porosity: 0.4, peclet: 100}
        sorbent: {density_kg_per_m3: 1200}
        components:
          - {name: Li}
        binding:
          kinetics: kinetic
          Li: {capacity_mg_per_g: 5.5, affinity_m3_per_mol: 0.15, k_d_per_s: 2.0e-3}
        steps:
          - {name: load, kind: load, flow_bv_per_h: 20, inlet: {Li: 180 mg/L}, end: {bed_volumes: 30}}
          - {name: water, kind: elute, flow_bv_per_h: 20, inlet: {}, end: {bed_volumes: 10}}
        numerics: {cells: 12, sample_s: 30}
        """

    /// A fit of `keys` from the file's values × `factors`, to `points` synthetic points of Li.
    static func calibration(
        _ yaml: String, keys: [String], factors: [Double], points: Int, noise: Double, seed: UInt64 = 1,
        tolerance: Double = 1e-6
    ) throws -> (calibration: Calibration, truth: [Double]) {
        let file = try ColumnExperimentFile(yaml: yaml, file: "test.yaml")
        let experiment = try file.experiment()
        let truth = keys.map { Double(file.value(at: $0)!)! }
        let (text, _) = try SyntheticCurve.csv(
            experiment, component: "Li", count: points, noise: noise, seed: seed, relativeTolerance: tolerance)
        let run = try CalibrationRun(text: text, file: "synthetic.csv", components: experiment.components.map(\.name))
        var start = file
        for (j, key) in keys.enumerated() { start = try start.setting(key, to: "\(truth[j] * factors[j])") }
        var calibration = try Calibration(file: start, runs: [run], fit: keys)
        calibration.relativeTolerance = tolerance
        return (calibration, truth)
    }

    /// From noise-free curves the three modulated-Langmuir parameters come back to better than 1e-3.
    @Test func noiseFreeCurvesGiveTheTruth() throws {
        let keys = ["binding.Li.affinity_m3_per_mol", "binding.Li.gamma_m3_per_mol", "binding.Li.k_d_per_s"]
        let (calibration, truth) = try Self.calibration(Self.modulated, keys: keys, factors: [1.3, 0.85, 0.7], points: 150, noise: 0)
        let result = try calibration.fit()
        for j in keys.indices {
            let error = abs(result.estimates[j] / truth[j] - 1)
            #expect(error < 1e-3, "\(keys[j]): estimate \(result.estimates[j]), truth \(truth[j]), relative error \(error)")
        }
        #expect(result.converged)
        #expect(result.solves > 4 && result.reducedChiSquare < 1e-8)
        // The calibrated file reads back with the estimates in place.
        let text = try calibration.calibratedText(result, data: ["synthetic.csv"], date: "2026-12-04")
        let back = try ColumnExperimentFile(yaml: text, file: "calibrated.yaml")
        for (j, key) in keys.enumerated() {
            #expect(Double(back.value(at: key)!)!.isApproximatelyEqual(to: result.estimates[j], relativeTolerance: 1e-8))
        }
        #expect(text.hasPrefix("# [C] Calibrated by `geolith calibrate` on 2026-12-04 from synthetic.csv:"))
    }

    /// Seeded noisy trials on a small grid: the 95 % intervals hold the truth in most (the full coverage run is
    /// outside the suite), and they scale with the noise.
    @Test func intervalsHoldTheTruthInSeededTrials() throws {
        let keys = ["binding.Li.affinity_m3_per_mol", "binding.Li.k_d_per_s"]
        var covered = 0, total = 0
        var widths: [Double: Double] = [:]
        for (noise, seed) in [(0.02, 1), (0.02, 2), (0.02, 3), (0.04, 1)] as [(Double, UInt64)] {
            let (calibration, truth) = try Self.calibration(
                Self.plain, keys: keys, factors: [1.4, 0.7], points: 120, noise: noise, seed: seed, tolerance: 1e-5)
            let result = try calibration.fit()
            #expect(result.converged)
            for j in keys.indices {
                let interval = try #require(result.intervals[j])
                total += 1
                if interval.contains(truth[j]) { covered += 1 }
            }
            if seed == 1 { widths[noise] = result.intervals[1]!.upperBound - result.intervals[1]!.lowerBound }
            #expect(abs(result.correlation[0][1]) < 1 && result.correlation[0][0] == 1)
        }
        #expect(covered >= total - 2, "\(covered) of \(total) intervals hold the truth")
        let ratio = widths[0.04]! / widths[0.02]!
        #expect(ratio > 1.6 && ratio < 2.5, "doubling the noise widened the interval \(ratio)×")
    }

    /// Capacity in mg/g and sorbent density enter only as their product: fitting both is refused, naming both.
    /// In the linear range of the isotherm (K·c ≪ 1) only q_max·K shows in the curves: refused too. A key with
    /// no effect at all is refused by name.
    @Test func unidentifiableFitsAreRefused() throws {
        let dilute = Self.plain.replacingOccurrences(of: "Li: 180 mg/L", with: "Li: 0.01 mg/L")
            .replacingOccurrences(of: "affinity_m3_per_mol: 0.15", with: "affinity_m3_per_mol: 0.001")
        for (yaml, keys) in [
            (Self.plain, ["binding.Li.capacity_mg_per_g", "sorbent.density_kg_per_m3"]),
            (dilute, ["binding.Li.capacity_mg_per_g", "binding.Li.affinity_m3_per_mol"]),
        ] {
            let (calibration, _) = try Self.calibration(yaml, keys: keys, factors: [1.2, 0.9], points: 60, noise: 0.01)
            do {
                _ = try calibration.fit()
                Issue.record("an unidentifiable fit of \(keys) went ahead")
            } catch let error as StudyError {
                #expect(error.code == .unidentifiable)
                #expect(error.message.contains("cannot tell \(keys[0]) and \(keys[1]) apart"), "\(error.message)")
            }
        }
        let unused = ["binding.Li.k_d_per_s", "binding.Li.gamma_m3_per_mol"]
        let withGamma = Self.plain.replacingOccurrences(of: "k_d_per_s: 2.0e-3}", with: "k_d_per_s: 2.0e-3, gamma_m3_per_mol: 1.0e-3}")
        let (noModulator, _) = try Self.calibration(withGamma, keys: unused, factors: [1.1, 1.1], points: 60, noise: 0.01, tolerance: 1e-5)
        do {
            _ = try noModulator.fit()
            Issue.record("a parameter without effect was fitted")
        } catch let error as StudyError {
            #expect(error.code == .unidentifiable)
            #expect(error.message.contains("binding.Li.gamma_m3_per_mol has no effect"), "\(error.message)")
        }
    }

    /// Bounds hold: a bound below the truth stops the estimate there, and it gets no interval.
    @Test func boundsAreRespected() throws {
        let file = try ColumnExperimentFile(yaml: Self.plain, file: "test.yaml")
        let experiment = try file.experiment()
        let (text, _) = try SyntheticCurve.csv(experiment, component: "Li", count: 60, noise: 0.01, seed: 5, relativeTolerance: 1e-5)
        let run = try CalibrationRun(text: text, file: "synthetic.csv", components: ["Li"])
        var calibration = try Calibration(
            file: try file.setting("binding.Li.k_d_per_s", to: "1.0e-3"), runs: [run], fit: ["binding.Li.k_d_per_s"],
            bounds: ["binding.Li.k_d_per_s": (5e-4, 1.5e-3)])
        calibration.relativeTolerance = 1e-5
        let result = try calibration.fit()
        #expect(result.estimates[0] == 1.5e-3)
        #expect(result.atBound[0] && result.intervals[0] == nil)
        #expect(throws: StudyError.self) {
            try Calibration(file: file, runs: [run], fit: ["binding.Li.k_d_per_s"], bounds: ["binding.Li.k_d_per_s": (3e-3, 4e-3)])
        }
        #expect(throws: StudyError.self) { try Calibration(file: file, runs: [run], fit: ["binding.kinetics"]) }
        #expect(throws: StudyError.self) { try Calibration(file: file, runs: [run], fit: ["binding.Li.k_ldf_per_s"]) }
    }
}
