import RegisterVocabulary

/// Samples and rollups folded, in time order, into the buckets of a history.
package struct HistoryFold: Sendable {
    package let from: Int64
    package let width: Int64
    package var points: [HistoryPoint] = []
    package var bucket = HistoryBucket(index: -1)

    package init(from: Int64, width: Int64) {
        self.from = from
        self.width = width
    }

    private mutating func enter(_ time: Int64) {
        let index = (time - from) / width
        guard index != bucket.index else { return }
        if bucket.index >= 0 { points.append(bucket.point(from: from, width: width)) }
        bucket = HistoryBucket(index: index)
    }

    package mutating func add(at time: Int64, _ value: Double?, status: Int64) {
        enter(max(time, from))
        bucket.add(value, status: status)
    }

    package mutating func merge(at time: Int64, low: Double, high: Double, mean: Double, count: Int, status: Int64) {
        enter(max(time, from))
        bucket.merge(low: low, high: high, mean: mean, count: count, status: status)
    }

    package mutating func finish() -> [HistoryPoint] {
        if bucket.index >= 0 { points.append(bucket.point(from: from, width: width)) }
        bucket = HistoryBucket(index: -1)
        return points
    }
}

/// One bucket of ``HistoryStore/history(_:from:to:maxPoints:)`` being folded: what SQL's MIN, MAX, AVG (with
/// Kahan–Babuška–Neumaier summation, as SQLite's own AVG) and COUNT of the good and uncertain values, and
/// MIN(quality & 255) of all, would give.
package struct HistoryBucket: Sendable {
    package var index: Int64
    var low = Double.infinity, high = -Double.infinity
    var sum = 0.0, compensation = 0.0
    var count = 0
    var status = Int64.max

    package init(index: Int64) { self.index = index }

    /// A sample: its quality always counts; its value only when good or uncertain (a bad value, such as a
    /// sensor's sentinel, would otherwise become the bucket's minimum).
    package mutating func add(_ value: Double?, status: Int64) {
        self.status = min(self.status, status)
        guard let value, status > 0 else { return }
        low = min(low, value)
        high = max(high, value)
        let total = sum + value
        compensation += abs(sum) >= abs(value) ? (sum - total) + value : (value - total) + sum
        sum = total
        count += 1
    }

    /// A minute rollup: its usable values' min, max, mean and count, and its worst quality.
    package mutating func merge(low: Double, high: Double, mean: Double, count: Int, status: Int64) {
        self.status = min(self.status, status)
        guard count > 0 else { return }
        self.low = min(self.low, low)
        self.high = max(self.high, high)
        let value = mean * Double(count)
        let total = sum + value
        compensation += abs(sum) >= abs(value) ? (sum - total) + value : (value - total) + sum
        sum = total
        self.count += count
    }

    package func point(from: Int64, width: Int64) -> HistoryPoint {
        let quality = Quality(Quality.Status(rawValue: UInt8(clamping: status)) ?? .bad)
        return HistoryPoint(
            time: from + index * width, min: count == 0 ? .nan : low, max: count == 0 ? .nan : high,
            mean: count == 0 ? .nan : (sum + compensation) / Double(count), count: count, quality: quality)
    }
}
