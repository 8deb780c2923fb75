import Foundation
public import ProcessModel

/// How sure an estimate is (`geolith estimate --uncertainty N`): the assumed parameters are drawn together by
/// a seeded Latin hypercube over their ranges (uniform within each), the flowsheet solved at every point, and
/// each KPI summarised by its 10th, 50th and 90th percentiles with the parameters that drive its spread,
/// ranked by Spearman's rank correlation.
public struct UncertaintyStudy: Sendable {
    /// One varied parameter and its interval for this plant.
    public struct Dimension: Sendable, Hashable {
        public var key: String
        public var unit: String
        public var interval: ClosedRange<Double>
        public var reason: String
    }

    /// One KPI's spread.
    public struct Spread: Sendable {
        public var kpi: FlowsheetKPI
        /// The KPI's label (naming the plant's product).
        public var label: String
        public var p10: Double
        public var p50: Double
        public var p90: Double
        /// The parameters with the largest |rank correlation| with the KPI, largest first: at most three, and
        /// only those above 2/√n, the noise level of n samples.
        public var drivers: [(key: String, correlation: Double)]
    }

    /// The KPIs summarised: Li and product per year, fresh water and electricity per tonne.
    public static let kpiKeys = ["li_t_per_year", "product_t_per_year", "fresh_water_m3_per_t", "energy_kwh_per_t"]

    public let dimensions: [Dimension]
    public let samples: Int
    public let seed: UInt64
    let base: FlowsheetParameters
    let parameters: [ProcessParameter]

    /// Prepares a study of `base` (the plant with its overrides) over `ranges`; ranges of parameters whose
    /// interval is a single point for this plant (a factor on zero) are left out.
    ///
    /// - Throws: ``StudyError`` for fewer than 2 samples, or a range naming a parameter that is not a number.
    public init(base: FlowsheetParameters, ranges: [UncertaintyRange], samples: Int, seed: UInt64) throws(StudyError) {
        guard (2...1_000_000).contains(samples) else { throw StudyError(.invalidInput, "--uncertainty must be 2...1,000,000") }
        var dimensions: [Dimension] = [], parameters: [ProcessParameter] = []
        for range in ranges {
            guard let parameter = ProcessParameterCatalogue.parameter(range.key), case let .number(unit, valid) = parameter.kind else {
                throw StudyError(.unknownKey, "uncertainty range: \(range.key) is not a numeric process parameter")
            }
            let value = parameter.value(in: base).flatMap(Double.init) ?? 0
            let interval = range.interval(around: value, valid: valid)
            guard interval.upperBound > interval.lowerBound else { continue }
            dimensions.append(Dimension(key: range.key, unit: unit, interval: interval, reason: range.reason))
            parameters.append(parameter)
        }
        guard !dimensions.isEmpty else { throw StudyError(.invalidInput, "no parameter varies: every range is a single value") }
        self.dimensions = dimensions
        self.parameters = parameters
        self.samples = samples
        self.seed = seed
        self.base = base
    }

    /// What a study found: the spreads, and how many points failed (and the first failure's reason).
    public struct Result: Sendable {
        public var spreads: [Spread]
        public var solved: Int
        public var failed: Int
        public var firstFailure: String?
    }

    /// Solves every point and summarises the KPIs. With `dle.model: dynamic` each point runs the column model.
    public func run() -> Result {
        let sample = LatinHypercube(count: samples, dimensions: dimensions.count, seed: seed)
        let kpis = Self.kpiKeys.compactMap(FlowsheetKPI.named)
        var inputs: [[Double]] = [], outputs: [[Double]] = []
        var failed = 0, firstFailure: String?, labels = kpis.map { $0.key }
        for i in 0..<samples {
            var p = base
            let point = dimensions.indices.map { d in
                dimensions[d].interval.lowerBound
                    + (dimensions[d].interval.upperBound - dimensions[d].interval.lowerBound) * sample.coordinate(point: i, dimension: d)
            }
            do {
                for (d, value) in point.enumerated() { try parameters[d].set(value, in: &p) }
                let (coupled, _) = try DynamicSorption.couple(p)
                let result = try Flowsheet.solve(coupled)
                let values = kpis.map { $0.value(in: result) ?? .nan }
                guard values.allSatisfy(\.isFinite) else { throw StudyError(.invalidInput, "a KPI is not finite") }
                if outputs.isEmpty { labels = kpis.map { $0.label(for: result) } }
                inputs.append(point)
                outputs.append(values)
            } catch {
                failed += 1
                if firstFailure == nil { firstFailure = "\(error)" }
            }
        }
        let spreads = kpis.enumerated().map { k, kpi -> Spread in
            let column = outputs.map { $0[k] }
            // Below 2/√n a rank correlation is within the sampling noise of unrelated inputs (≈95 %).
            let noise = 2 / Double(max(column.count, 1)).squareRoot()
            var drivers: [(key: String, correlation: Double)] = []
            for d in dimensions.indices {
                if let rho = SweepSensitivity.spearman(inputs.map { $0[d] }, column), abs(rho) > noise {
                    drivers.append((dimensions[d].key, rho))
                }
            }
            drivers.sort { abs($0.correlation) > abs($1.correlation) }
            return Spread(
                kpi: kpi, label: labels[k], p10: Self.percentile(column, 0.1), p50: Self.percentile(column, 0.5), p90: Self.percentile(column, 0.9),
                drivers: Array(drivers.prefix(3)))
        }
        return Result(spreads: spreads, solved: outputs.count, failed: failed, firstFailure: firstFailure)
    }

    /// The q-quantile by linear interpolation between order statistics (Hyndman & Fan 1996, definition 7).
    static func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
