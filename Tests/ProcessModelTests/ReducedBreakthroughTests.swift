import ProcessModel
import RealModule
import Testing

/// The simulator's reduced breakthrough: fitted to the plant's own column, placed at the DLE model's recovery.
@Suite struct ReducedBreakthroughTests {
    static func plant(ldfRate: Double = 20) -> FlowsheetParameters {
        var p = FlowsheetParameters(brine: Brine(lithium: .milligramsPerLitre(170)), productionFlow: .litresPerSecond(70))
        p.dle.sorbent.ldfRate = ldfRate
        return p
    }

    /// A curve drawn from a known front fits back to it.
    @Test func fitRecoversAKnownFront() throws {
        let truth = ReducedBreakthrough(leakage: 0.03, width: 0.15, halfBedVolumes: 12)
        let curve = stride(from: 0.0, through: 40, by: 0.05).map { (bedVolumes: $0, ratio: truth.ratio(at: $0)) }
        let fitted = try #require(ReducedBreakthrough.fit(curve))
        #expect(fitted.leakage.isApproximatelyEqual(to: 0.03, relativeTolerance: 1e-9))
        #expect(fitted.width.isApproximatelyEqual(to: 0.15, relativeTolerance: 1e-3))
        #expect(fitted.halfBedVolumes.isApproximatelyEqual(to: 12, relativeTolerance: 1e-3))
    }

    /// Placing the front gives the recovery asked for, and what passes plus what is kept is what was fed.
    @Test(arguments: [0.05, 0.4, 0.9])
    func placementGivesTheRecovery(recovery: Double) throws {
        let shape = ReducedBreakthrough(leakage: 0.02, width: 0.3, halfBedVolumes: 1)
        let placed = try #require(shape.placed(recovery: recovery, load: 30, porosity: 0.4))
        #expect(placed.recovery(load: 30, porosity: 0.4).isApproximatelyEqual(to: recovery, relativeTolerance: 1e-9))
        // ∫ b over [0, X] against the trapezoid rule on a fine grid.
        let x = 29.6, n = 20_000
        var sum = 0.0
        for i in 0..<n {
            let a = Double(i) * x / Double(n), b = Double(i + 1) * x / Double(n)
            sum += (placed.ratio(at: a) + placed.ratio(at: b)) / 2 * (b - a)
        }
        #expect(placed.passed(upTo: x).isApproximatelyEqual(to: sum, relativeTolerance: 1e-6))
        #expect(shape.placed(recovery: 0.99, load: 30, porosity: 0.4) == nil, "a 2 % leakage cannot give 99 %")
    }

    /// Slower mass transfer spreads the column's front, and the fitted width follows it.
    @Test func widthFollowsTheKinetics() throws {
        let slow = try #require(try ReducedBreakthrough.derive(for: Self.plant(ldfRate: 2), recovery: 0.3, cells: 20).column)
        let fast = try #require(try ReducedBreakthrough.derive(for: Self.plant(ldfRate: 20), recovery: 0.3, cells: 20).column)
        #expect(slow.width > 5 * fast.width, "\(slow.width) vs \(fast.width)")
    }

    /// The derivation takes the plant column's own front: a fresh bed of that column breaks through as the
    /// fitted curve does; and it follows the sorbent when the sorbent changes (rerun, nothing cached in it).
    @Test(arguments: [2.0, 20])
    func derivationFollowsThePlantsColumn(ldfRate: Double) throws {
        let p = Self.plant(ldfRate: ldfRate)
        let column = try DynamicSorption.freshBreakthrough(for: p, cells: 20)
        let derived = try ReducedBreakthrough.derive(for: p, recovery: 0.3, cells: 20)
        let fitted = try #require(derived.column)
        // The area between the two curves, in bed volumes: a small part of the bed volumes to breakthrough.
        var area = 0.0
        for (a, b) in zip(column, column.dropFirst()) {
            let da = abs(fitted.ratio(at: a.bedVolumes) - a.ratio), db = abs(fitted.ratio(at: b.bedVolumes) - b.ratio)
            area += (da + db) / 2 * (b.bedVolumes - a.bedVolumes)
        }
        let worst = column.map { abs(fitted.ratio(at: $0.bedVolumes) - $0.ratio) }.max() ?? .infinity
        #expect(area < 0.08 * fitted.halfBedVolumes, "area between the curves \(area) BV, front at \(fitted.halfBedVolumes) BV")
        #expect(worst < 0.12, "largest gap \(worst) of the feed")
        #expect(derived.breakthrough.recovery(load: p.dle.loadBedVolumes, porosity: p.dle.bedPorosity)
            .isApproximatelyEqual(to: 0.3, relativeTolerance: 1e-9))
        var doubled = p
        doubled.dle.sorbent.capacity *= 2
        let again = try #require(try ReducedBreakthrough.derive(for: doubled, recovery: 0.3, cells: 20).column)
        #expect(again.halfBedVolumes > 1.6 * fitted.halfBedVolumes, "\(again.halfBedVolumes) vs \(fitted.halfBedVolumes)")
    }
}
