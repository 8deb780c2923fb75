/// Per-cycle key figures of the target component (lithium: ``ColumnIsotherm/targetComponent``, 0 or 1
/// after a modulator); amounts in mol, volumes in m³.
public struct ColumnCycleKPIs: Sendable, Hashable {
    /// Target fed during load steps.
    public var fed: Double
    /// Target retained by the bed over the load steps (fed − left with the raffinate).
    public var loaded: Double
    /// Target leaving during elute steps, net of target fed with the eluent.
    public var eluted: Double
    /// Net eluted over fed during loading.
    public var recovery: Double
    /// Volume collected as eluate.
    public var eluateVolume: Double
    /// Mean target concentration of the eluate, mol/m³.
    public var eluateConcentration: Double
    /// Moles of each component per mole of target in the eluate (1 at the target's index).
    public var impurityRatios: [Double]
    /// Wash and eluent volume used.
    public var waterUsed: Double
    /// Load volume over bed volume.
    public var bedVolumesProcessed: Double
    /// Largest |Δinventory + out − in| / in over components, for the whole cycle.
    public var massBalanceError: Double
}

extension ColumnCycleKPIs {
    /// KPIs from the steps of one cycle (mass balance left at 0 for the caller to fill in).
    static func from(
        steps results: [ColumnStepResult], bedVolume: Double, componentCount nc: Int, target: Int
    ) -> ColumnCycleKPIs {
        func sum(_ kind: ColumnStepKind, _ value: (ColumnStepResult) -> Double) -> Double {
            results.filter { $0.kind == kind }.reduce(0) { $0 + value($1) }
        }
        let fed = sum(.load) { $0.fed[target] }
        let loaded = fed - sum(.load) { $0.out[target] }
        let eluted = sum(.elute) { $0.out[target] - $0.fed[target] }
        let eluateVolume = sum(.elute) { $0.volume }
        let elutedByComponent = (0..<nc).map { k in sum(.elute) { $0.out[k] } }
        return ColumnCycleKPIs(
            fed: fed, loaded: loaded, eluted: eluted, recovery: fed > 0 ? eluted / fed : 0,
            eluateVolume: eluateVolume,
            eluateConcentration: eluateVolume > 0 ? elutedByComponent[target] / eluateVolume : 0,
            impurityRatios: elutedByComponent.map { elutedByComponent[target] > 0 ? $0 / elutedByComponent[target] : 0 },
            waterUsed: sum(.wash) { $0.volume } + eluateVolume,
            bedVolumesProcessed: sum(.load) { $0.volume } / bedVolume,
            massBalanceError: 0)
    }
}

/// One cycle: its steps and KPIs.
public struct ColumnCycleResult: Sendable, Hashable {
    public var index: Int
    public var steps: [ColumnStepResult]
    public var kpis: ColumnCycleKPIs
    /// Capacity factor used in this cycle (1 = new sorbent).
    public var capacityFactor: Double
    public var statistics: ColumnSolverStatistics
}

/// Result of iterating cycles towards cyclic steady state.
public struct ColumnCyclicSteadyState: Sendable {
    public var cycles: [ColumnCycleResult]
    /// Whether the state change over the last cycle fell below the tolerance.
    public var converged: Bool
    /// Max-norm change of the scaled state over the last cycle.
    public var lastChange: Double
}

extension ColumnSimulator {
    /// Runs one cycle of `schedule` and computes its KPIs.
    /// - Throws: ``ColumnError`` from any step.
    public mutating func runCycle(_ schedule: ColumnCycleSchedule, index: Int = 0) throws -> ColumnCycleResult {
        let nc = model.componentCount
        let before = (0..<nc).map { inventory(component: $0) }
        var results: [ColumnStepResult] = []
        var statistics = ColumnSolverStatistics()
        for step in schedule.steps {
            let result = try run(step)
            statistics += result.statistics
            results.append(result)
        }
        let after = (0..<nc).map { inventory(component: $0) }
        var balance = 0.0
        for k in 0..<nc {
            let fedTotal = results.reduce(0) { $0 + $1.fed[k] }
            let outTotal = results.reduce(0) { $0 + $1.out[k] }
            let scale = max(fedTotal, outTotal, abs(before[k]), 1e-300)
            balance = max(balance, abs(after[k] - before[k] + outTotal - fedTotal) / scale)
        }
        var kpis = ColumnCycleKPIs.from(
            steps: results, bedVolume: model.geometry.bedVolume, componentCount: nc,
            target: model.isotherm.targetComponent)
        kpis.massBalanceError = balance
        return ColumnCycleResult(index: index, steps: results, kpis: kpis, capacityFactor: capacityFactor, statistics: statistics)
    }

    /// Runs `count` cycles, applying the schedule's capacity fade after each.
    public mutating func runCycles(_ schedule: ColumnCycleSchedule, count: Int) throws -> [ColumnCycleResult] {
        precondition(count >= 1)
        var results: [ColumnCycleResult] = []
        for index in 0..<count {
            results.append(try runCycle(schedule, index: index))
            capacityFactor *= 1 - schedule.capacityFadePerCycle
        }
        return results
    }

    /// Repeats cycles until the bed's state at the end of a cycle changes by less than
    /// `tolerance` (max norm, liquid scaled by ``componentScales`` or ``concentrationScale``, solid by
    /// capacity), or
    /// `maximumCycles` have run. Capacity fade is not applied: a fading bed has no steady state.
    public mutating func runToCyclicSteadyState(
        _ schedule: ColumnCycleSchedule, tolerance: Double = 1e-6, maximumCycles: Int = 50
    ) throws -> ColumnCyclicSteadyState {
        precondition(tolerance > 0 && maximumCycles >= 1)
        var results: [ColumnCycleResult] = []
        var change = Double.infinity
        let nc = model.componentCount
        let rates = model.isotherm.evaluated(at: model.isotherm.referenceTemperature, capacityFactor: capacityFactor)
        let scales = componentScales ?? Array(repeating: concentrationScale, count: nc)
        for index in 0..<maximumCycles {
            let start = state
            results.append(try runCycle(schedule, index: index))
            change = 0
            for j in 0..<model.cells {
                for k in 0..<nc {
                    let c = model.cIndex(j, k), q = model.qIndex(j, k)
                    change = max(change, abs(state[c] - start[c]) / scales[k])
                    let qScale = rates.capacity[k] > 0 ? rates.capacity[k] : scales[k]
                    change = max(change, abs(state[q] - start[q]) / qScale)
                }
            }
            if change <= tolerance { return ColumnCyclicSteadyState(cycles: results, converged: true, lastChange: change) }
        }
        return ColumnCyclicSteadyState(cycles: results, converged: false, lastChange: change)
    }
}

/// Helpers on sampled curves.
public enum ColumnCurve {
    /// First time at which a curve of (time, value) pairs rises through `level` (linear
    /// interpolation between samples), or nil.
    public static func crossing(_ curve: [(Double, Double)], level: Double) -> Double? {
        var previous: (Double, Double)? = nil
        for point in curve {
            if let p = previous, p.1 < level, point.1 >= level {
                return p.0 + (level - p.1) / (point.1 - p.1) * (point.0 - p.0)
            }
            previous = point
        }
        return nil
    }
}
