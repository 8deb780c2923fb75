/// A carousel of identical columns: `seriesCount` columns load in series (lead–lag for two)
/// while one more column is washed and eluted; then the lead leaves to be eluted, every other
/// column moves up one position, and the freshly eluted column becomes the last in series.
///
/// Columns in series are solved as one bed of `seriesCount` times the length, which is exact
/// for plug flow and, with dispersion, treats the connection as continuous (no Danckwerts
/// jump between columns, as for columns joined by a short pipe).
///
/// ```swift
/// var train = ColumnTrain(column: model, seriesCount: 2)
/// let cycles = try train.run(load: feedFlow, loadEnd: .breakthrough(component: 0, fraction: 0.1, maximumDuration: 40_000),
///                            elution: [wash, elute], rotations: 6)
/// ```
public struct ColumnTrain: Sendable {
    public let column: ColumnModel
    public let seriesCount: Int
    public var tolerances: ColumnTolerances
    /// Scale of liquid concentrations for the absolute tolerance, mol/m³.
    public var concentrationScale: Double
    /// Outlet samples spacing, s (nil: one per accepted step).
    public var sampleInterval: Double?
    /// Outlet of the loading train (the last column in series), over all rotations.
    public var trainOutlet: [ColumnOutletSample] = []
    /// Outlet of the eluting column, over all rotations.
    public var eluate: [ColumnOutletSample] = []
    /// State of each physical column (single-column layout).
    var states: [[Double]]
    /// Physical column at each position: positions 0..<seriesCount load, the last one elutes.
    public private(set) var order: [Int]
    var time = 0.0

    public init(
        column: ColumnModel, seriesCount: Int = 2, tolerances: ColumnTolerances = .init(),
        concentrationScale: Double = 1, sampleInterval: Double? = nil
    ) {
        precondition(seriesCount >= 1)
        self.column = column
        self.seriesCount = seriesCount
        self.tolerances = tolerances
        self.concentrationScale = concentrationScale
        self.sampleInterval = sampleInterval
        self.states = Array(repeating: Array(repeating: 0, count: column.stateCount), count: seriesCount + 1)
        self.order = Array(0...seriesCount)
    }

    /// The bed formed by the columns in series.
    var seriesModel: ColumnModel {
        var geometry = column.geometry
        geometry.length *= Double(seriesCount)
        return ColumnModel(
            geometry: geometry, dispersion: column.dispersion, isotherm: column.isotherm, cells: column.cells * seriesCount,
            scheme: column.scheme)
    }

    /// Amount of a component held in one physical column, mol.
    public func inventory(column index: Int, component: Int) -> Double {
        var simulator = ColumnSimulator(model: column)
        simulator.state = states[index]
        return simulator.inventory(component: component)
    }

    /// Runs `rotations` carousel positions. In each, the series loads with `load` until
    /// `loadEnd` (a breakthrough end watches the train outlet), while the eluting column runs
    /// the `elution` steps; the position lasts as long as the longer of the two (the other side
    /// waits without flow). KPIs count the loading series and the eluting column together.
    /// - Throws: ``ColumnError`` from any step.
    public mutating func run(
        load: ColumnFlow, loadEnd: ColumnStepEnd, elution: [ColumnStep], rotations: Int
    ) throws -> [ColumnCycleResult] {
        precondition(rotations >= 1 && !load.reversed)
        let nc = column.componentCount, stride = 2 * nc, cellsPerColumn = column.cells
        var results: [ColumnCycleResult] = []
        for index in 0..<rotations {
            let start = time
            // Loading series: stack the columns' cells in flow order.
            let series = seriesModel
            var loading = ColumnSimulator(model: series, tolerances: tolerances, sampleInterval: sampleInterval, concentrationScale: concentrationScale)
            for (position, physical) in order.prefix(seriesCount).enumerated() {
                for j in 0..<cellsPerColumn {
                    for k in 0..<stride {
                        loading.state[series.cIndex(position * cellsPerColumn + j, 0) + k] = states[physical][column.cIndex(j, 0) + k]
                    }
                }
            }
            loading.time = start
            if let interval = sampleInterval { loading.sampleIndex = Int((start / interval).rounded(.down)) + 1 }
            let before = (0..<nc).map { loading.inventory(component: $0) }
            let loadResult = try loading.run(ColumnStep(name: "load", kind: .load, flow: load, end: loadEnd))
            let loadedBalance = (0..<nc).map { loading.inventory(component: $0) - before[$0] + loadResult.out[$0] - loadResult.fed[$0] }
            for (position, physical) in order.prefix(seriesCount).enumerated() {
                for j in 0..<cellsPerColumn {
                    for k in 0..<stride {
                        states[physical][column.cIndex(j, 0) + k] = loading.state[series.cIndex(position * cellsPerColumn + j, 0) + k]
                    }
                }
            }
            trainOutlet += loading.samples

            // Eluting column.
            let eluting = order[seriesCount]
            var elutor = ColumnSimulator(model: column, tolerances: tolerances, sampleInterval: sampleInterval, concentrationScale: concentrationScale)
            elutor.state = states[eluting]
            elutor.time = start
            if let interval = sampleInterval { elutor.sampleIndex = Int((start / interval).rounded(.down)) + 1 }
            let elutionBefore = (0..<nc).map { elutor.inventory(component: $0) }
            var stepResults = [loadResult]
            for step in elution { stepResults.append(try elutor.run(step)) }
            states[eluting] = elutor.state
            eluate += elutor.samples
            time = max(loading.time, elutor.time)

            var balance = 0.0
            for k in 0..<nc {
                let elutionIn = stepResults.dropFirst().reduce(0) { $0 + $1.fed[k] }
                let elutionOut = stepResults.dropFirst().reduce(0) { $0 + $1.out[k] }
                let residual = loadedBalance[k] + elutor.inventory(component: k) - elutionBefore[k] + elutionOut - elutionIn
                let scale = max(loadResult.fed[k] + elutionIn, 1e-300)
                balance = max(balance, abs(residual) / scale)
            }
            var kpis = ColumnCycleKPIs.from(
                steps: stepResults, bedVolume: column.geometry.bedVolume, componentCount: nc,
                target: column.isotherm.targetComponent)
            kpis.massBalanceError = balance
            var statistics = ColumnSolverStatistics()
            for step in stepResults { statistics += step.statistics }
            results.append(ColumnCycleResult(index: index, steps: stepResults, kpis: kpis, capacityFactor: 1, statistics: statistics))
            // Rotate: the lead leaves to be eluted; the eluted column joins at the end of the series.
            order = Array(order.dropFirst()) + [order[0]]
        }
        return results
    }
}
