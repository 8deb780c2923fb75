import Foundation
import Testing

/// The R&D path through the built binary: a column experiment file run, swept, calibrated against measured
/// curves, and a plant's estimate with its uncertainty.
@Suite struct ColumnExperimentCommandTests {
    /// A small Li-only column, so that every run here takes a second or so in a debug build.
    static let experiment = """
        experiment: small
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
        numerics: {cells: 12, sample_s: 120}
        """

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-experiment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try experiment.write(to: url.appendingPathComponent("small.yaml"), atomically: true, encoding: .utf8)
        return url
    }

    @Test func shippedLabExperimentRuns() throws {
        let result = try GeolithBinary.run(["column", "Experiments/lab-breakthrough.yaml", "--cells", "16", "--summary"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("experiment=lab-breakthrough cells=16 "), "\(result.stdout)")
        #expect(result.stdout.contains("recovery=0."))
    }

    @Test func badSetNamesTheFileTheLineAndTheKey() throws {
        let result = try GeolithBinary.run(["column", "Experiments/lab-breakthrough.yaml", "--set", "steps.load.flow_bv_per_h=fast"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("lab-breakthrough.yaml (--set steps.load.flow_bv_per_h):"), "\(result.stderr)")
        #expect(result.stderr.contains("steps[0].flow_bv_per_h: expected a finite number, found \"fast\""), "\(result.stderr)")
    }

    /// Column CSV in, calibration out: the measured curve is the model's own at k_d = 2e-3, the fit starts at
    /// 1e-3 and writes the calibrated file, the chart and the residuals.
    @Test func calibrateRecoversAKnownRateAndWritesItsFiles() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("small.yaml").path, data = folder.appendingPathComponent("run.csv").path
        let made = try GeolithBinary.run(["column", file, "--rtol", "1e-6", "--atol", "1e-8", "--csv", data, "--summary"])
        #expect(made.status == 0, "\(made.stderr)")
        let out = folder.appendingPathComponent("calibrated.yaml").path, svg = folder.appendingPathComponent("fit.svg").path
        let fit = try GeolithBinary.run([
            "calibrate", file, "--data", data, "--fit", "binding.Li.k_d_per_s", "--set", "binding.Li.k_d_per_s=1e-3",
            "--out", out, "--svg", svg, "--residuals", folder.appendingPathComponent("residuals.csv").path,
        ])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("binding.Li.k_d_per_s"), "\(fit.stdout)")
        let calibrated = try String(contentsOfFile: out, encoding: .utf8)
        let line = try #require(calibrated.split(separator: "\n").first { $0.contains("k_d_per_s:") })
        let value = try #require(Double(line.split(separator: ":").last!.split(separator: ",").first!
            .trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "}", with: "")))
        #expect(abs(value / 2e-3 - 1) < 1e-3, "calibrated k_d \(value)")
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("residuals.csv").path))
    }

    @Test func calibrateRefusesGarbageDataWithItsLine() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("run.csv")
        try "time_s,Li_mg_per_l\n10,1\n5,2\n".write(to: data, atomically: true, encoding: .utf8)
        let result = try GeolithBinary.run([
            "calibrate", folder.appendingPathComponent("small.yaml").path, "--data", data.path, "--fit", "binding.Li.k_d_per_s",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("run.csv:3: time_s 5.0 does not increase"), "\(result.stderr)")
    }

    @Test func sweepVariesAnExperimentKey() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try GeolithBinary.run([
            "sweep", folder.appendingPathComponent("small.yaml").path, "--model", "dynamic", "--vary",
            "steps.load.end.bed_volumes=10,20", "--vary", "steps.load.flow_bv_per_h=10,bad", "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 5, "\(result.stdout)")
        #expect(lines[0].hasPrefix("point,steps.load.end.bed_volumes,steps.load.flow_bv_per_h,recovery [1]"))
        #expect(lines[1].hasSuffix(",ok,") && lines[2].contains(",invalid,"), "\(result.stdout)")
    }

    @Test func estimateWithUncertaintyPrintsPercentilesAndDrivers() throws {
        let result = try GeolithBinary.run(["estimate", "PlantConfigs/rittershoffen.yaml", "--uncertainty", "50", "--seed", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        for label in ["P10", "P50", "P90", "t/yr", "m³/t", "kWh/t", "brine.li"] {
            #expect(result.stdout.contains(label), "missing \(label): \(result.stdout)")
        }
        let misuse = try GeolithBinary.run(["estimate", "PlantConfigs/rittershoffen.yaml", "--ranges", "x.yaml"])
        #expect(misuse.status != 0 && misuse.stderr.contains("--ranges and --seed go with --uncertainty"))
    }
}
