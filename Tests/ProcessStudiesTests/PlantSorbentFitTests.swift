import Foundation
import Numerics
import PlantConfig
import ProcessModel
import Testing

@testable import ProcessStudies

/// The preparation of issue 16's point 5: with chloride modulating the affinity, a load and an LDF rate exist
/// at which the shipped Rittershoffen plant's equilibrium and dynamic models meet its pilots' 90 %.
@Suite struct PlantSorbentFitTests {
    @Test func rittershoffenModelsMeetAtNinetyPercent() throws {
        let p = try PlantLoader.load(path: SweepSupport.plantPath()).flowsheetParameters()
        #expect(PlantSorbentFit.brineChloride(p.brine).isApproximatelyEqual(to: 100_000 / 58.443, relativeTolerance: 1e-12))
        let outcome = try PlantSorbentFit.fit(p, target: 0.9)
        #expect(abs(outcome.equilibriumAfter - 0.9) < 0.005, "equilibrium \(outcome.equilibriumAfter)")
        let dynamic = try #require(outcome.dynamicAfter)
        #expect(abs(dynamic - 0.9) < 0.01, "dynamic \(dynamic)")
        #expect(outcome.dynamicBefore < 0.1 && outcome.equilibriumBefore < 0.5)
        #expect(outcome.loadAfter < outcome.loadBefore)
        let rate = try #require(outcome.ldfRate)
        #expect(rate > p.dle.sorbent.ldfRate)
        // Without the modulator the same plant cannot reach it: the dynamic model stays far below.
        var plain = p
        plain.dle.loadBedVolumes = outcome.loadAfter
        plain.dle.sorbent.ldfRate = rate
        #expect(try DynamicSorption.cyclicSteadyState(for: plain).perPassRecovery < 0.5)
    }
}
