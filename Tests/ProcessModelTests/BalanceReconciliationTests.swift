import ProcessModel
import Testing

@Suite struct BalanceReconciliationTests {
    /// Li and water balances of a DLE plant: Q_in = Q_re (water), Q_in·c_in = Q_re·c_out + Q_el·c_el (Li).
    func problem(_ values: [Double]) -> BalanceReconciliation {
        let names = ["production.flow", "brine.li", "reinjection.flow", "dle.outlet.li", "eluate.flow", "eluate.li"]
        let sigmas = [0.005 * 100, 0.05 * 180, 0.005 * 100, 0.05 * 12, 0.01 * 6.5, 0.05 * 2500]
        return BalanceReconciliation(
            measurements: zip(names, zip(values, sigmas)).map { .init(name: $0, value: $1.0, sigma: $1.1) },
            constraints: [
                .init(name: "water") { x in x[0] - x[2] },
                .init(name: "lithium") { x in x[0] * x[1] - x[2] * x[3] - x[4] * x[5] * 1000 / 3.6 / 1000 },
            ])
    }

    /// A consistent plant: 100 m³/h at 180 mg/L, 12 mg/L out; the eluate carries the rest.
    var consistent: [Double] {
        let captured = 100 * (180 - 12.0)         // g/h… scaled per the constraint's units
        let eluateFlow = 6.5
        let eluateLi = captured / eluateFlow * 3.6 / 1000 * 1000 / 1000 * 1000 / 1000
        return [100, 180, 100, 12, eluateFlow, eluateLi / 3.6 * 3.6]
    }

    @Test func consistentDataIsLeftAloneAndNotFlagged() throws {
        var values = consistent
        // Solve exactly for eluate Li so both balances close.
        values[5] = (values[0] * values[1] - values[2] * values[3]) / (values[4] / 3.6)
        let result = try problem(values).reconcile()
        #expect(result.residuals.allSatisfy { abs($0) < 1e-9 * 18_000 })
        #expect(result.suspect == nil)
        #expect(!result.grossErrorDetected(), "p = \(result.globalPValue)")
        #expect(zip(result.reconciled, values).allSatisfy { abs($0 - $1) < 1e-9 * max(1, abs($1)) })
    }

    /// The brine Li analyser appears in the Li balance only, like the outlet analyser and the eluate meters:
    /// the error is detected and that group named, but no single one of them can be blamed.
    @Test func aDriftingLiAnalyserIsDetectedWithinItsGroup() throws {
        var values = consistent
        values[5] = (values[0] * values[1] - values[2] * values[3]) / (values[4] / 3.6)
        values[1] *= 1.4                                    // brine Li analyser reads 40 % high
        let result = try problem(values).reconcile()
        #expect(result.suspect == nil)
        #expect(Set(result.suspects) == ["brine.li", "dle.outlet.li", "eluate.flow", "eluate.li"], "statistics \(result.statistics)")
        #expect(result.globalStatistic > 5.99, "χ² with 2 degrees of freedom at 95 %")
        #expect(result.grossErrorDetected() && result.globalPValue < 0.05)
        #expect(abs(result.reconciled[1] - 180) < abs(values[1] - 180), "reconciliation moves the bad value back")
        // Reconciled values satisfy the (linearised) balances much better than the measurements.
        let check = problem(result.reconciled)
        #expect(abs(check.constraints[1].residual(result.reconciled)) < 0.05 * abs(result.residuals[1]))
    }

    @Test func aBrokenFlowMeterIsNamed() throws {
        var values = consistent
        values[5] = (values[0] * values[1] - values[2] * values[3]) / (values[4] / 3.6)
        values[2] *= 0.9                                    // reinjection flowmeter reads 10 % low
        let result = try problem(values).reconcile()
        #expect(result.suspect == "reinjection.flow", "statistics \(result.statistics)")
    }

    /// χ² critical values at 95 % (1, 2, 5 and 10 degrees of freedom) have p = 0.05; the median of χ²(2) is 2 ln 2.
    @Test(arguments: [(3.841459, 1), (5.991465, 2), (11.070498, 5), (18.307038, 10)])
    func chiSquareSurvivalMatchesTables(x: Double, k: Int) {
        let result = BalanceReconciliation.Result(
            reconciled: [], residuals: [Double](repeating: 0, count: k), statistics: [], suspect: nil, suspects: [],
            globalStatistic: x)
        #expect(abs(result.globalPValue - 0.05) < 1e-6, "p = \(result.globalPValue)")
    }

    @Test func invalidInputsThrow() {
        let bad = BalanceReconciliation(measurements: [.init(name: "a", value: 1, sigma: 0)], constraints: [.init(name: "c") { $0[0] }])
        #expect(throws: BalanceReconciliation.ReconciliationError.invalidSigma("a")) { try bad.reconcile() }
        let degenerate = BalanceReconciliation(measurements: [.init(name: "a", value: 1, sigma: 1)], constraints: [.init(name: "c") { _ in 1 }])
        #expect(throws: BalanceReconciliation.ReconciliationError.singular) { try degenerate.reconcile() }
    }
}
