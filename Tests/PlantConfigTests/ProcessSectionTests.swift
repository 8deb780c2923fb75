import Foundation
import PlantConfig
import ProcessModel
import RealModule
import Testing

@Suite struct ProcessSectionTests {
    static let shipped = ["demo", "rittershoffen", "soultz-sous-forets", "insheim"]

    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../PlantConfigs/\(name).yaml"
        ).standardizedFileURL.path
    }

    /// Every shipped plant solves, closes its balances and produces something plausible.
    @Test(arguments: shipped)
    func shippedPlantsSolveAndBalance(name: String) throws {
        let plant = try PlantLoader.load(path: Self.path(name))
        let p = try plant.flowsheetParameters()
        #expect(p.productionFlow.si > 0)
        #expect(p.brine.lithium.milligramsPerLitre >= 100)
        let r = try Flowsheet.solve(p)
        #expect(r.lithiumBalance.relative < 1e-9)
        #expect(r.waterBalance.relative < 1e-9)
        #expect(r.overallRecovery > 0.3 && r.overallRecovery < 1)
        #expect(r.refiningUtilisation != nil, "\(name) states a refinery nameplate")
    }

    @Test func processKeysReachTheModel() throws {
        let plant = try PlantLoader.load(path: Self.path("insheim"))
        let p = try plant.flowsheetParameters()
        #expect(p.refining.route == .hydroxideElectrolysis)
        #expect(p.dle.sorbent.family == .layeredDoubleHydroxide && p.dle.sorbent.name == "VULSORB")
        #expect(p.dle.columns == 6)
        #expect(p.dle.model == .specified, "giving dle.recovery implies the specified model")
        #expect(p.energy == .germany, "Insheim is in Germany")
        #expect(p.dle.eluentLithium.milligramsPerLitre == 100, "water_with_li")
    }

    @Test func overridesTakeUnitsAndRanges() throws {
        let plant = try PlantLoader.load(path: Self.path("rittershoffen"))
        let p = try plant.flowsheetParameters(overrides: [
            ("production.flow", "288 m3/h"), ("dle.cycle_bed_volumes.load", "20"), ("dle.model", "equilibrium"),
        ])
        #expect(p.productionFlow.litresPerSecond.isApproximatelyEqual(to: 80, relativeTolerance: 1e-12))
        #expect(p.dle.loadBedVolumes == 20 && p.dle.model == .equilibrium)
        for (key, value, fragment) in [
            ("dle.recovry", "0.9", "unknown process parameter"), ("dle.recovery", "1.4", "outside"),
            ("production.flow", "80 bar", "cannot be converted"), ("production.flow", "fast", "not a number"),
            ("refining.route", "magic", "is not one of"), ("dle.columns", "2.5", "whole number"),
        ] {
            #expect {
                _ = try plant.flowsheetParameters(overrides: [(key, value)])
            } throws: { error in
                guard let error = error as? ProcessParameterError else { return false }
                return error.key == key && error.message.contains(fragment)
            }
        }
    }

    /// A bad process section is reported at its line and column, all problems at once.
    @Test func badProcessSectionNamesLineAndColumn() throws {
        let text = try String(contentsOfFile: Self.path("demo"), encoding: .utf8)
        let broken = text
            .replacingOccurrences(of: "recovery: 0.9", with: "recovery: 1.9")
            .replacingOccurrences(of: "concentration_factor: 8", with: "concentration_factr: 8")
        #expect(broken != text)
        do {
            _ = try PlantLoader.load(yaml: broken, file: "demo.yaml")
            Issue.record("no error")
        } catch let error as PlantConfigError {
            #expect(error.issues.count == 2)
            let recovery = try #require(error.issues.first { $0.keyPath == "process.dle.recovery" })
            #expect(recovery.message.contains("outside 0...1"))
            let line = try #require(broken.components(separatedBy: "\n").firstIndex { $0.contains("recovery: 1.9") })
            #expect(recovery.line == line + 1)
            let typo = try #require(error.issues.first { $0.keyPath == "process.concentration.concentration_factr" })
            #expect(typo.kind == .unknownKey)
            #expect(typo.message.contains("concentration.concentration_factor"), "suggests the known keys")
        }
    }
}
