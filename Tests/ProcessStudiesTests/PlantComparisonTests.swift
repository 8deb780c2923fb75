import Foundation
import PlantConfig
import ProcessModel
import Reporting
import Testing

@testable import ProcessStudies

@Suite struct PlantComparisonTests {
    static func compare(_ variants: [(String, [(key: String, value: String)])], plant: String = "rittershoffen")
        throws -> PlantComparison
    {
        let loaded = try PlantLoader.load(path: SweepSupport.plantPath(plant))
        var inputs = [(name: "base", source: "file", parameters: try loaded.flowsheetParameters())]
        for (name, overrides) in variants {
            inputs.append((name, "variant", try loaded.flowsheetParameters(overrides: overrides)))
        }
        return try PlantComparison(inputs)
    }

    /// Each changed parameter is found at the stage it feeds, and that stage explains the yield's change.
    @Test(arguments: [
        ("dle.cycle_bed_volumes.load", "20", "DLE"), ("production.flow", "90", "well"), ("brine.li", "210", "well"),
        ("refining.yield", "0.7", "refining"), ("dle.recovery", "0.8", "DLE"),
    ])
    func stageExplainingTheLithiumChange(key: String, value: String, stage: String) throws {
        let comparison = try Self.compare([("v", [(key, value)])])
        #expect(comparison.changes[1].map(\.key).contains(key))
        #expect(comparison.changes[1].first { $0.key == key }?.stage == stage)
        let row = try #require(comparison.row("li_t_per_year"))
        #expect(row.differences[1] != 0)
        let explanation = try #require(row.explanations[1])
        #expect(explanation.stage == stage, "\(explanation)")
        #expect(explanation.parameters.contains(key))
        #expect(explanation.share > 0.9)
    }

    /// Less Li rejected by the RO membrane loses no Li at the concentration stage (the permeate is reused as
    /// eluent), but the Li it carries back raises the eluent's Li and the DLE loses more to the raffinate: the DLE
    /// explains the yield, in response to the concentration's parameter.
    @Test func aStageRespondingToAnUpstreamChangeSaysSo() throws {
        let comparison = try Self.compare([("rejection", [("concentration.li_rejection", "0.9")])])
        let explanation = try #require(comparison.row("li_t_per_year")?.explanations[1])
        #expect(explanation.stage == "DLE" && explanation.parameters.isEmpty)
        #expect(
            explanation.detail.contains("in response to concentration.li_rejection (concentration)"), "\(explanation)")
        #expect(comparison.row("recovery_concentration")?.differences[1] == 0)
    }

    /// A flow change scales the wash water, but the well explains it, not the DLE that only passes it on; a
    /// wash change is the DLE's. Electricity per m³ of RO feed is the concentration's.
    @Test func waterAndEnergyAreAttributedToTheirCause() throws {
        let comparison = try Self.compare([
            ("flow", [("production.flow", "90")]), ("wash", [("dle.cycle_bed_volumes.wash", "4")]),
            ("ro", [("concentration.energy_kwh_per_m3", "4.5")]), ("grid", [("energy.grid_kg_co2_per_kwh", "0.38")]),
            ("hours", [("availability_hours_per_year", "8400")]),
        ])
        let water = try #require(comparison.row("fresh_water_m3_per_h"))
        #expect(water.explanations[1]?.stage == "well")
        #expect(
            water.explanations[2]?.stage == "DLE" && water.explanations[2]?.parameters == ["dle.cycle_bed_volumes.wash"]
        )
        #expect(try #require(comparison.row("fresh_water_m3_per_t")).explanations[2]?.stage == "DLE")
        #expect(try #require(comparison.row("electricity_kw")).explanations[3]?.stage == "concentration")
        #expect(try #require(comparison.row("co2_kg_per_t")).explanations[4]?.stage == "site grid")
        #expect(try #require(comparison.row("li_t_per_year")).explanations[5]?.stage == "operation")
        // What did not change has no difference and no explanation.
        let day = try #require(comparison.row("li_t_per_day"))
        #expect(day.differences[5] == 0 && day.explanations[5] == nil)
        #expect(try #require(comparison.row("recovery_dle")).differences[4] == 0)
    }

    @Test func formatsCarryTheSameFigures() throws {
        let comparison = try Self.compare([("load20", [("dle.cycle_bed_volumes.load", "20")])])
        let row = try #require(comparison.row("li_t_per_year"))
        // JSONDecoder reads doubles exactly (JSONSerialization on Linux rounds to 15 digits).
        struct Document: Decodable {
            struct KPI: Decodable {
                struct Difference: Decodable { var absolute: Double?; var stage: String? }
                var key: String
                var differences: [String: Difference]
            }
            var kpis: [KPI]
        }
        let json = try JSONDecoder().decode(Document.self, from: Data(try comparison.json().utf8))
        let difference = try #require(json.kpis.first { $0.key == "li_t_per_year" }?.differences["load20"])
        #expect(difference.absolute == row.differences[1])
        #expect(difference.stage == "DLE")
        let csv = comparison.csv().split(separator: "\n")
        #expect(csv[0] == "kpi,unit,case,value,difference,relative_difference,stage,explanation")
        let line = try #require(csv.first { $0.hasPrefix("li_t_per_year,t/yr,load20,") })
        #expect(SweepSupport.fields(line)[4] == "\(row.differences[1]!)" && SweepSupport.fields(line)[6] == "DLE")
        #expect(comparison.text().contains("li_t_per_year"))
        #expect(comparison.report().markdown().contains("| `li_t_per_year` | t/yr |"))
    }

    @Test func twoDifferentPlantsCompare() throws {
        let a = try PlantLoader.load(path: SweepSupport.plantPath("rittershoffen"))
        let b = try PlantLoader.load(path: SweepSupport.plantPath("insheim"))
        let comparison = try PlantComparison([
            ("rittershoffen", "file", try a.flowsheetParameters()), ("insheim", "file", try b.flowsheetParameters()),
        ])
        #expect(comparison.changes[1].contains { $0.key == "production.flow" || $0.key == "brine.li" })
        #expect(comparison.rows.contains { $0.explanations[1] != nil })
        #expect(throws: StudyError.self) { try PlantComparison([("a", "file", try a.flowsheetParameters())]) }
    }
}
