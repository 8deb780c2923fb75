/// A lab or pilot column experiment, ready to run: the column model, its steps and cycles, the
/// components by name, and the numerics. Built from an experiment file (`geolith column EXPERIMENT.yaml`;
/// the file format is in `docs/rnd.md`) or in code.
///
/// Component order follows CADET-Core's convention: a modulator (salt), when there is one, is
/// component 0; the others keep the file's order.
///
/// ```swift
/// let run = try experiment.run()
/// print(run.cycles.last!.kpis.recovery)
/// ```
public struct ColumnExperiment: Sendable {
    /// One component of the liquid.
    public struct Component: Sendable, Hashable {
        /// Its name in the file (`Li`, `Cl`, `Mg`).
        public var name: String
        /// Molar mass, g/mol: converts mg/L to mol/m³ and mg/g to mol/m³ of sorbent.
        public var molarMass: Double

        public init(name: String, molarMass: Double) {
            precondition(molarMass > 0)
            self.name = name
            self.molarMass = molarMass
        }
    }

    /// Name of the experiment (`experiment:` in the file).
    public var name: String
    public var components: [Component]
    public var model: ColumnModel
    public var schedule: ColumnCycleSchedule
    /// Cycles to run (the schedule repeated, with its capacity fade).
    public var cycles: Int
    public var tolerances: ColumnTolerances
    /// Outlet sample spacing, s.
    public var sampleInterval: Double

    public init(
        name: String, components: [Component], model: ColumnModel, schedule: ColumnCycleSchedule,
        cycles: Int = 1, tolerances: ColumnTolerances = .init(), sampleInterval: Double = 10
    ) {
        precondition(components.count == model.componentCount)
        precondition(cycles >= 1 && sampleInterval > 0)
        self.name = name
        self.components = components
        self.model = model
        self.schedule = schedule
        self.cycles = cycles
        self.tolerances = tolerances
        self.sampleInterval = sampleInterval
    }

    /// Index of the component whose recovery, breakthrough and eluate the KPIs report (Li):
    /// ``ColumnIsotherm/targetComponent``.
    public var target: Int { model.isotherm.targetComponent }

    /// The target's highest inlet concentration over the steps, mol/m³ (its feed; 1 when it is never
    /// fed): the scale of c/c_feed and of the integrator's absolute tolerance.
    public var feed: Double {
        let highest = schedule.steps.map { $0.flow.inlet[target] }.max() ?? 0
        return highest > 0 ? highest : 1
    }

    /// Each component's highest inlet concentration, mol/m³ (the target's ``feed`` where a component is
    /// never fed): the scale of its absolute tolerance.
    public var componentScales: [Double] {
        components.indices.map { k in
            let highest = schedule.steps.map { $0.flow.inlet[k] }.max() ?? 0
            return highest > 0 ? highest : feed
        }
    }

    /// Index of the component with this name, or `nil`.
    public func index(of name: String) -> Int? { components.firstIndex { $0.name == name } }

    /// Start time of each step of the first cycle, s, when every step ends by time or bed volumes;
    /// `nil` when a step ends at breakthrough (its length is known only after the run).
    public var stepStarts: [Double]? {
        var starts: [Double] = [], time = 0.0
        for step in schedule.steps {
            starts.append(time)
            switch step.end {
            case .duration(let seconds): time += seconds
            case .bedVolumes(let volumes):
                time += volumes * model.geometry.bedVolume / (step.flow.superficialVelocity * model.geometry.area)
            case .breakthrough: return nil
            }
        }
        return starts
    }

    /// Runs the experiment from a clean bed.
    ///
    /// - Parameter sampleTimes: record the outlet at these times (ascending, s) instead of every
    ///   ``sampleInterval``: the times of measured points, for calibration.
    /// - Throws: ``ColumnError`` when the integrator fails.
    ///   - replay: repeat these time steps (from an earlier run's ``ColumnExperimentRun/stepRecord``) instead of
    ///     choosing them (see ``ColumnSimulator/replay``).
    public func run(sampleTimes: [Double]? = nil, replay: ColumnStepRecord? = nil) throws -> ColumnExperimentRun {
        var simulator = ColumnSimulator(
            model: model, tolerances: tolerances, sampleInterval: sampleInterval, concentrationScale: feed)
        simulator.sampleTimes = sampleTimes
        simulator.componentScales = componentScales
        simulator.replay = replay
        let cycles = try simulator.runCycles(schedule, count: cycles)
        return ColumnExperimentRun(samples: simulator.samples, cycles: cycles, stepRecord: simulator.stepRecord)
    }
}

/// What a run of a ``ColumnExperiment`` gave.
public struct ColumnExperimentRun: Sendable {
    /// Outlet concentrations, mol/m³, in the experiment's component order.
    public var samples: [ColumnOutletSample]
    public var cycles: [ColumnCycleResult]
    /// The time steps taken, to replay.
    public var stepRecord: ColumnStepRecord

    /// Solver statistics summed over every cycle.
    public var statistics: ColumnSolverStatistics {
        var total = ColumnSolverStatistics()
        for cycle in cycles { total += cycle.statistics }
        return total
    }
}

extension ColumnExperimentRun {
    /// Bed volumes of liquid passed through the column by `time` (s), from the steps' flows.
    public func bedVolumes(at time: Double, bedVolume: Double) -> Double {
        var passed = 0.0
        for step in cycles.lazy.flatMap(\.steps) {
            if time >= step.end {
                passed += step.volume
            } else {
                if time > step.start && step.end > step.start {
                    passed += step.volume * (time - step.start) / (step.end - step.start)
                }
                break
            }
        }
        return passed / bedVolume
    }
}

extension ColumnExperiment {
    /// Seconds since the start at which `bedVolumes` of liquid have passed, over the cycles; `nil` when a step
    /// ends at breakthrough (its length is known only after the run) or the run is shorter.
    public func time(atBedVolumes bedVolumes: Double) -> Double? {
        guard bedVolumes >= 0, stepStarts != nil else { return nil }
        let bedVolume = model.geometry.bedVolume, area = model.geometry.area
        var time = 0.0, passed = 0.0
        for _ in 0..<cycles {
            for step in schedule.steps {
                let rate = step.flow.superficialVelocity * area / bedVolume  // BV per second
                let length: Double
                switch step.end {
                case .duration(let seconds): length = seconds
                case .bedVolumes(let volumes): length = volumes / rate
                case .breakthrough: return nil
                }
                if passed + rate * length >= bedVolumes { return time + (bedVolumes - passed) / rate }
                passed += rate * length
                time += length
            }
        }
        return nil
    }

    /// The length of the whole run (every cycle), s; `nil` when a step ends at breakthrough.
    public var duration: Double? {
        guard let starts = stepStarts, let last = schedule.steps.last else { return nil }
        let g = model.geometry
        let lastLength: Double
        switch last.end {
        case .duration(let seconds): lastLength = seconds
        case .bedVolumes(let volumes): lastLength = volumes * g.bedVolume / (last.flow.superficialVelocity * g.area)
        case .breakthrough: return nil
        }
        return (starts.last! + lastLength) * Double(cycles)
    }
}
