import ProcessModel
import RealModule
import Testing

/// `dle.model: dynamic`: the flowsheet takes its DLE recovery from the column model's cyclic steady state.
@Suite struct DynamicCouplingTests {
    static func plant() -> FlowsheetParameters {
        var p = FlowsheetParameters(brine: Brine(lithium: .milligramsPerLitre(170)), productionFlow: .litresPerSecond(70))
        p.dle.model = .dynamic
        return p
    }

    @Test func dynamicModelNeedsTheColumnFirst() throws {
        #expect(throws: FlowsheetError.self) { try Flowsheet.solve(Self.plant()) }
        let (coupled, summary) = try DynamicSorption.couple(Self.plant(), cells: 20)
        let s = try #require(summary)
        #expect(s.massBalanceError < 1e-6, "the column closes its mass balance over each cycle")
        #expect(coupled.dle.dynamicRecovery == s.perPassRecovery)
        let r = try Flowsheet.solve(coupled)
        #expect(r.perPassRecovery.isApproximatelyEqual(to: s.perPassRecovery, relativeTolerance: 1e-9))
        #expect(r.lithiumBalance.relative < 1e-9 && r.waterBalance.relative < 1e-9)
    }

    /// More eluent and faster kinetics recover more. With the default Langmuir K (0.02 L/mg) the bed retains
    /// Li strongly at low concentration (retention factor ≈ 120 bed volumes), so water elution leaves much of
    /// it behind; a weakly binding sorbent with ample eluent gives back nearly all the load offers.
    @Test func recoveryFollowsElutionAndKinetics() throws {
        var p = Self.plant()
        p.dle.loadBedVolumes = 10
        p.dle.eluteBedVolumes = 3
        let short = try DynamicSorption.cyclicSteadyState(for: p, cells: 20).perPassRecovery
        p.dle.eluteBedVolumes = 12
        let long = try DynamicSorption.cyclicSteadyState(for: p, cells: 20).perPassRecovery
        #expect(long > short)
        p.dle.sorbent.ldfRate = 20
        let fast = try DynamicSorption.cyclicSteadyState(for: p, cells: 20)
        #expect(fast.perPassRecovery > long)
        #expect(fast.converged)
        p.dle.sorbent.langmuirConstant = 0.002
        p.dle.loadBedVolumes = 2
        // A short wash: with weak binding a long water wash strips Li into the (recycled) spent wash.
        p.dle.washBedVolumes = 0.2
        p.dle.eluteBedVolumes = 30
        // 30 BV of eluent in the regeneration slot of one column of four runs at 45× the load's flow (DLECycle):
        // mass transfer must keep up with it.
        p.dle.sorbent.ldfRate = 200
        let weak = try DynamicSorption.cyclicSteadyState(for: p, cells: 20)
        #expect(weak.perPassRecovery > 0.9, "weak binding, ample elution: \(weak.perPassRecovery)")
        p.dle.model = .equilibrium
        #expect(try Flowsheet.solve(p).loadingRatio < 1, "the bed can hold the load")
    }
}
