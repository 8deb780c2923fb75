import Foundation
import Testing

/// One plant, one truth, through the built binary: `column` runs the column `dle.model: dynamic` runs, `--set`
/// commutes in every command, notices for parameters a model ignores, the three DLE models side by side, and the
/// yearly figures and over-design flags of `estimate`.
@Suite struct OnePlantCLITests {
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try GeolithBinary.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    static func figure(_ object: [String: Any], _ key: String) throws -> Double {
        let figures = try #require(object["figures"] as? [String: [String: Any]])
        return try #require(figures[key]?["value"] as? Double, "figure \(key)")
    }

    /// `geolith column PLANT` prints the per-pass recovery `estimate --set dle.model=dynamic` uses: equal, with
    /// and without an override of the sorbent's kinetics.
    @Test(arguments: [[String](), ["--set", "sorbent.k_ldf_per_hour=5"]])
    func columnIsTheDynamicModelsColumn(settings: [String]) throws {
        let column = try GeolithBinary.run(["column", "PlantConfigs/rittershoffen.yaml", "--summary"] + settings)
        #expect(column.status == 0, "\(column.stderr)")
        let field = try #require(column.stdout.split(separator: " ").first { $0.hasPrefix("per_pass_recovery=") })
        let perPass = try #require(Double(field.dropFirst("per_pass_recovery=".count).trimmingCharacters(in: .whitespacesAndNewlines)))
        let estimate = try Self.json(
            ["estimate", "PlantConfigs/rittershoffen.yaml", "--format", "json", "--set", "dle.model=dynamic"] + settings)
        let used = try Self.figure(estimate, "dle_per_pass_recovery")
        #expect(abs(perPass * 100 - used) <= 1e-12 * used, "column \(perPass * 100) %, estimate \(used) %")
    }

    /// The issue's case: Insheim with `refining.yield=1` and `refining.route=li2co3_soda_ash` refines 100 % in
    /// either order of `--set`, in a sweep varying the route, and in a compare variant setting the route.
    @Test func routeAndYieldGiveOneAnswerEverywhere() throws {
        let plant = "PlantConfigs/insheim.yaml"
        let a = try Self.json(["estimate", plant, "--format", "json", "--set", "refining.yield=1", "--set", "refining.route=li2co3_soda_ash"])
        let b = try Self.json(["estimate", plant, "--format", "json", "--set", "refining.route=li2co3_soda_ash", "--set", "refining.yield=1"])
        #expect(try Self.figure(a, "recovery_refining") == 100)
        #expect(NSDictionary(dictionary: try #require(a["figures"] as? [String: Any]))
            .isEqual(to: try #require(b["figures"] as? [String: Any])), "the same figures in either order")
        let sweep = try GeolithBinary.run([
            "sweep", plant, "--set", "refining.yield=1", "--vary", "refining.route=li2co3_soda_ash,lhm_electrolysis", "--quiet",
        ])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let lines = sweep.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "recovery_refining [%]"))
        let soda = try #require(lines.first { $0.contains(",li2co3_soda_ash,") }).split(separator: ",")
        #expect(Double(soda[column]) == 100)
        let compare = try Self.json([
            "compare", plant, "--set", "refining.yield=1", "--variant", "soda:refining.route=li2co3_soda_ash", "--format", "json",
        ])
        let rows = try #require(compare["kpis"] as? [[String: Any]])
        let refining = try #require(rows.first { $0["key"] as? String == "recovery_refining" })
        #expect((refining["values"] as? [String: Double])?["soda"] == 100)
    }

    /// A parameter the active DLE model ignores gets a note naming it and the model that uses it, once.
    @Test func unusedParametersAreNamed() throws {
        let estimate = try GeolithBinary.run([
            "estimate", "PlantConfigs/rittershoffen.yaml", "--set", "sorbent.k_ldf_per_hour=5",
            "--set", "sorbent.k_ldf_per_hour=6", "--set", "dle.recovery=0.85",
        ])
        #expect(estimate.status == 0)
        let notes = estimate.stderr.split(separator: "\n").filter { $0.hasPrefix("note:") }
        #expect(notes == ["note: sorbent.k_ldf_per_hour has no effect on the recovery under dle.model specified: dle.model=dynamic uses it"])
        let sweep = try GeolithBinary.run([
            "sweep", "PlantConfigs/rittershoffen.yaml", "--vary", "sorbent.k_ldf_per_hour=0.5:20:3", "--quiet",
        ])
        #expect(sweep.status == 0)
        #expect(sweep.stderr.contains("note: sorbent.k_ldf_per_hour has no effect on the recovery under dle.model specified"))
        let dynamic = try GeolithBinary.run([
            "sweep", "PlantConfigs/rittershoffen.yaml", "--vary", "sorbent.k_ldf_per_hour=0.5,20", "--model", "dynamic", "--quiet",
        ])
        #expect(dynamic.status == 0)
        #expect(!dynamic.stderr.contains("note:"), "the dynamic model uses it: \(dynamic.stderr)")
    }

    /// The calibrated Rittershoffen's three models agree and are shown side by side; with its old uncalibrated
    /// cycle and a constant-affinity sorbent (30 BV, 0.58 1/h, no salt modulation) they disagree (a specified 90 %
    /// against a capacity-limited isotherm and an elution-limited column) and are shown with their causes.
    @Test func disagreeingModelsAreShownSideBySide() throws {
        let agreeing = try GeolithBinary.run(["estimate", "PlantConfigs/rittershoffen.yaml"])
        #expect(agreeing.status == 0)
        #expect(agreeing.stdout.contains("DLE models at this operating point (they agree within"))
        let old = [
            "--set", "dle.cycle_bed_volumes.load=30", "--set", "sorbent.k_ldf_per_hour=0.58",
            "--set", "sorbent.salt_gamma_m3_per_mol=0",
        ]
        let table = try GeolithBinary.run(["estimate", "PlantConfigs/rittershoffen.yaml"] + old)
        #expect(table.status == 0)
        #expect(table.stdout.contains("DLE models at this operating point (they differ by"))
        #expect(table.stdout.contains("capacity exceeded"))
        #expect(table.stdout.contains("elution-limited"))
        let object = try Self.json(["estimate", "PlantConfigs/rittershoffen.yaml", "--format", "json"] + old)
        let models = try #require(object["dle_models"] as? [[String: Any]])
        #expect(models.map { $0["model"] as? String } == ["specified", "equilibrium", "dynamic"])
        #expect(object["dle_models_disagree"] as? Bool == true)
        let calibrated = try Self.json(["estimate", "PlantConfigs/rittershoffen.yaml", "--format", "json"])
        #expect(calibrated["dle_models_disagree"] as? Bool == false)
    }

    /// Brine per year and heat per year, what the well's totaliser and the heat meter read; the DLE and the RO
    /// are flagged over design as the refinery is.
    @Test func yearlyFiguresAndOverDesignFlags() throws {
        let object = try Self.json(["estimate", "PlantConfigs/rittershoffen.yaml", "--format", "json"])
        // 252 m³/h × 8,000 h.
        #expect(try Self.figure(object, "brine_m3_per_year") == 252 * 8000)
        let heat = try Self.figure(object, "heat_recovered_gwh_per_year")
        #expect(abs(heat - (try Self.figure(object, "heat_recovered_mw")) * 8000 / 1000) < 1e-9)
        let big = try Self.json([
            "estimate", "PlantConfigs/rittershoffen.yaml", "--format", "json", "--set", "production.flow=835",
            "--set", "concentration.design_feed_m3_per_h=30",
        ])
        let warnings = try #require(big["warnings"] as? [String])
        #expect(warnings.contains { $0.hasPrefix("DLE feed above its design flow") })
        #expect(warnings.contains { $0.hasPrefix("RO feed above its design feed") })
        #expect(warnings.contains { $0.hasPrefix("refinery at nameplate") })
        #expect(try Self.figure(big, "dle_utilisation") > 1000)
    }
}
