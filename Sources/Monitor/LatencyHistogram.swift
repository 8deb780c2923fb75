import Foundation

/// Counts of durations in logarithmic buckets of 2 % width, from 1 µs to over an hour: quantiles over any
/// number of observations in fixed memory (about 1,100 counters), to within 2 % of the true value.
///
/// The monitor keeps one for scan start lateness over its whole run: the device rings of ``DeviceStatus``
/// hold only the last 512 scans each, and a p99 over an hour of scans must see all of them.
public struct LatencyHistogram: Sendable, Hashable {
    /// Bucket `i` holds durations in [lowest · growth^(i−1), lowest · growth^i); bucket 0 holds those below `lowest`.
    public static let lowest = 1e-6
    public static let growth = 1.02
    static let bucketCount = 1 + Int((log(4_000 / lowest) / log(growth)).rounded(.up))

    public private(set) var counts: [Int]
    public private(set) var total = 0

    public init() { counts = Array(repeating: 0, count: Self.bucketCount) }

    static func bucket(_ seconds: Double) -> Int {
        guard seconds >= lowest else { return 0 }   // NaN and negatives count as the lowest bucket
        let position = log(seconds / lowest) / log(growth)
        guard position < Double(bucketCount - 2) else { return bucketCount - 1 }   // infinity too
        return 1 + Int(position)
    }

    /// The upper edge of bucket `i`, seconds.
    static func upperEdge(_ i: Int) -> Double { lowest * pow(growth, Double(i)) }

    public mutating func record(_ seconds: Double) {
        counts[Self.bucket(seconds)] += 1
        total += 1
    }

    /// The upper edge of the bucket holding the `q`-quantile (0 ≤ q ≤ 1), or nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard total > 0 else { return nil }
        let rank = max(1, Int((q * Double(total)).rounded(.up)))
        var seen = 0
        for (i, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= rank { return Self.upperEdge(i) }
        }
        return Self.upperEdge(counts.count - 1)
    }

    /// The observations of `self` not in `earlier` (a snapshot of the same histogram taken before).
    public func since(_ earlier: LatencyHistogram) -> LatencyHistogram {
        var result = self
        for i in counts.indices { result.counts[i] -= earlier.counts[i] }
        result.total -= earlier.total
        return result
    }
}
