import ProcessModel

/// One deterministic slice of a sweep, `K/N`: the points whose index `i` has `i % N == K − 1`.
///
/// Striding (rather than contiguous blocks) gives every shard the same mix of cheap and expensive points, so
/// N machines finish together; the slice depends only on the index, so any machine can run any shard, and
/// `geolith sweep merge` can interleave the shards back into index order without sorting.
public struct SweepShard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based shard number.
    public let index: Int
    /// How many shards the sweep is split into.
    public let count: Int

    /// The whole sweep as one shard.
    public static let whole = SweepShard(uncheckedIndex: 1, count: 1)

    private init(uncheckedIndex: Int, count: Int) {
        index = uncheckedIndex
        self.count = count
    }

    /// Reads `K/N` (1 ≤ K ≤ N ≤ 1,000,000).
    ///
    /// - Throws: ``StudyError`` saying what is wrong with the text.
    public init(parsing text: String) throws(StudyError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(String(parts[0]).trimmingSpaces),
            let n = Int(String(parts[1]).trimmingSpaces)
        else {
            throw StudyError(.invalidInput, "--shard \(text): expected K/N, e.g. --shard 2/8 (shard 2 of 8)")
        }
        guard n >= 1, n <= 1_000_000 else {
            throw StudyError(.invalidInput, "--shard \(text): N must be 1...1,000,000")
        }
        guard k >= 1, k <= n else {
            throw StudyError(.invalidInput, "--shard \(text): K must be 1...\(n) (shards are numbered from 1)")
        }
        self.init(uncheckedIndex: k, count: n)
    }

    /// How many of `total` points this shard holds.
    public func pointCount(of total: Int) -> Int {
        let first = index - 1
        return first < total ? (total - first + count - 1) / count : 0
    }

    /// The sweep index of this shard's `j`-th point.
    public func point(_ j: Int) -> Int { index - 1 + j * count }

    /// Whether sweep point `i` belongs to this shard.
    public func contains(_ i: Int) -> Bool { i % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
