import Foundation
import Testing

@Suite struct EstimateCommandTests {
    @Test func tablePrintsSourcedEstimate() throws {
        let result = try GeolithBinary.run(["estimate", "PlantConfigs/rittershoffen.yaml", "--years", "30"])
        #expect(result.status == 0, "\(result.stderr)")
        for text in ["LCE (Li2CO3)", "LHM (LiOH·H2O)", "fresh water per tonne", "refinery utilisation", "kg/t",
                     "per-stage breakdown", "Li balance closure", "projection", "Jiang 2020", "Battaglia 2022"] {
            #expect(result.stdout.contains(text), "missing \(text)")
        }
    }

    @Test func jsonCarriesFiguresAndProjection() throws {
        let result = try GeolithBinary.run([
            "estimate", "PlantConfigs/insheim.yaml", "--format", "json", "--years", "30",
            "--set", "dle.recovery=1", "--set", "concentration.li_rejection=1", "--set", "refining.yield=1",
            "--set", "availability_hours_per_year=8760", "--set", "production.flow=80", "--set", "brine.li=168",
            "--set", "refining.route=li2co3_soda_ash", "--set", "refining.yield=1", "--set", "refining.nameplate_t_per_day=100",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let figures = try #require(object["figures"] as? [String: [String: Any]])
        // Insheim at full recovery: 80 L/s × 168 mg/L → ≈2,256 t LCE/yr (docs/sources.md §4.2).
        let lce = try #require(figures["lce_t_per_year"]?["value"] as? Double)
        #expect(abs(lce - 2256) < 3)
        let closure = try #require(figures["li_balance_closure"]?["value"] as? Double)
        #expect(closure < 1e-9)
        let projection = try #require(object["projection"] as? [[String: Any]])
        #expect(projection.count == 30)
        let first = try #require(projection.first?["brine_li_mg_per_l"] as? Double)
        let last = try #require(projection.last?["brine_li_mg_per_l"] as? Double)
        #expect((0.30...0.50).contains(1 - last / first), "30-year decline \(1 - last / first)")
    }

    @Test func csvHasOneRowPerFigureWithUnits() throws {
        let result = try GeolithBinary.run(["estimate", "PlantConfigs/demo.yaml", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "section,key,label,value,unit")
        #expect(lines.contains { $0.hasPrefix("water,fresh_water_m3_per_t,") && $0.hasSuffix(",m³/t") })
    }

    @Test func badOverridesFailWithTheReason() throws {
        let unknown = try GeolithBinary.run(["estimate", "PlantConfigs/demo.yaml", "--set", "dle.speed=3"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown process parameter \"dle.speed\""))
        let range = try GeolithBinary.run(["estimate", "PlantConfigs/demo.yaml", "--set", "refining.yield=2"])
        #expect(range.status != 0)
        #expect(range.stderr.contains("outside"))
        let missing = try GeolithBinary.run(["estimate", "no-such.yaml"])
        #expect(missing.status != 0)
    }
}
