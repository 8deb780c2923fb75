/// Runs a ``ColumnModel`` through steps and cycles, keeping the bed's state between them.
///
/// ```swift
/// var simulator = ColumnSimulator(model: model, sampleInterval: 10)
/// let load = try simulator.run(ColumnStep(name: "load", kind: .load, flow: feed, end: .bedVolumes(30)))
/// print(simulator.samples.last!.concentrations)
/// ```
public struct ColumnSimulator: Sendable {
    public let model: ColumnModel
    public var tolerances: ColumnTolerances
    /// Spacing of the recorded outlet samples, s; `nil` records one sample per accepted step.
    public var sampleInterval: Double?
    /// Times (s since the start of the run, ascending) at which to record outlet samples instead of
    /// every ``sampleInterval``: the times of measured points, for calibration.
    public var sampleTimes: [Double]? {
        didSet { precondition(sampleTimes.map { zip($0, $0.dropFirst()).allSatisfy { $0 <= $1 } } ?? true) }
    }
    /// Scale of liquid concentrations for the absolute tolerance, mol/m³ (e.g. the feed).
    public var concentrationScale: Double
    /// Scale of each component's liquid concentration, mol/m³, when they differ (a salt at 1,700 mol/m³
    /// beside Li at 26): its absolute tolerance and limiter floor follow it. `nil` uses
    /// ``concentrationScale`` for every component.
    public var componentScales: [Double]? {
        didSet { precondition(componentScales.map { $0.count == model.componentCount && $0.allSatisfy { $0 > 0 } } ?? true) }
    }
    /// Capacity of the sorbent relative to new (1 = new).
    public var capacityFactor: Double = 1
    /// Time since the start of the run, s.
    public internal(set) var time: Double = 0
    /// Outlet samples recorded so far.
    public var samples: [ColumnOutletSample] = []
    var state: [Double]
    var nextStep: Double?
    var sampleIndex = 1
    /// Next entry of ``sampleTimes`` to record.
    var sampleTimeIndex = 0
    /// The time steps of every ``run(_:)`` so far.
    public internal(set) var stepRecord = ColumnStepRecord()
    /// A record to repeat instead of choosing steps: each ``run(_:)`` takes the next entry's steps, without
    /// error control, and ends at its end time. Finite differences between runs of nearby parameters on one
    /// record are smooth in the parameters (calibration Jacobians).
    public var replay: ColumnStepRecord?
    var replayIndex = 0

    public init(
        model: ColumnModel, tolerances: ColumnTolerances = .init(), sampleInterval: Double? = nil,
        concentrationScale: Double = 1
    ) {
        precondition(sampleInterval.map { $0 > 0 } ?? true)
        precondition(concentrationScale > 0)
        self.model = model
        self.tolerances = tolerances
        self.sampleInterval = sampleInterval
        self.concentrationScale = concentrationScale
        self.state = Array(repeating: 0, count: model.stateCount)
    }

    /// Liquid concentration (mol/m³) in each cell for a component, inlet to outlet in z.
    public func liquidProfile(component: Int) -> [Double] {
        (0..<model.cells).map { state[model.cIndex($0, component)] }
    }

    /// Solid loading (mol/m³ sorbent) in each cell for a component.
    public func solidProfile(component: Int) -> [Double] {
        (0..<model.cells).map { state[model.qIndex($0, component)] }
    }

    /// Amount of a component held in the bed (liquid and solid), mol.
    public func inventory(component: Int) -> Double {
        let g = model.geometry, cellVolume = g.bedVolume / Double(model.cells)
        var sum = 0.0
        for j in 0..<model.cells {
            sum += g.voidage * state[model.cIndex(j, component)] + (1 - g.voidage) * state[model.qIndex(j, component)]
        }
        return sum * cellVolume
    }

    /// A copy of the internal state vector (for cyclic-steady-state tests and restarts).
    public var stateVector: [Double] { state }

    /// Runs one step from the current state.
    /// - Throws: ``ColumnError`` when the integrator fails or the step is unusable.
    public mutating func run(_ step: ColumnStep) throws -> ColumnStepResult {
        let nc = model.componentCount
        guard step.flow.inlet.count == nc else {
            throw ColumnError(.invalidInput, time: time, detail: "step '\(step.name)' has \(step.flow.inlet.count) inlet concentrations for \(nc) components")
        }
        let scales = componentScales ?? Array(repeating: concentrationScale, count: nc)
        let system = ColumnSystem(
            model: model, flow: step.flow, capacityFactor: capacityFactor,
            limiterFloor: scales.map { tolerances.absolute * $0 })
        let g = model.geometry
        let flowRate = step.flow.superficialVelocity * g.area
        var duration: Double
        var event: (([Double]) -> Double)?
        switch step.end {
        case .duration(let d):
            duration = d
        case .bedVolumes(let bv):
            duration = bv * g.bedVolume / flowRate
        case .breakthrough(let component, let fraction, let maximum):
            guard component >= 0 && component < nc, step.flow.inlet[component] > 0, fraction > 0 else {
                throw ColumnError(.invalidInput, time: time, detail: "step '\(step.name)': breakthrough needs a fed component and a positive fraction")
            }
            duration = maximum
            let threshold = fraction * step.flow.inlet[component]
            event = { y in system.outletConcentration(y, component) - threshold }
        }
        guard duration.isFinite && duration >= 0 else {
            throw ColumnError(.invalidInput, time: time, detail: "step '\(step.name)' has duration \(duration) s")
        }
        // The outflow integrals restart at zero each step.
        for k in 0..<nc {
            state[model.outflowIndex(atInlet: true, k)] = 0
            state[model.outflowIndex(atInlet: false, k)] = 0
        }
        var absolute = Array(repeating: Double.infinity, count: model.stateCount)
        let rates = model.isotherm.evaluated(at: step.flow.temperature, capacityFactor: capacityFactor)
        for j in 0..<model.cells {
            for k in 0..<nc {
                absolute[model.cIndex(j, k)] = tolerances.absolute * scales[k]
                let qScale = rates.capacity[k] > 0 ? rates.capacity[k] : scales[k]
                absolute[model.qIndex(j, k)] = tolerances.absolute * qScale
            }
        }
        let integrator = ColumnIntegrator(tolerances: tolerances, absolute: absolute)
        let start = time
        var statistics = ColumnSolverStatistics()
        // Outlet sampling: quadratic in time on each accepted step, matching the end values and
        // the step's exact mean (the outflow integral), so samples agree with the mass balance.
        var previousTime = start
        var previousOutlet = (0..<nc).map { system.outletConcentration(state, $0) }
        var previousOutflow = Array(repeating: 0.0, count: nc)
        let outletIndices = (0..<nc).map { model.outflowIndex(atInlet: step.flow.reversed, $0) }
        let v = system.v
        var recorded = samples
        var index = sampleIndex
        var timeIndex = sampleTimeIndex
        let interval = sampleInterval, times = sampleTimes
        /// The next time to record at, or nil when none is left (or samples follow the steps).
        func nextSampleTime() -> Double? {
            if let times { return timeIndex < times.count ? times[timeIndex] : nil }
            return interval.map { Double(index) * $0 }
        }
        func observe(_ t: Double, _ y: [Double]) {
            let outlet = (0..<nc).map { system.outletConcentration(y, $0) }
            let outflow = outletIndices.map { y[$0] }
            if interval != nil || times != nil {
                let span = t - previousTime
                let slack = 1e-9 * (interval ?? max(1, abs(t)))
                while let sampleTime = nextSampleTime(), sampleTime <= t + slack {
                    let s = span > 0 ? min(max((sampleTime - previousTime) / span, 0), 1) : 1
                    let values = (0..<nc).map { k -> Double in
                        let c0 = previousOutlet[k], c1 = outlet[k]
                        guard span > 0 else { return c1 }
                        let mean = (outflow[k] - previousOutflow[k]) / (v * span)
                        let d = 3 * (c0 + c1 - 2 * mean)
                        let b = c1 - c0 - d
                        return c0 + b * s + d * s * s
                    }
                    recorded.append(ColumnOutletSample(time: sampleTime, concentrations: values))
                    if times != nil { timeIndex += 1 } else { index += 1 }
                }
            } else {
                recorded.append(ColumnOutletSample(time: t, concentrations: outlet))
            }
            previousTime = t
            previousOutlet = outlet
            previousOutflow = outflow
        }
        let end: ColumnIntegrationEnd
        if let replay {
            guard replayIndex < replay.entries.count else {
                throw ColumnError(.invalidInput, time: time, detail: "the replayed record has no step \(replayIndex + 1)")
            }
            let entry = replay.entries[replayIndex]
            replayIndex += 1
            end = try integrator.replay(
                system, &state, from: start, steps: entry.steps, end: entry.end, statistics: &statistics, observer: observe)
        } else {
            let initial = nextStep ?? min(0.1 * system.h / v, max(duration, 1e-6))
            end = try integrator.integrate(
                system, &state, from: start, to: start + duration, initialStep: initial, statistics: &statistics,
                event: event, observer: observe)
        }
        stepRecord.entries.append(.init(steps: end.steps, end: end.time))
        samples = recorded
        sampleIndex = index
        sampleTimeIndex = timeIndex
        nextStep = end.nextStep
        time = end.time
        let elapsed = end.time - start
        let interstitialArea = g.voidage * g.area
        return ColumnStepResult(
            name: step.name, kind: step.kind, start: start, end: end.time, volume: flowRate * elapsed,
            fed: step.flow.inlet.map { $0 * flowRate * elapsed },
            out: outletIndices.map { state[$0] * interstitialArea },
            breakthroughReached: end.eventFired, statistics: statistics
        )
    }
}

extension ColumnSystem {
    /// Concentration on the outlet face (the value the outlet flux carries), mol/m³.
    func outletConcentration(_ y: [Double], _ k: Int) -> Double {
        let stride = 2 * nc, base = nc
        let cm = y[base + cell(n - 2) * stride + k], cc = y[base + cell(n - 1) * stride + k]
        let cp = 3 * cc - 3 * cm + y[base + cell(n - 3) * stride + k]
        let w = faceWeights(n - 1, cm, cc, cp, component: k)
        return w.0 * cm + w.1 * cc + w.2 * cp
    }
}

/// The time steps taken by a ``ColumnSimulator``, one entry per step run, to replay on a nearby problem.
public struct ColumnStepRecord: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// Accepted step sizes, s.
        public var steps: [Double]
        /// Time at which the step ended, s.
        public var end: Double
    }

    public internal(set) var entries: [Entry] = []

    public init() {}
}
