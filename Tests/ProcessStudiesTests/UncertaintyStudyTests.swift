import Foundation
import Numerics
import PlantConfig
import ProcessModel
import Testing

@testable import ProcessStudies

/// `geolith estimate --uncertainty`: percentiles of a known spread, the driver found by rank correlation,
/// seeded repeatability, and the ranges file with its errors.
@Suite struct UncertaintyStudyTests {
    static func base() throws -> FlowsheetParameters {
        try PlantLoader.load(path: SweepSupport.plantPath()).flowsheetParameters()
    }

    /// Only brine Li varies, ±10 %: under the specified DLE model Li per year is proportional to it, so its
    /// P10/P50/P90 are the uniform's (0.92, 1.00, 1.08 of the base) and brine.li is the one driver, ρ = +1.
    @Test func oneRangeGivesTheUniformsPercentiles() throws {
        let base = try Self.base()
        let baseLi = try #require(FlowsheetKPI.named("li_t_per_year")?.value(in: try Flowsheet.solve(base)))
        let study = try UncertaintyStudy(
            base: base, ranges: [UncertaintyRange(key: "brine.li", bounds: .relative(0.9, 1.1), reason: "test")],
            samples: 400, seed: 7)
        let result = study.run()
        #expect(result.solved == 400 && result.failed == 0)
        let li = try #require(result.spreads.first { $0.kpi.key == "li_t_per_year" })
        #expect((li.p10 / baseLi).isApproximatelyEqual(to: 0.92, absoluteTolerance: 2e-3), "P10 \(li.p10 / baseLi)")
        #expect((li.p50 / baseLi).isApproximatelyEqual(to: 1.00, absoluteTolerance: 2e-3), "P50 \(li.p50 / baseLi)")
        #expect((li.p90 / baseLi).isApproximatelyEqual(to: 1.08, absoluteTolerance: 2e-3), "P90 \(li.p90 / baseLi)")
        #expect(li.drivers.count == 1 && li.drivers[0].key == "brine.li" && li.drivers[0].correlation > 0.999)
        #expect(result.spreads.map(\.kpi.key) == UncertaintyStudy.kpiKeys)
    }

    /// The default ranges on a shipped plant: repeatable by seed, P10 ≤ P50 ≤ P90, and the energy assumption that
    /// swings the electricity per tonne most over its own range (RO or refinery) drives its spread.
    @Test func defaultRangesAreSeededAndOrdered() throws {
        let base = try Self.base()
        let first = try UncertaintyStudy(base: base, ranges: UncertaintyRange.defaults, samples: 200, seed: 3).run()
        let again = try UncertaintyStudy(base: base, ranges: UncertaintyRange.defaults, samples: 200, seed: 3).run()
        let other = try UncertaintyStudy(base: base, ranges: UncertaintyRange.defaults, samples: 200, seed: 4).run()
        for (a, b) in zip(first.spreads, again.spreads) { #expect(a.p10 == b.p10 && a.p50 == b.p50 && a.p90 == b.p90) }
        #expect(zip(first.spreads, other.spreads).contains { $0.p50 != $1.p50 })
        for spread in first.spreads { #expect(spread.p10 <= spread.p50 && spread.p50 <= spread.p90) }
        let energy = try #require(first.spreads.first { $0.kpi.key == "energy_kwh_per_t" })
        func swing(_ key: String) throws -> Double {
            let range = try #require(UncertaintyRange.defaults.first { $0.key == key })
            let parameter = try #require(ProcessParameterCatalogue.parameter(key))
            let text = try #require(parameter.value(in: base))
            let value = try #require(Double(text))
            let interval = range.interval(around: value, valid: -1e12...1e12)
            var low = base, high = base
            try parameter.set(interval.lowerBound, in: &low)
            try parameter.set(interval.upperBound, in: &high)
            let up = try #require(try Flowsheet.solve(high).energyPerTonne)
            let down = try #require(try Flowsheet.solve(low).energyPerTonne)
            return abs(up - down)
        }
        let candidates = ["refining.energy_kwh_per_t", "concentration.energy_kwh_per_m3"]
        let strongest = try candidates.max { try swing($0) < swing($1) }
        #expect(energy.drivers.first?.key == strongest, "\(energy.drivers)")
    }

    @Test func rangesFileReplacesAddsAndFixes() throws {
        let ranges = try UncertaintyRange.reading(yaml: """
            brine.li: [170, 200]
            sorbent.langmuir_l_per_mg: ±50%
            refining.energy_kwh_per_t: fixed
            production.flow: +-10%
            """, file: "ranges.yaml")
        #expect(ranges.first { $0.key == "brine.li" }?.bounds == .absolute(170, 200))
        #expect(ranges.first { $0.key == "sorbent.langmuir_l_per_mg" }?.bounds == .relative(0.5, 1.5))
        #expect(!ranges.contains { $0.key == "refining.energy_kwh_per_t" })
        #expect(ranges.first { $0.key == "production.flow" }?.bounds == .relative(0.9, 1.1))
        #expect(ranges.count == UncertaintyRange.defaults.count)
        do {
            _ = try UncertaintyRange.reading(yaml: "brine.lii: [1, 2]\nbrine.tds: [3]\ndle.model: [1, 2]\ndle.leakage: 5%\n", file: "bad.yaml")
            Issue.record("a bad ranges file was read")
        } catch let error as PlantConfigError {
            let lines = error.issues.map(\.description)
            #expect(lines.count == 4, "\(lines)")
            #expect(lines[0].hasPrefix("bad.yaml:1:1: brine.lii: not a numeric process parameter; did you mean brine.li"))
            #expect(lines[1].hasPrefix("bad.yaml:2:12: brine.tds: expected [low, high]"))
            #expect(lines[2].hasPrefix("bad.yaml:3:1: dle.model: not a numeric process parameter"))
            #expect(lines[3].hasPrefix("bad.yaml:4:14: dle.leakage: expected [low, high], ±N%"))
        }
    }

    @Test func percentiles() {
        #expect(UncertaintyStudy.percentile([3, 1, 2, 4, 5], 0.5) == 3)
        #expect(UncertaintyStudy.percentile([1, 2, 3, 4, 5], 0.1) == 1.4)
        #expect(UncertaintyStudy.percentile([7], 0.9) == 7)
        #expect(UncertaintyStudy.percentile([], 0.5).isNaN)
    }
}
