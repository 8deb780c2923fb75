import ProcessModel

/// A Latin hypercube sample of the unit cube (McKay, Beckman and Conover, Technometrics 21(2), 1979): each of
/// the `count` equal intervals of every dimension holds exactly one point, at a random place inside it, and the
/// intervals are paired across dimensions by independent random permutations.
///
/// Deterministic: the same seed gives the same sample on every platform and Swift version, because the
/// generator (SplitMix64), the shuffle (Fisher–Yates) and the bounded draw (Lemire's multiply-shift with
/// rejection) are all our own code.
public struct LatinHypercube: Sendable, Hashable {
    public let count: Int
    public let dimensions: Int
    public let seed: UInt64
    /// `coordinates[d * count + i]`: point `i`'s coordinate in dimension `d`, in [0, 1).
    private let coordinates: [Double]

    public init(count: Int, dimensions: Int, seed: UInt64) {
        precondition(count >= 1 && dimensions >= 0, "a sample needs at least one point")
        self.count = count
        self.dimensions = dimensions
        self.seed = seed
        var random = SplitMix64(seed: seed)
        var coordinates = [Double](repeating: 0, count: count * dimensions)
        var permutation = [Int](0..<count)
        let width = 1 / Double(count)
        for d in 0..<dimensions {
            for i in 0..<count { permutation[i] = i }
            // Fisher–Yates: swap each position with one at or below it.
            for i in stride(from: count - 1, to: 0, by: -1) {
                permutation.swapAt(i, Int(random.below(UInt64(i + 1))))
            }
            for i in 0..<count {
                // The point's place inside its interval; min() keeps it below the interval's top against rounding.
                let u = (Double(permutation[i]) + random.unit()) * width
                coordinates[d * count + i] = min(u, (Double(permutation[i]) + 1) * width - width * 0x1p-52)
            }
        }
        self.coordinates = coordinates
    }

    /// Point `i`'s coordinate in dimension `d`, in [0, 1).
    public func coordinate(point i: Int, dimension d: Int) -> Double { coordinates[d * count + i] }

    /// The interval (0..<count) holding point `i` in dimension `d`.
    public func interval(point i: Int, dimension d: Int) -> Int {
        min(Int(coordinates[d * count + i] * Double(count)), count - 1)
    }
}
