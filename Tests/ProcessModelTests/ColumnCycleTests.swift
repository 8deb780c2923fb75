import Numerics
import Testing

@testable import ProcessModel

/// Multi-component behaviour, temperature, the step scheduler, cycles and flow reversal.
@Suite struct ColumnCycleTests {
    static let geometry = ColumnGeometry(length: 1, area: 0.01, voidage: 0.4)
    static let velocity = 10.0 / 3600
    static let li = ColumnBinding(capacity: 1037.31, affinity: 0.15, desorptionRate: 1e-3, ldfRate: 5e-3)
    static let feedLi = 25.9329

    static func simulator(_ isotherm: ColumnIsotherm, cells: Int = 24, dispersion: Double = 5e-6, relative: Double = 1e-6) -> ColumnSimulator {
        ColumnSimulator(
            model: ColumnModel(geometry: geometry, dispersion: dispersion, isotherm: isotherm, cells: cells),
            tolerances: ColumnTolerances(relative: relative), sampleInterval: 20, concentrationScale: feedLi)
    }

    static func load(_ inlet: [Double], _ end: ColumnStepEnd, temperature: Double = 298.15) -> ColumnStep {
        ColumnStep(name: "load", kind: .load, flow: ColumnFlow(superficialVelocity: velocity, inlet: inlet, temperature: temperature), end: end)
    }

    /// Competitive Langmuir: sodium binds weakly, breaks through first and is pushed out by
    /// lithium, so its outlet concentration rises above its feed (roll-up) before settling back.
    @Test(arguments: ColumnKinetics.allCases)
    func weakerSpeciesRollsUp(kinetics: ColumnKinetics) throws {
        let na = ColumnBinding(capacity: 1037.31, affinity: 0.002, desorptionRate: 5e-3, ldfRate: 2e-2)
        var simulator = Self.simulator(ColumnIsotherm(components: [Self.li, na], kinetics: kinetics))
        let feedNa = 1000.0
        _ = try simulator.run(Self.load([Self.feedLi, feedNa], .duration(10_800)))
        let naOut = simulator.samples.map { $0.concentrations[1] / feedNa }
        let peak = try #require(naOut.max())
        let peakTime = simulator.samples[naOut.firstIndex(of: peak)!].time
        #expect(peak > 1.01, "Na outlet peaks at \(peak) of feed")
        #expect(peakTime < ColumnBenchmarkCase.stoichiometricTime, "Na peak at \(peakTime) s")
        #expect(abs(naOut.last! - 1) < 0.01, "Na returns to its feed once Li saturates the bed")
    }

    /// A second component with zero affinity leaves lithium exactly as in the single-component
    /// model: the right-hand side agrees to round-off, and so do the outlet curves.
    @Test func zeroSelectivityReducesToSingleComponent() throws {
        let inertNa = ColumnBinding(capacity: 800, affinity: 0, desorptionRate: 1e-3, ldfRate: 5e-3)
        for kinetics in ColumnKinetics.allCases {
            let single = ColumnModel(geometry: Self.geometry, dispersion: 5e-6, isotherm: ColumnIsotherm(components: [Self.li], kinetics: kinetics), cells: 6)
            let pair = ColumnModel(geometry: Self.geometry, dispersion: 5e-6, isotherm: ColumnIsotherm(components: [Self.li, inertNa], kinetics: kinetics), cells: 6)
            var y1 = Array(repeating: 0.0, count: single.stateCount), y2 = Array(repeating: 0.0, count: pair.stateCount)
            for j in 0..<6 {
                y1[single.cIndex(j, 0)] = 20 - Double(j * j) * 0.5
                y1[single.qIndex(j, 0)] = 700 - 90 * Double(j)
                y2[pair.cIndex(j, 0)] = y1[single.cIndex(j, 0)]
                y2[pair.qIndex(j, 0)] = y1[single.qIndex(j, 0)]
                y2[pair.cIndex(j, 1)] = 300
            }
            var d1 = y1, d2 = y2
            ColumnSystem(model: single, flow: ColumnFlow(superficialVelocity: Self.velocity, inlet: [Self.feedLi]), capacityFactor: 1).rhs(y1, &d1)
            ColumnSystem(model: pair, flow: ColumnFlow(superficialVelocity: Self.velocity, inlet: [Self.feedLi, 300]), capacityFactor: 1).rhs(y2, &d2)
            for j in 0..<6 {
                #expect(d1[single.cIndex(j, 0)].isApproximatelyEqual(to: d2[pair.cIndex(j, 0)], relativeTolerance: 1e-13))
                #expect(d1[single.qIndex(j, 0)].isApproximatelyEqual(to: d2[pair.qIndex(j, 0)], relativeTolerance: 1e-13))
            }
        }
        var one = Self.simulator(ColumnIsotherm(components: [Self.li], kinetics: .linearDrivingForce), cells: 16, relative: 1e-7)
        var two = Self.simulator(ColumnIsotherm(components: [Self.li, inertNa], kinetics: .linearDrivingForce), cells: 16, relative: 1e-7)
        _ = try one.run(Self.load([Self.feedLi], .duration(9000)))
        _ = try two.run(Self.load([Self.feedLi, 300], .duration(9000)))
        let gap = zip(one.samples, two.samples).map { abs($0.concentrations[0] - $1.concentrations[0]) / Self.feedLi }.max()!
        #expect(gap < 1e-5, "largest difference \(gap)")
    }

    /// Exothermic uptake (ΔH < 0) binds less when hot: van 't Hoff factor and earlier breakthrough.
    @Test func temperatureLowersAffinity() throws {
        var hotLi = Self.li
        hotLi.adsorptionEnthalpy = -20_000
        let isotherm = ColumnIsotherm(components: [hotLi], kinetics: .linearDrivingForce, referenceTemperature: 298.15)
        let cold = isotherm.equilibrium([Self.feedLi], temperature: 298.15)[0]
        let hot = isotherm.equilibrium([Self.feedLi], temperature: 333.15)[0]
        // K(333.15 K)/K(298.15 K) = exp(20000/8.314462618 · (1/333.15 − 1/298.15)) = 0.42845.
        let k = 0.15 * 0.42845
        #expect(hot.isApproximatelyEqual(to: 1037.31 * k * Self.feedLi / (1 + k * Self.feedLi), relativeTolerance: 1e-4))
        #expect(cold.isApproximatelyEqual(to: 1037.31 * 0.15 * Self.feedLi / (1 + 0.15 * Self.feedLi), relativeTolerance: 1e-12))
        var times: [Double] = []
        for temperature in [298.15, 333.15] {
            var simulator = Self.simulator(isotherm)
            let result = try simulator.run(Self.load([Self.feedLi], .breakthrough(component: 0, fraction: 0.5, maximumDuration: 20_000), temperature: temperature))
            #expect(result.breakthroughReached)
            times.append(result.end)
        }
        #expect(times[1] < times[0] * 0.95, "50 % breakthrough at \(times)")
    }

    /// A breakthrough end stops the step where the outlet crosses the threshold; a bed-volume end
    /// stops after exactly that volume.
    @Test func stepEndsByBreakthroughAndBedVolumes() throws {
        var simulator = Self.simulator(ColumnIsotherm(components: [Self.li], kinetics: .kineticLangmuir))
        let result = try simulator.run(Self.load([Self.feedLi], .breakthrough(component: 0, fraction: 0.05, maximumDuration: 20_000)))
        #expect(result.breakthroughReached)
        let system = ColumnSystem(model: simulator.model, flow: ColumnFlow(superficialVelocity: Self.velocity, inlet: [Self.feedLi]), capacityFactor: 1)
        let outlet = system.outletConcentration(simulator.stateVector, 0) / Self.feedLi
        #expect(abs(outlet - 0.05) < 1e-4, "outlet at the end is \(outlet) of feed")
        // The same bed run on a clock crosses 5 % at the same time.
        var timed = Self.simulator(ColumnIsotherm(components: [Self.li], kinetics: .kineticLangmuir))
        _ = try timed.run(Self.load([Self.feedLi], .duration(8000)))
        let crossing = try #require(ColumnCurve.crossing(timed.samples.map { ($0.time, $0.concentrations[0] / Self.feedLi) }, level: 0.05))
        #expect(abs(crossing - result.end) < 5, "event at \(result.end) s, sampled crossing \(crossing) s")

        var byVolume = Self.simulator(ColumnIsotherm(components: [Self.li], kinetics: .kineticLangmuir))
        let step = try byVolume.run(Self.load([Self.feedLi], .bedVolumes(12)))
        #expect(step.end.isApproximatelyEqual(to: 12 * 0.01 / (Self.velocity * 0.01), relativeTolerance: 1e-12))
        #expect(step.volume.isApproximatelyEqual(to: 0.12, relativeTolerance: 1e-12))
    }

    static var cycle: ColumnCycleSchedule {
        let water = ColumnFlow(superficialVelocity: Self.velocity, inlet: [1.0])  // a little LiCl stabilises LDH (docs/sources.md §2.2)
        return ColumnCycleSchedule(steps: [
            load([feedLi], .breakthrough(component: 0, fraction: 0.2, maximumDuration: 20_000)),
            ColumnStep(name: "elute", kind: .elute, flow: water, end: .bedVolumes(15)),
        ])
    }

    /// Cycles converge to a cyclic steady state in which what loads also elutes, and every
    /// cycle closes its mass balance.
    @Test func cyclesReachCyclicSteadyState() throws {
        var simulator = Self.simulator(ColumnIsotherm(components: [Self.li], kinetics: .linearDrivingForce), cells: 16)
        let result = try simulator.runToCyclicSteadyState(Self.cycle, tolerance: 1e-3, maximumCycles: 25)
        #expect(result.converged, "change \(result.lastChange) after \(result.cycles.count) cycles")
        #expect(result.cycles.count > 1)
        for cycle in result.cycles { #expect(cycle.kpis.massBalanceError < 1e-6) }
        let last = try #require(result.cycles.last).kpis
        #expect(abs(last.loaded - last.eluted) / last.loaded < 0.01, "loaded \(last.loaded) mol, eluted \(last.eluted) mol")
        #expect(last.eluateVolume.isApproximatelyEqual(to: 0.15, relativeTolerance: 1e-12))
        #expect(last.waterUsed.isApproximatelyEqual(to: 0.15, relativeTolerance: 1e-12))
        // The first cycle starts from a clean bed and loads more than the cyclic steady state.
        #expect(result.cycles[0].kpis.loaded > last.loaded)
    }

    /// Capacity fade shrinks each cycle's capacity geometrically, and with it the lithium loaded.
    @Test func capacityFadeReducesLoading() throws {
        var schedule = ColumnCycleSchedule(steps: [
            Self.load([Self.feedLi], .duration(9000)),
            ColumnStep(name: "elute", kind: .elute, flow: ColumnFlow(superficialVelocity: Self.velocity, inlet: [0]), end: .bedVolumes(30)),
        ])
        schedule.capacityFadePerCycle = 0.1
        var simulator = Self.simulator(ColumnIsotherm(components: [Self.li], kinetics: .linearDrivingForce), cells: 12)
        let cycles = try simulator.runCycles(schedule, count: 3)
        #expect(cycles.map(\.capacityFactor).enumerated().allSatisfy { $1.isApproximatelyEqual(to: Double.pow(0.9, $0), relativeTolerance: 1e-12) })
        #expect(cycles[1].kpis.loaded < cycles[0].kpis.loaded && cycles[2].kpis.loaded < cycles[1].kpis.loaded)
    }

    /// A budget too small for the step makes the simulator throw a typed error, not loop.
    @Test func simulatorThrowsWhenTheBudgetRunsOut() {
        var simulator = ColumnSimulator(
            model: ColumnBenchmarkCase.dle.model(cells: 10), tolerances: ColumnTolerances(maximumSteps: 20),
            concentrationScale: Self.feedLi)
        do {
            _ = try simulator.run(Self.load([Self.feedLi], .duration(10_800)))
            Issue.record("20 steps cannot cover a 3-hour load")
        } catch ColumnError.stepBudgetExhausted {
            // expected
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Reversed flow is the mirror image of forward flow: same outlet curve, mirrored profile.
    @Test func reversedFlowMirrorsForwardFlow() throws {
        let isotherm = ColumnIsotherm(components: [Self.li], kinetics: .kineticLangmuir)
        var forward = Self.simulator(isotherm, cells: 15)
        var backward = Self.simulator(isotherm, cells: 15)
        let flow = ColumnFlow(superficialVelocity: Self.velocity, inlet: [Self.feedLi])
        var reversed = flow
        reversed.reversed = true
        let a = try forward.run(ColumnStep(name: "f", kind: .load, flow: flow, end: .duration(6000)))
        let b = try backward.run(ColumnStep(name: "b", kind: .load, flow: reversed, end: .duration(6000)))
        // Mirrored arithmetic rounds differently, and error control amplifies that to the
        // tolerance level; a real asymmetry would show at O(1).
        #expect(a.out[0] >= 0)
        #expect(a.out[0].isApproximatelyEqual(to: b.out[0], absoluteTolerance: 1e-6 * a.fed[0]))
        let p = forward.solidProfile(component: 0), q = backward.solidProfile(component: 0)
        for j in 0..<15 { #expect(abs(p[j] - q[14 - j]) <= 1e-6 * (abs(p[j]) + 1), "cell \(j): \(p[j]) vs \(q[14 - j])") }
    }
}
