/// The points of a sweep: the Cartesian product of the dimensions' values (the first dimension varies slowest,
/// like nested loops in the order given), or a seeded Latin hypercube over their extents.
public struct SweepPlan: Sendable, Hashable {
    /// How points are chosen.
    public enum Design: Sendable, Hashable {
        case grid
        case latinHypercube(samples: Int, seed: UInt64)
    }

    /// The largest sweep accepted (beyond it, split the study or sample it).
    public static let maximumPoints = 10_000_000_000
    /// The largest Latin hypercube: its values are held in memory (16 bytes per point and dimension while
    /// they are made).
    public static let maximumSamples = 10_000_000

    public let dimensions: [SweepDimension]
    public let design: Design
    /// How many points there are.
    public let count: Int
    private let strides: [Int]
    private let counts: [Int]
    private let sampled: Bool
    /// Every value a point can take, worked out once: a grid's values per dimension (at `offsets[d]`), or a
    /// sample's value per point and dimension (at `d * count + i`).
    private let values: [Double]
    private let offsets: [Int]

    /// - Throws: ``StudyError`` when a grid dimension has no steps, a sampled one lists steps, or the sweep is
    ///   empty or too large.
    public init(dimensions: [SweepDimension], design: Design) throws(StudyError) {
        guard !dimensions.isEmpty else { throw StudyError(.invalidInput, "nothing to sweep: give at least one --vary") }
        var seen = Set<String>()
        for d in dimensions where !seen.insert(d.key).inserted {
            throw StudyError(.invalidInput, "--vary \(d.key) is given twice")
        }
        self.dimensions = dimensions
        self.design = design
        switch design {
        case .grid:
            var total = 1
            var strides = [Int](repeating: 1, count: dimensions.count)
            for (i, d) in dimensions.enumerated().reversed() {
                guard let n = d.gridCount else {
                    throw StudyError(
                        .invalidInput,
                        "--vary \(d.specification): a grid needs steps (\(d.key)=from:to:steps), or use --samples N")
                }
                strides[i] = total
                let (product, overflow) = total.multipliedReportingOverflow(by: n)
                guard !overflow, product <= Self.maximumPoints else {
                    throw StudyError(
                        .invalidInput, "the grid has more than \(Self.maximumPoints) points: use --samples N")
                }
                total = product
            }
            self.strides = strides
            count = total
            sampled = false
            counts = dimensions.map { $0.gridCount! }
            var offsets: [Int] = [], values: [Double] = []
            for d in dimensions {
                offsets.append(values.count)
                values += (0..<d.gridCount!).map(d.gridValue)
            }
            self.offsets = offsets
            self.values = values
        case let .latinHypercube(samples, seed):
            guard (1...Self.maximumSamples).contains(samples) else {
                throw StudyError(.invalidInput, "--samples must be 1...\(Self.maximumSamples), not \(samples)")
            }
            for d in dimensions {
                if case .range(_, _, .some) = d.values {
                    throw StudyError(
                        .invalidInput,
                        "--vary \(d.specification): with --samples give the interval only (\(d.key)=from:to); "
                            + "the sample chooses the values")
                }
            }
            strides = []
            counts = []
            count = samples
            let sample = LatinHypercube(count: samples, dimensions: dimensions.count, seed: seed)
            sampled = true
            offsets = []
            values = dimensions.indices.flatMap { d in
                (0..<samples).map { dimensions[d].sampledValue(sample.coordinate(point: $0, dimension: d)) }
            }
        }
    }

    /// Point `i`'s value in dimension `d`: a number in the parameter's unit, or the index of a word.
    public func value(point i: Int, dimension d: Int) -> Double {
        precondition(i >= 0 && i < count, "point \(i) outside 0..<\(count)")
        if sampled { return values[d * count + i] }
        return values[offsets[d] + i / strides[d] % counts[d]]
    }

    /// Point `i`'s position along dimension `d` of a grid (`nil` for a sample).
    public func gridIndex(point i: Int, dimension d: Int) -> Int? {
        sampled ? nil : i / strides[d] % counts[d]
    }

    /// The grid point equal to point `i` except at position `k` along dimension `d` (`nil` for a sample or a
    /// position outside the axis).
    public func gridPoint(_ i: Int, moving d: Int, to k: Int) -> Int? {
        guard !sampled, let current = gridIndex(point: i, dimension: d), (0..<counts[d]).contains(k)
        else { return nil }
        return i + (k - current) * strides[d]
    }

    /// One line describing the design, for metadata and reports.
    public var designDescription: String {
        switch design {
        case .grid:
            return "grid " + dimensions.map { String($0.gridCount!) }.joined(separator: "×") + " = \(count) points"
        case let .latinHypercube(samples, seed):
            return "Latin hypercube, \(samples) samples, seed \(seed)"
        }
    }
}
