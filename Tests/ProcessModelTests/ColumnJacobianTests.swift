import Numerics
import Testing

@testable import ProcessModel

/// The analytic banded Jacobian against central finite differences of the right-hand side.
@Suite struct ColumnJacobianTests {
    static let cases: [(ColumnScheme, ColumnKinetics, Bool)] = [
        (.upwind, .kineticLangmuir, false), (.koren, .kineticLangmuir, false), (.thirdOrder, .kineticLangmuir, false),
        (.koren, .linearDrivingForce, false), (.thirdOrder, .linearDrivingForce, true), (.koren, .kineticLangmuir, true),
    ]

    @Test(arguments: 0..<cases.count)
    func jacobianMatchesFiniteDifferences(caseIndex: Int) {
        let (scheme, kinetics, reversed) = Self.cases[caseIndex]
        let isotherm = ColumnIsotherm(
            components: [
                ColumnBinding(capacity: 1000, affinity: 0.15, desorptionRate: 1e-3, ldfRate: 5e-3),
                ColumnBinding(capacity: 800, affinity: 0.01, desorptionRate: 2e-3, ldfRate: 8e-3),
                .inert,
            ],
            kinetics: kinetics)
        let worst = Self.worstMismatch(isotherm: isotherm, scheme: scheme, reversed: reversed)
        #expect(worst < 1e-5, "largest relative mismatch \(worst) for \(scheme), \(kinetics), reversed \(reversed)")
    }

    /// The mobile-phase-modulator law (component 0 the salt), with and without β, in both kinetic forms:
    /// the salt column of each binding row is where a slip would show.
    @Test(arguments: [ColumnKinetics.kineticLangmuir, .linearDrivingForce], [0.0, 0.5, 1.5])
    func modulatedJacobianMatchesFiniteDifferences(kinetics: ColumnKinetics, beta: Double) {
        let isotherm = ColumnIsotherm(
            components: [
                .inert,
                ColumnBinding(capacity: 1000, affinity: 2e-3, desorptionRate: 1e-3, ldfRate: 5e-3,
                              modulatorGamma: 2.5e-3, modulatorBeta: beta),
                ColumnBinding(capacity: 800, affinity: 1e-3, desorptionRate: 2e-3, ldfRate: 8e-3,
                              modulatorGamma: 1e-3, modulatorBeta: beta / 2),
            ],
            kinetics: kinetics, modulated: true)
        let worst = Self.worstMismatch(isotherm: isotherm, scheme: .koren, reversed: false, salt: true)
        #expect(worst < 1e-5, "largest relative mismatch \(worst) for \(kinetics), β \(beta)")
    }

    /// Largest relative difference between the analytic Jacobian and central differences of the
    /// right-hand side, on a 9-cell column with three components; checks that nothing lies outside the
    /// band. With `salt`, component 0 holds a positive, varying salt profile.
    static func worstMismatch(isotherm: ColumnIsotherm, scheme: ColumnScheme, reversed: Bool, salt: Bool = false) -> Double {
        let model = ColumnModel(
            geometry: ColumnGeometry(length: 1, area: 0.01, voidage: 0.4), dispersion: 5e-6, isotherm: isotherm,
            cells: 9, scheme: scheme)
        let flow = ColumnFlow(superficialVelocity: 10.0 / 3600, inlet: salt ? [1500, 25, 300] : [25, 300, 10], reversed: reversed)
        let system = ColumnSystem(model: model, flow: flow, capacityFactor: 0.9)
        // A smooth, non-monotone state so that every limiter branch is visited; the finite
        // difference step is far smaller than the distance to any branch point.
        var y = Array(repeating: 0.0, count: model.stateCount)
        for j in 0..<model.cells {
            for k in 0..<3 {
                let x = Double(j) + 0.37 * Double(k)
                y[model.cIndex(j, k)] = 10 + 8 * Double.sin(0.9 * x) + Double(k)
                y[model.qIndex(j, k)] = isotherm.components[k].capacity == 0 ? 0 : 200 + 90 * Double.cos(0.7 * x)
            }
            if salt { y[model.cIndex(j, 0)] = 900 + 600 * Double.sin(0.5 * Double(j)) }
        }
        var jacobian = ColumnBlockMatrix(layout: system.layout)
        var couplings: [ColumnCoupling] = []
        system.jacobian(y, into: &jacobian, couplings: &couplings)
        // The outflow integrals' rows live beside the band.
        func entry(_ row: Int, _ column: Int) -> Double {
            jacobian[row, column] + couplings.filter { $0.row == row && $0.column == column }.reduce(0) { $0 + $1.value }
        }
        var plus = y, minus = y
        var fPlus = y, fMinus = y
        var worst = 0.0
        for column in 0..<model.stateCount {
            let step = 1e-6 * max(1, abs(y[column]))
            plus[column] += step
            minus[column] -= step
            system.rhs(plus, &fPlus)
            system.rhs(minus, &fMinus)
            plus[column] = y[column]
            minus[column] = y[column]
            for row in 0..<model.stateCount {
                let numeric = (fPlus[row] - fMinus[row]) / (2 * step)
                let analytic = entry(row, column)
                // Central differences of a large right-hand side carry rounding of about ε·|f|/step: the
                // salt-modulated rows reach |f| ≈ 1e4, where that is above the 1e-5 test on small entries.
                let rounding = 64 * Double.ulpOfOne * max(abs(fPlus[row]), abs(fMinus[row])) / step
                worst = max(worst, max(0, abs(numeric - analytic) - rounding) / max(1e-3, abs(numeric)))
                let outflowRow = (0..<3).contains { row == model.outflowIndex(atInlet: true, $0) || row == model.outflowIndex(atInlet: false, $0) }
                if !outflowRow && !Self.representable(row, column, in: jacobian.layout) {
                    #expect(abs(numeric) < 1e-9, "entry (\(row), \(column)) outside the blocks' bands is \(numeric)")
                }
            }
        }
        return worst
    }

    /// Whether the block layout can hold an entry at (row, column): inside the free or the coupled band, or a
    /// coupled row's entry in a free column (the layout is block lower triangular).
    static func representable(_ row: Int, _ column: Int, in layout: ColumnBlockLayout) -> Bool {
        let r = layout.local[row], c = layout.local[column]
        switch (layout.kind[row], layout.kind[column]) {
        case (.free, .free): return c - r <= layout.freeBandwidth.upper && r - c <= layout.freeBandwidth.lower
        case (.coupled, .coupled): return c - r <= layout.coupledBandwidth.upper && r - c <= layout.coupledBandwidth.lower
        case (.coupled, .free): return true
        default: return false
        }
    }

    /// Transport and binding conserve mass: Σ h(c + F q) + outflow has zero derivative apart
    /// from the inflow v·c_in, for any state.
    @Test func semiDiscreteSystemIsConservative() {
        let model = ColumnBenchmarkCase.dle.model(cells: 7)
        let flow = ColumnFlow(superficialVelocity: 10.0 / 3600, inlet: [ColumnBenchmarkCase.feed])
        let system = ColumnSystem(model: model, flow: flow, capacityFactor: 1)
        var y = Array(repeating: 0.0, count: model.stateCount)
        for j in 0..<model.cells {
            y[model.cIndex(j, 0)] = Double(j * j) + 1
            y[model.qIndex(j, 0)] = 100 * Double(j)
        }
        var dy = y
        system.rhs(y, &dy)
        let h = model.geometry.length / Double(model.cells), f = model.geometry.phaseRatio
        var total = dy[model.outflowIndex(atInlet: false, 0)] + dy[model.outflowIndex(atInlet: true, 0)]
        for j in 0..<model.cells { total += h * (dy[model.cIndex(j, 0)] + f * dy[model.qIndex(j, 0)]) }
        let inflow = ColumnBenchmarkCase.interstitialVelocity * ColumnBenchmarkCase.feed
        #expect(total.isApproximatelyEqual(to: inflow, relativeTolerance: 1e-12))
    }
}
