import ProcessModel
import Testing

/// The three DLE models side by side, each with what limits it.
@Suite struct DLEModelComparisonTests {
    static func plant() -> FlowsheetParameters {
        var p = FlowsheetParameters(brine: Brine(lithium: .milligramsPerLitre(170)), productionFlow: .litresPerSecond(70))
        p.dle.model = .specified
        // A constant-affinity sorbent (no salt modulation), so that each limit shows on its own.
        p.dle.sorbent.saltGamma = 0
        return p
    }

    /// The defaults with a constant affinity: a specified 90 % against an isotherm whose capacity the 30 BV load
    /// exceeds, and a column that water cannot strip.
    @Test func capacityAndElutionLimits() throws {
        let models = try DLEModelComparison(Self.plant(), cells: 20)
        #expect(models.disagree)
        #expect(models.entries.map(\.model) == [.specified, .equilibrium, .dynamic])
        let equilibrium = models.entries[1], dynamic = models.entries[2]
        #expect(equilibrium.causes.first?.hasPrefix("capacity exceeded") == true, "\(equilibrium.causes)")
        #expect(dynamic.causes.contains { $0.hasPrefix("elution-limited") }, "\(dynamic.causes)")
        // The dynamic entry is the coupled model's own recovery.
        var p = Self.plant()
        p.dle.model = .dynamic
        let (coupled, summary) = try DynamicSorption.couple(p, cells: 20)
        #expect(dynamic.perPassRecovery == (try Flowsheet.solve(coupled)).perPassRecovery)
        #expect(summary?.perPassRecovery == coupled.dle.dynamicRecovery)
    }

    /// A weakly binding sorbent that elutes well but transfers mass slowly: the column is kinetics-limited.
    @Test func slowMassTransferIsKineticsLimited() throws {
        var p = Self.plant()
        p.dle.sorbent.langmuirConstant = 0.002
        p.dle.sorbent.capacity = 20
        p.dle.loadBedVolumes = 10
        p.dle.washBedVolumes = 0.2
        p.dle.eluteBedVolumes = 20
        p.dle.sorbent.ldfRate = 0.05
        let models = try DLEModelComparison(p, cells: 20)
        let dynamic = models.entries[2]
        #expect(dynamic.causes.contains { $0.hasPrefix("kinetics-limited") }, "\(models.entries)")
        // Faster transfer lifts it.
        p.dle.sorbent.ldfRate = 50
        let fast = try DLEModelComparison(p, cells: 20)
        #expect(fast.entries[2].perPassRecovery > dynamic.perPassRecovery + 0.1)
    }
}
