import ProcessModel
import RealModule
import Testing

/// Property-based checks over random plants from a seeded generator (the same seed gives the same plants).
@Suite struct FlowsheetPropertyTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomPlant(_ g: inout SplitMix64) -> FlowsheetParameters {
        var p = FlowsheetParameters(
            brine: Brine(
                lithium: .milligramsPerLitre(.random(in: 5...500, using: &g)),
                totalDissolvedSolids: .gramsPerLitre(.random(in: 10...250, using: &g)),
                temperature: .celsius(.random(in: 60...220, using: &g)),
                composition: Bool.random(using: &g)
                    ? [.Na: .gramsPerLitre(.random(in: 1...40, using: &g)), .Ca: .gramsPerLitre(.random(in: 0...15, using: &g))]
                    : [:]),
            productionFlow: .litresPerSecond(.random(in: 1...150, using: &g)))
        p.availabilityHours = .random(in: 1000...8760, using: &g)
        p.dle.model = [.specified, .equilibrium].randomElement(using: &g)!
        p.dle.specifiedRecovery = .random(in: 0...1, using: &g)
        p.dle.loadBedVolumes = .random(in: 2...80, using: &g)
        p.dle.washBedVolumes = .random(in: 0...min(6, 0.8 * p.dle.loadBedVolumes), using: &g)
        p.dle.eluteBedVolumes = .random(in: 0.5...8, using: &g)
        p.dle.eluentLithium = .milligramsPerLitre(.random(in: 0...300, using: &g))
        p.dle.sorbent.capacity = .random(in: 0.5...30, using: &g)
        p.dle.sorbent.ageCycles = .random(in: 0...20_000, using: &g)
        p.dle.frontSharpness = .random(in: 1...20, using: &g)
        p.heatExchange.dleInletTemperature = .celsius(.random(in: 20...95, using: &g))
        p.concentration.method = ConcentrationStage.Method.allCases.randomElement(using: &g)!
        p.concentration.concentrationFactor = .random(in: 1...20, using: &g)
        p.concentration.lithiumRejection = .random(in: 0.5...1, using: &g)
        p.concentration.evaporationFactor = .random(in: 1...10, using: &g)
        p.refining.route = RefiningStage.Route.allCases.randomElement(using: &g)!
        p.refining.yield = .random(in: 0.3...1, using: &g)
        p.refining.nameplate = Bool.random(using: &g) ? .random(in: 0.5...50, using: &g) : nil
        p.energy = Bool.random(using: &g) ? .france : .germany
        return p
    }

    @Test func balancesCloseForRandomPlants() throws {
        var g = SplitMix64(state: 20261125)
        for _ in 0..<2000 {
            let p = Self.randomPlant(&g)
            let r = try Flowsheet.solve(p)
            #expect(r.lithiumBalance.relative < 1e-9, "Li balance \(r.lithiumBalance) for \(p)")
            #expect(r.waterBalance.relative < 1e-9, "water balance \(r.waterBalance) for \(p)")
            #expect(r.overallRecovery >= 0 && r.overallRecovery <= 1 + 1e-12)
            #expect(r.productLithium.si >= 0 && r.reinjectionLithium.si >= -1e-15 * r.brineLithium.si)
            #expect(r.freshWater.si >= 0)
        }
    }

    /// More flow or more Li never yields less product at fixed recovery parameters.
    @Test func productIsMonotoneInFlowAndLithium() throws {
        var g = SplitMix64(state: 7)
        for _ in 0..<500 {
            var p = Self.randomPlant(&g)
            let base = try Flowsheet.solve(p).productLithium.si
            let factor = Double.random(in: 1.001...3, using: &g)
            var more = p
            more.productionFlow = p.productionFlow * factor
            #expect(try Flowsheet.solve(more).productLithium.si >= base * (1 - 1e-12), "flow × \(factor): \(p)")
            p.brine.lithium = p.brine.lithium * factor
            #expect(try Flowsheet.solve(p).productLithium.si >= base * (1 - 1e-12), "Li × \(factor): \(p)")
        }
    }

    /// Without a nameplate, product scales linearly with flow (every stage is per volume).
    @Test func productScalesWithFlow() throws {
        var g = SplitMix64(state: 99)
        for _ in 0..<200 {
            var p = Self.randomPlant(&g)
            p.refining.nameplate = nil
            let one = try Flowsheet.solve(p).productLithium.si
            p.productionFlow = p.productionFlow * 2
            #expect(try Flowsheet.solve(p).productLithium.si.isApproximatelyEqual(to: 2 * one, relativeTolerance: 1e-9))
        }
    }
}
