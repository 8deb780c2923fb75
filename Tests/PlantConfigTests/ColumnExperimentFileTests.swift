import Foundation
import Numerics
import PlantConfig
import ProcessModel
import Testing

/// Column experiment files: what the shipped ones become, the loader's errors (file:line:column and key
/// path, as for plant files), `--set` on any key, and the calibrated file written in place.
@Suite struct ColumnExperimentFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func load(_ relative: String) throws -> ColumnExperimentFile {
        try ColumnExperimentFile.load(path: root.appendingPathComponent(relative).path)
    }

    @Test(arguments: ["Experiments/lab-breakthrough.yaml", "Experiments/pilot-cycle.yaml", "Benchmarks/column/salt.yaml"])
    func shippedFilesLoad(_ path: String) throws {
        let experiment = try Self.load(path).experiment()
        #expect(experiment.components.map(\.name) == ["Cl", "Li"])
        #expect(experiment.target == 1)
        #expect(experiment.model.isotherm.modulated)
        #expect(ColumnExperimentFile.isExperiment(path: Self.root.appendingPathComponent(path).path))
    }

    /// The lab file's numbers as the model reads them: every unit converted once.
    @Test func labFileConvertsItsUnits() throws {
        let e = try Self.load("Experiments/lab-breakthrough.yaml").experiment()
        let g = e.model.geometry
        #expect(g.area.isApproximatelyEqual(to: Double.pi * 0.025 * 0.025 / 4, relativeTolerance: 1e-14))
        #expect(e.model.isotherm.components[1].capacity.isApproximatelyEqual(to: 5.5 * 1200 / 6.941, relativeTolerance: 1e-14))
        let load = e.schedule.steps[0].flow
        #expect(load.superficialVelocity.isApproximatelyEqual(to: 10 * 0.3 / 3600, relativeTolerance: 1e-14))
        #expect(load.inlet[0].isApproximatelyEqual(to: 60_000 / 35.453, relativeTolerance: 1e-14))  // 60 g/L Cl
        #expect(load.inlet[1].isApproximatelyEqual(to: 180 / 6.941, relativeTolerance: 1e-14))  // 180 mg/L Li
        // Péclet 400: D = v L / Pe with v = u_s / ε.
        let dispersion = try #require(load.dispersion)
        #expect(dispersion.isApproximatelyEqual(to: load.superficialVelocity / 0.4 * 0.3 / 400, relativeTolerance: 1e-14))
        #expect(e.schedule.steps[1].flow.inlet == [0, 0])
        let starts = try #require(e.stepStarts)
        #expect(starts[0] == 0 && starts[1].isApproximatelyEqual(to: 4 * 3600, relativeTolerance: 1e-14))
    }

    /// The salt benchmark as a file is the Swift case: same bed, isotherm and steps.
    @Test func saltFileIsTheBenchmarkCase() throws {
        let e = try Self.load("Benchmarks/column/salt.yaml").experiment()
        let reference = ColumnBenchmarkCase.salt
        #expect(e.model.geometry == reference.geometry)
        #expect(e.model.dispersion == reference.dispersion)
        let (a, b) = (e.model.isotherm.components[1], reference.isotherm.components[1])
        #expect(a.capacity.isApproximatelyEqual(to: b.capacity, relativeTolerance: 1e-14))
        #expect(a.affinity == b.affinity && a.desorptionRate == b.desorptionRate && a.modulatorGamma == b.modulatorGamma)
        #expect(e.schedule.steps.count == reference.steps.count)
        for (s, r) in zip(e.schedule.steps, reference.steps) {
            #expect(s.kind == r.kind && s.end == r.end)
            #expect(s.flow.superficialVelocity.isApproximatelyEqual(to: r.flow.superficialVelocity, relativeTolerance: 1e-14))
            for (x, y) in zip(s.flow.inlet, r.flow.inlet) { #expect(x.isApproximatelyEqual(to: y, absoluteTolerance: 1e-12)) }
        }
    }

    static let broken = """
        experiment: broken
        column: {length_m: 0.3, diameter_m: 0.025, porosity: 1.4, peclet: 400}
        sorbent: {density_kg_per_m3: 1200}
        components:
          - {name: Cl, role: modulator}
          - {name: Li}
          - {name: Li}
        binding:
          kinetics: kinetik
          Li: {capacity_mg_per_g: 5, affinity_m3_per_mol: 2e-3, k_d_per_s: 1e-3, gama_m3_per_mol: 1e-3}
        steps:
          - {name: load, kind: load, flow_bv_per_h: 10, inlet: {Cl: 60 g/L, Li: 180 grains}, end: {bed_volumes: 30}}
        """

    /// Every problem at once, each with its line, column and key path.
    @Test func errorsNameLineColumnAndKeyPath() throws {
        do {
            _ = try ColumnExperimentFile(yaml: Self.broken, file: "broken.yaml").experiment()
            Issue.record("a broken experiment loaded")
        } catch let error as PlantConfigError {
            let text = error.description
            #expect(text.contains("broken.yaml:2:"), "\(text)")
            #expect(text.contains("column.porosity: 1.4 is out of range"), "\(text)")
            #expect(text.contains("broken.yaml:7:12: components[2].name: component \"Li\" is listed twice"), "\(text)")
            // With a duplicate component the rest cannot be read; fix it and the other errors show.
        }
        let fixed = Self.broken.replacingOccurrences(of: "  - {name: Li}\n  - {name: Li}", with: "  - {name: Li}")
        do {
            _ = try ColumnExperimentFile(yaml: fixed, file: "broken.yaml").experiment()
            Issue.record("a broken experiment loaded")
        } catch let error as PlantConfigError {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix("broken.yaml:2:") && $0.contains("column.porosity") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("broken.yaml:8:13: binding.kinetics: unknown kinetics \"kinetik\"") }, "\(lines)")
            #expect(lines.contains { $0.contains("binding.Li.gama_m3_per_mol: unknown key") && $0.contains("did you mean \"gamma_m3_per_mol\"") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("broken.yaml:11:") && $0.contains("steps[0].inlet.Li: unknown concentration unit \"grains\"") }, "\(lines)")
            #expect(error.issues.count == 4, "\(lines)")
        }
    }

    @Test func yamlSyntaxErrorHasItsPosition() {
        #expect(throws: PlantConfigError.self) { try ColumnExperimentFile(yaml: "experiment: x\ncolumn: [1, 2\n", file: "bad.yaml") }
    }

    /// `--set` reaches any key: by step name or index, keys the file leaves out, whole mappings; a bad path or
    /// value says where it came from.
    @Test func setReachesEveryKey() throws {
        let file = try Self.load("Experiments/lab-breakthrough.yaml")
        let changed = try file.setting("steps.load.flow_bv_per_h", to: "20")
            .setting("steps[1].end", to: "{time_min: 30}")
            .setting("binding.Li.enthalpy_kj_per_mol", to: "-12")
            .setting("steps.load.inlet.Li", to: "0.2 g/L")
            .setting("numerics.cells", to: "30")
        let e = try changed.experiment()
        #expect(e.schedule.steps[0].flow.superficialVelocity.isApproximatelyEqual(to: 20 * 0.3 / 3600, relativeTolerance: 1e-14))
        #expect(e.schedule.steps[1].end == .duration(1800))
        #expect(e.model.isotherm.components[1].adsorptionEnthalpy == -12_000)
        #expect(e.schedule.steps[0].flow.inlet[1].isApproximatelyEqual(to: 200 / 6.941, relativeTolerance: 1e-14))
        #expect(e.model.cells == 30)
        #expect(changed.settings.count == 5)
        #expect(throws: PlantConfigError.self) { try file.setting("steps.rinse.flow_bv_per_h", to: "3") }
        do {
            _ = try file.setting("steps.load.flow_bv_per_h", to: "fast").experiment()
            Issue.record("a bad value was accepted")
        } catch let error as PlantConfigError {
            #expect(error.description.hasPrefix("lab-breakthrough.yaml (--set steps.load.flow_bv_per_h):"), "\(error)")
        }
    }

    /// The calibrated file: values replaced in place (block, flow and list-item styles), a missing key added,
    /// comments kept, and the result reads back.
    @Test func rewrittenKeepsTheRestOfTheFile() throws {
        let file = try Self.load("Experiments/lab-breakthrough.yaml")
        let text = try file.rewritten([
            ("binding.Li.k_d_per_s", "0.00123"), ("steps.load.end.bed_volumes", "35"), ("column.peclet", "512"),
            ("binding.Li.enthalpy_kj_per_mol", "-7.5"), ("steps.water.flow_bv_per_h", "12"),
        ])
        let e = try ColumnExperimentFile(yaml: text, file: "out.yaml").experiment()
        #expect(e.model.isotherm.components[1].desorptionRate == 0.00123)
        #expect(e.schedule.steps[0].end == .bedVolumes(35))
        #expect(e.model.isotherm.components[1].adsorptionEnthalpy == -7500)
        #expect(e.schedule.steps[1].flow.superficialVelocity.isApproximatelyEqual(to: 12 * 0.3 / 3600, relativeTolerance: 1e-14))
        let commentLines = { (t: String) in t.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") } }
        #expect(commentLines(text) == commentLines(file.text))
        #expect(text.split(separator: "\n").count == file.text.split(separator: "\n").count + 1)
    }
}
