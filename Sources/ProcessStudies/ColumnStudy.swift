public import ProcessModel

/// The column a `geolith column` run solves: a benchmark case's (its model, steps and feed), or a plant's DLE
/// column, the one `dle.model: dynamic` builds from the plant's parameters (``DynamicSorption/column(for:cells:)``),
/// and how each runs: a case for its cycles, a plant to its cyclic steady state unless cycles are given.
public struct ColumnStudy: Sendable {
    public var name: String
    public var benchmark: ColumnBenchmarkCase?
    public var model: ColumnModel
    public var schedule: ColumnCycleSchedule
    /// The concentration outlet curves are divided by (c/c_feed), mol/m³.
    public var feed: Double
    /// The plant's parameters, for a plant's column.
    public var plant: FlowsheetParameters?
    /// Per-component scales of the integrator's error norm.
    public var componentScales: [Double]?

    /// A benchmark case's column.
    public init(case chosen: ColumnBenchmarkCase, cells: Int, scheme: ColumnScheme) {
        name = chosen.rawValue
        benchmark = chosen
        model = chosen.model(cells: cells, scheme: scheme)
        schedule = ColumnCycleSchedule(steps: chosen.steps)
        feed = ColumnBenchmarkCase.feed
        componentScales = chosen.componentScales
    }

    /// A plant's DLE column: one of its `dle.columns`, at the DLE inlet's brine, on the plant's cycle.
    public init(plant parameters: FlowsheetParameters, name: String, cells: Int?) {
        let column = DynamicSorption.column(for: parameters, cells: cells ?? DynamicSorption.defaultCells)
        self.name = name
        benchmark = nil
        (model, schedule, feed) = (column.model, column.schedule, column.feed)
        plant = parameters
        componentScales = column.componentScales
    }

    /// A solved run: the simulator (its outlet samples), the cycles, and for a plant run to its cyclic steady
    /// state the summary `geolith estimate --set dle.model=dynamic` uses.
    public struct Run: Sendable {
        public var simulator: ColumnSimulator
        public var cycles: [ColumnCycleResult]
        public var summary: DynamicSorption.Summary?
    }

    /// Runs the column: a plant's to its cyclic steady state when `cycles` is nil, else `cycles` cycles (1 for a case).
    public func run(cycles: Int?, sampleInterval: Double, tolerances: ColumnTolerances) throws -> Run {
        if let plant, cycles == nil {
            let css = try DynamicSorption.run(for: plant, cells: model.cells, sampleInterval: sampleInterval)
            return Run(simulator: css.simulator, cycles: css.cycles, summary: css.summary)
        }
        var simulator = ColumnSimulator(model: model, tolerances: tolerances, sampleInterval: sampleInterval, concentrationScale: feed)
        if let componentScales { simulator.componentScales = componentScales }
        let result = try simulator.runCycles(schedule, count: cycles ?? 1)
        return Run(simulator: simulator, cycles: result, summary: nil)
    }
}
