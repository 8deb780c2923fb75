/// What a step does in a cycle; decides how its flows count in the KPIs.
public enum ColumnStepKind: String, Sendable, Hashable, CaseIterable {
    /// Brine through the bed: lithium is captured.
    case load
    /// Displacement of brine and impurities; the spent wash is returned to the feed.
    case wash
    /// Eluent through the bed: lithium is released into the eluate.
    case elute
}

/// When a step ends.
public enum ColumnStepEnd: Sendable, Hashable {
    /// After a duration, s.
    case duration(Double)
    /// After this many bed volumes of flow (superficial flow × time / bed volume).
    case bedVolumes(Double)
    /// When the outlet concentration of `component` rises through `fraction` of its inlet
    /// concentration in this step, or after `maximumDuration` seconds, whichever comes first.
    /// An outlet already above the threshold at the start must fall below it before a rise counts.
    case breakthrough(component: Int, fraction: Double, maximumDuration: Double)
}

/// One step of a cycle: its kind, its flow and when it ends.
public struct ColumnStep: Sendable, Hashable {
    public var name: String
    public var kind: ColumnStepKind
    public var flow: ColumnFlow
    public var end: ColumnStepEnd

    public init(name: String, kind: ColumnStepKind, flow: ColumnFlow, end: ColumnStepEnd) {
        self.name = name
        self.kind = kind
        self.flow = flow
        self.end = end
    }
}

/// The steps of one cycle, repeated, and how the sorbent ages from cycle to cycle.
public struct ColumnCycleSchedule: Sendable, Hashable {
    public var steps: [ColumnStep]
    /// Fraction of capacity lost per cycle (0 for none): capacity after cycle k is
    /// `(1 − fade)^k` of new. For scale: −16.8 % after 10 cycles was measured on LDH–SiO2
    /// (Qian et al. 2023, Front. Chem.; docs/sources.md §2.2), about 0.018 per cycle.
    public var capacityFadePerCycle: Double

    public init(steps: [ColumnStep], capacityFadePerCycle: Double = 0) {
        precondition(!steps.isEmpty)
        precondition(capacityFadePerCycle >= 0 && capacityFadePerCycle < 1)
        self.steps = steps
        self.capacityFadePerCycle = capacityFadePerCycle
    }
}

/// Outlet concentrations at one instant.
public struct ColumnOutletSample: Sendable, Hashable {
    /// Time since the start of the run, s.
    public var time: Double
    /// Outlet concentration of each component, mol/m³.
    public var concentrations: [Double]
}

/// What one step did.
public struct ColumnStepResult: Sendable, Hashable {
    public var name: String
    public var kind: ColumnStepKind
    /// Start and end time since the start of the run, s.
    public var start: Double
    public var end: Double
    /// Liquid volume passed, m³.
    public var volume: Double
    /// Amount fed per component, mol.
    public var fed: [Double]
    /// Amount leaving the column per component, mol.
    public var out: [Double]
    /// Whether a breakthrough end condition fired (false when the step hit its maximum duration).
    public var breakthroughReached: Bool
    public var statistics: ColumnSolverStatistics
}
