import Numerics
import Testing

@testable import ProcessModel

/// The mobile-phase-modulator Langmuir law (component 0 the salt) against its analytic limits: with the
/// salt held constant it is the plain Langmuir law with effective parameters, so the exact Thomas
/// solution holds; with γ = β = 0 the salt has no effect at all; mass closes for Li and salt alike.
@Suite struct ColumnModulatorTests {
    typealias Case = ColumnBenchmarkCase

    /// Salt concentration of the constant-salt tests, mol/m³.
    static let salt = 1000.0
    /// Seconds of salt-only flow that fill the clean bed with salt before Li is fed (10.4 residence times).
    static let presaturation = 1500.0

    /// A Li binding whose effective parameters at `salt` are the benchmark's K = 0.15 m³/mol and
    /// k_d = 1e-3 1/s: K·e^{γc₀}/c₀^β = 0.15 and k_d·c₀^β = 1e-3.
    static func binding(gamma: Double, beta: Double) -> ColumnBinding {
        let growth = Double.exp(gamma * salt), power = Double.pow(salt, beta)
        return ColumnBinding(
            capacity: Case.capacity, affinity: Case.affinity * power / growth, desorptionRate: Case.desorptionRate / power,
            ldfRate: Case.ldfRate, modulatorGamma: gamma, modulatorBeta: beta)
    }

    /// Runs steps on a modulated plug-flow column and returns the Li outlet as (time, c/c_feed).
    static func run(
        _ isotherm: ColumnIsotherm, _ steps: [ColumnStep], cells: Int, sample: Double, dispersion: Double = 0,
        relative: Double = 1e-7
    ) throws -> (curve: [(Double, Double)], cycle: ColumnCycleResult) {
        let model = ColumnModel(geometry: Case.thomas.geometry, dispersion: dispersion, isotherm: isotherm, cells: cells)
        var simulator = ColumnSimulator(
            model: model, tolerances: ColumnTolerances(relative: relative), sampleInterval: sample,
            concentrationScale: Case.feed)
        let cycle = try simulator.runCycle(ColumnCycleSchedule(steps: steps))
        let target = isotherm.targetComponent
        return (simulator.samples.map { ($0.time, $0.concentrations[target] / Case.feed) }, cycle)
    }

    static func step(_ name: String, salt: Double, li: Double, seconds: Double) -> ColumnStep {
        ColumnStep(
            name: name, kind: .load, flow: ColumnFlow(superficialVelocity: Case.superficialVelocity, inlet: [salt, li]),
            end: .duration(seconds))
    }

    /// Bed filled with salt, then salt and Li fed together: the Li outlet is the exact Thomas curve of the
    /// effective parameters, and it converges to it at the scheme's order (as the plain law does).
    @Test func constantSaltIsThomasWithEffectiveParameters() throws {
        let isotherm = ColumnIsotherm(
            components: [.inert, Self.binding(gamma: 1e-3, beta: 0.5)], kinetics: .kineticLangmuir, modulated: true)
        let steps = [
            Self.step("salt", salt: Self.salt, li: 0, seconds: Self.presaturation),
            Self.step("load", salt: Self.salt, li: Case.feed, seconds: 12_000),
        ]
        var errors: [Double] = []
        for cells in [20, 40, 80] {
            let curve = try Self.run(isotherm, steps, cells: cells, sample: 50).curve
            errors.append(
                curve.filter { $0.0 > Self.presaturation }
                    .map { abs($0.1 - Case.thomas.reference(time: $0.0 - Self.presaturation)!) }.max()!)
        }
        let orders = (0..<2).map { Double.log2(errors[$0] / errors[$0 + 1]) }
        #expect(orders.allSatisfy { $0 > 1.8 }, "errors \(errors), orders \(orders)")
        #expect(errors[2] < 1e-3)
    }

    /// γ = β = 0: salt fronts passing through the bed change nothing; the Li outlet stays the Thomas curve
    /// of the plain law (same error as ColumnValidationTests' 40-cell Thomas run).
    @Test func neutralModulatorLeavesLangmuirUnchanged() throws {
        let binding = ColumnBinding(capacity: Case.capacity, affinity: Case.affinity, desorptionRate: Case.desorptionRate)
        let isotherm = ColumnIsotherm(components: [.inert, binding], kinetics: .kineticLangmuir, modulated: true)
        let steps = [
            Self.step("brine", salt: 1700, li: Case.feed, seconds: 5000),
            Self.step("fresh", salt: 0, li: Case.feed, seconds: 7000),
        ]
        let modulated = try Self.run(isotherm, steps, cells: 40, sample: 50).curve
        let plain = try ColumnValidationTests.outlet(.thomas, cells: 40, scheme: .koren, sample: 50, relative: 1e-7).curve
        let error = modulated.map { abs($0.1 - Case.thomas.reference(time: $0.0)!) }.max()!
        let plainError = ColumnValidationTests.maxError(.thomas, plain)
        #expect(abs(error - plainError) < 1e-5, "modulated \(error), plain \(plainError)")
        #expect(error < 5e-3)
    }

    /// The LDF variant at constant salt is the plain LDF law with the effective affinity, on the same grid.
    @Test func constantSaltLDFIsPlainLDF() throws {
        let isotherm = ColumnIsotherm(
            components: [.inert, Self.binding(gamma: 1e-3, beta: 0.5)], kinetics: .linearDrivingForce, modulated: true)
        let steps = [
            Self.step("salt", salt: Self.salt, li: 0, seconds: Self.presaturation),
            Self.step("load", salt: Self.salt, li: Case.feed, seconds: Case.loadTime),
        ]
        let modulated = try Self.run(isotherm, steps, cells: 40, sample: 50).curve.filter { $0.0 > Self.presaturation }
        let plain = try ColumnValidationTests.outlet(.ldf, cells: 40, scheme: .koren, sample: 50, relative: 1e-7).curve
        let byTime = Dictionary(uniqueKeysWithValues: plain.map { (Int($0.0.rounded()), $0.1) })
        let difference = modulated.map { abs($0.1 - byTime[Int(($0.0 - Self.presaturation).rounded())]!) }.max()!
        #expect(difference < 2e-4, "max difference \(difference)")
        #expect(modulated.last!.1 > 0.99)
    }

    /// The equilibrium of the modulated law, `q_max K e^{γc₀} c₀^{−β} c / (1 + …)`, and its van 't Hoff
    /// temperature dependence, which multiplies the affinity whatever the salt.
    @Test func equilibriumIsTheModulatedLangmuirIsotherm() {
        let li = ColumnBinding(
            capacity: 1000, affinity: 2e-3, desorptionRate: 1e-3, adsorptionEnthalpy: -20_000, modulatorGamma: 2.5e-3,
            modulatorBeta: 0.5)
        let isotherm = ColumnIsotherm(components: [.inert, li], kinetics: .kineticLangmuir, modulated: true)
        for (salt, c) in [(1700.0, 25.0), (300.0, 2.0), (1e-3, 100.0)] {
            let k: Double = 2e-3 * Double.exp(2.5e-3 * salt) / Double.pow(salt, 0.5)
            let q = isotherm.equilibrium([salt, c])
            let expected: Double = 1000 * k * c / (1 + k * c)
            #expect(q[0] == 0)
            #expect(q[1].isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
        }
        // Linear range (K c ≪ 1): q scales with the van 't Hoff factor at any salt.
        let hot = 353.15, factor = Double.exp(20_000 / ColumnIsotherm.gasConstant * (1 / hot - 1 / 298.15))
        for salt in [100.0, 1700.0] {
            let ratio = isotherm.equilibrium([salt, 1e-6], temperature: hot)[1] / isotherm.equilibrium([salt, 1e-6])[1]
            #expect(ratio.isApproximatelyEqual(to: factor, relativeTolerance: 1e-6))
        }
        // Without a modulator flag, γ and β are ignored.
        let plain = ColumnIsotherm(components: [li], kinetics: .kineticLangmuir)
        let expected: Double = 1000 * 2e-3 * 10 / (1 + 2e-3 * 10)
        #expect(plain.equilibrium([10])[0].isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
    }

    /// The `salt` benchmark case with its water split at 10 BV: Li and chloride both close to round-off;
    /// water strips within 10 BV what a constant (brine) affinity holds on, and the eluate comes out more
    /// concentrated than the brine.
    @Test func brineLoadsAndWaterElutes() throws {
        var steps = Case.salt.steps
        steps[2].end = .bedVolumes(10)
        steps.append(ColumnStep(name: "water tail", kind: .elute, flow: steps[2].flow, end: .bedVolumes(28)))
        func run(_ isotherm: ColumnIsotherm) throws -> (cycle: ColumnCycleResult, peak: Double, firstTenBV: Double) {
            let model = ColumnModel(geometry: Case.salt.geometry, dispersion: Case.dispersion, isotherm: isotherm, cells: 40)
            var simulator = ColumnSimulator(
                model: model, tolerances: ColumnTolerances(relative: 1e-6), sampleInterval: 10,
                concentrationScale: Case.feed)
            simulator.componentScales = Case.salt.componentScales
            let cycle = try simulator.runCycle(ColumnCycleSchedule(steps: steps))
            let onBed = cycle.steps[0].fed[1] - cycle.steps[0].out[1] - cycle.steps[1].out[1]
            #expect(cycle.kpis.massBalanceError < 1e-9)
            return (cycle, simulator.samples.map { $0.concentrations[1] }.max()! / Case.feed, cycle.steps[2].out[1] / onBed)
        }
        let modulated = try run(Case.salt.isotherm)
        #expect(modulated.firstTenBV > 0.95, "10 BV of water eluted \(modulated.firstTenBV) of the Li on the bed")
        #expect(modulated.peak > 3, "eluate peak \(modulated.peak) × feed")
        // The same bed with the brine's affinity fixed (γ = 0, K = 0.140 m³/mol).
        var isotherm = Case.salt.isotherm
        isotherm.components[1].affinity *= Double.exp(Case.modulatorGamma * Case.brineChloride)
        isotherm.components[1].modulatorGamma = 0
        let fixed = try run(isotherm)
        #expect(fixed.firstTenBV < 0.5, "constant affinity: 10 BV of water eluted \(fixed.firstTenBV)")
        #expect(fixed.peak < 1.01)
    }
}
