import Foundation
import PlantConfig
import ProcessModel
import Testing

@testable import ProcessStudies

@Suite struct SweepRunTests {
    /// At a fixed DLE recovery (the plant's specified model) more brine or more Li never makes less product.
    @Test func moreFlowOrMoreLithiumNeverLessProduct() throws {
        let definition = try SweepSupport.definition(["production.flow=30:110:9", "brine.li=80:260:10"])
        let rows = SweepSupport.records(try SweepSupport.run(definition).text)
        #expect(rows.count == 90 && rows.allSatisfy { $0["status"] == "ok" })
        let li = rows.map { $0.number("li_t_per_year [t/yr]")! }
        for a in 0..<9 {
            for b in 0..<10 {
                let i = a * 10 + b
                if b > 0 { #expect(li[i] >= li[i - 1] * (1 - 1e-12), "more Li at point \(i)") }
                if a > 0 { #expect(li[i] >= li[i - 10] * (1 - 1e-12), "more flow at point \(i)") }
            }
        }
        // Not flat: the sweep means something.
        #expect(li.last! > 3 * li.first!)
    }

    /// More wash bed volumes draw more fresh water per tonne; with the isotherm, more capacity never less Li.
    @Test func washAndCapacityMoveTheirKPIsTheRightWay() throws {
        // Washes below the calibrated load (10.5 BV on Rittershoffen): every point solves.
        let wash = try SweepSupport.definition(["dle.cycle_bed_volumes.wash=0.5:8:8"])
        let washed = SweepSupport.records(try SweepSupport.run(wash).text).map { $0.number("fresh_water_m3_per_t [m³/t]") }
        let water = washed.compactMap { $0 }
        #expect(water.count == 8, "every wash point solved: \(washed)")
        #expect(zip(water, water.dropFirst()).allSatisfy { $0 < $1 }, "\(water)")
        let capacity = try SweepSupport.definition(
            ["sorbent.capacity_mg_per_g=1:12:12"], settings: [("dle.model", "equilibrium")])
        let li = SweepSupport.records(try SweepSupport.run(capacity).text).compactMap { $0.number("li_t_per_year [t/yr]") }
        #expect(li.count == 12, "every capacity point solved")
        #expect(zip(li, li.dropFirst()).allSatisfy { $0 <= $1 * (1 + 1e-12) } && li.last! > li.first!, "\(li)")
    }

    /// A point of an invalid combination is reported in its row; the others solve.
    @Test func failingPointIsReportedAndTheSweepGoesOn() throws {
        let definition = try SweepSupport.definition(["dle.cycle_bed_volumes.wash=1,40,3", "production.flow=60,80"])
        let (text, summary) = try SweepSupport.run(definition)
        let rows = SweepSupport.records(text)
        #expect(rows.count == 6 && summary.counts[.invalid] == 2 && summary.counts[.ok] == 4)
        for row in rows {
            let invalid = row["dle.cycle_bed_volumes.wash [BV]"] == "40"
            #expect(row["status"] == (invalid ? "invalid" : "ok"))
            #expect(invalid == (row["li_t_per_year [t/yr]"] == ""))
            #expect(invalid == (row["error"]?.contains("must be below the load") == true), "\(row["error"] ?? "")")
        }
    }

    /// The output does not depend on the job count or the chunking: rows are written in point order.
    @Test func outputIsTheSameForAnyJobCount() throws {
        let definition = try SweepSupport.definition([
            "production.flow=40:100:13", "dle.cycle_bed_volumes.load=10:40:7",
        ])
        let one = try SweepSupport.run(definition, jobs: 1).text
        let three = try SweepSupport.run(definition, jobs: 3, chunkSize: 5).text
        let many = try SweepSupport.run(definition, jobs: 8, chunkSize: 1).text
        #expect(one == three && one == many)
        let points = SweepSupport.records(one).map { Int($0["point"]!)! }
        #expect(points == Array(0..<91))
    }

    /// The CSV's header names every KPI with its unit, and the varied keys with theirs.
    @Test func headerHasUnitsAndEveryKPI() throws {
        let definition = try SweepSupport.definition(["production.flow=180m3/h:360m3/h:3", "sorbent.type=LDH,MnOx"])
        let text = try SweepSupport.run(definition).text
        let header = SweepSupport.fields(text.split(separator: "\n")[0])
        #expect(header.prefix(3) == ["point", "production.flow [L/s]", "sorbent.type"])
        for kpi in [
            "li_t_per_year [t/yr]", "fresh_water_m3_per_t [m³/t]", "energy_kwh_per_t [kWh/t]", "recovery_dle [%]",
            "reagent_na2co3 [t/t]",
        ] {
            #expect(header.contains(kpi), "\(kpi)")
        }
        #expect(header.suffix(3) == ["status", "warnings", "error"])
        let rows = SweepSupport.records(text)
        #expect(rows.map { $0["production.flow [L/s]"]! } == ["50", "50", "75", "75", "100", "100"])
        #expect(rows.map { $0["sorbent.type"]! } == ["LDH", "MnOx", "LDH", "MnOx", "LDH", "MnOx"])
    }

    /// A Latin hypercube puts exactly one point in each of N intervals of every varied range, and a seed
    /// repeats it.
    @Test func latinHypercubeRowsCoverEveryInterval() throws {
        let n = 64
        let varies = ["production.flow=40:100", "brine.li=100:250", "dle.cycle_bed_volumes.load=10:40"]
        let definition = try SweepSupport.definition(varies, design: .latinHypercube(samples: n, seed: 11))
        let text = try SweepSupport.run(definition).text
        let rows = SweepSupport.records(text)
        #expect(rows.count == n)
        for (column, low, high) in [
            ("production.flow [L/s]", 40.0, 100.0), ("brine.li [mg/L]", 100, 250),
            ("dle.cycle_bed_volumes.load [BV]", 10, 40),
        ] {
            let intervals = rows.map { Int((($0.number(column)! - low) / (high - low) * Double(n)).rounded(.down)) }
            #expect(intervals.sorted() == Array(0..<n), "\(column)")
        }
        let again = try SweepSupport.run(
            try SweepSupport.definition(varies, design: .latinHypercube(samples: n, seed: 11)), jobs: 1
        ).text
        let other = try SweepSupport.run(
            try SweepSupport.definition(varies, design: .latinHypercube(samples: n, seed: 12))
        ).text
        #expect(again == text && other != text)
    }

    @Test func setAndVaryConflictsAreRefused() throws {
        #expect(throws: StudyError.self) {
            try SweepSupport.definition(["production.flow=50,60"], settings: [("production.flow", "70")])
        }
        #expect(throws: StudyError.self) {
            try SweepSupport.definition(["brine.li=1,2"], settings: [("dle.sped", "3")])
        }
        #expect(throws: StudyError.self) {
            try SweepSupport.definition(["dle.model=specified,equilibrium"], model: .dynamic)
        }
    }

    /// Varying the sorbent keeps a --set capacity (the family reset comes first), as the catalogue's order says.
    @Test func overridesApplyInCatalogueOrder() throws {
        let definition = try SweepSupport.definition(
            ["sorbent.type=LDH,MnOx"], settings: [("sorbent.capacity_mg_per_g", "7"), ("dle.model", "equilibrium")])
        let rows = SweepSupport.records(try SweepSupport.run(definition).text)
        let estimate = try SweepSupport.definition(
            ["sorbent.capacity_mg_per_g=7"], settings: [("sorbent.type", "MnOx"), ("dle.model", "equilibrium")])
        let reference = SweepSupport.records(try SweepSupport.run(estimate).text)
        #expect(rows[1]["li_t_per_year [t/yr]"] == reference[0]["li_t_per_year [t/yr]"])
        #expect(rows[0]["li_t_per_year [t/yr]"] != rows[1]["li_t_per_year [t/yr]"])
    }
}

@Suite struct DynamicSweepTests {
    /// `--model dynamic` couples the column model per point, on several threads: each row's per-pass recovery
    /// is the column's cyclic steady state for that point's parameters.
    @Test func dynamicPointsRunTheColumnModel() throws {
        let definition = try SweepSupport.definition(["dle.cycle_bed_volumes.load=10,30"], model: .dynamic)
        #expect(definition.mayRunColumnModel)
        let rows = SweepSupport.records(try SweepSupport.run(definition, jobs: 2).text)
        #expect(rows.count == 2 && rows.allSatisfy { $0["status"] == "ok" })
        let plant = try PlantLoader.load(path: SweepSupport.plantPath())
        for row in rows {
            let load = try #require(row["dle.cycle_bed_volumes.load [BV]"])
            var p = try plant.flowsheetParameters(overrides: [("dle.cycle_bed_volumes.load", load)])
            p.dle.model = .dynamic
            let expected = try #require(try DynamicSorption.couple(p).1).perPassRecovery * 100
            #expect(row.number("dle_per_pass_recovery [%]") == expected, "load \(load)")
        }
        // Shorter loads strip a larger share of what they load.
        #expect(rows[0].number("dle_per_pass_recovery [%]")! > rows[1].number("dle_per_pass_recovery [%]")!)
    }
}
