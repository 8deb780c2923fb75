import Foundation
import Monitor
import Testing

@Suite struct LatencyHistogramTests {
    /// 100,000 durations spread evenly over 0.1–100 ms: each quantile must come back within the 2 % bucket
    /// of the exact one, computed by sorting.
    @Test func quantilesAreWithinTwoPercentOfTheSortedOnes() {
        var histogram = LatencyHistogram()
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = []
        for _ in 0..<100_000 {
            let v = Double.random(in: 0.0001...0.1, using: &generator)
            values.append(v)
            histogram.record(v)
        }
        values.sort()
        #expect(histogram.total == 100_000)
        for q in [0.5, 0.9, 0.99, 0.999, 1.0] {
            let exact = values[min(values.count - 1, Int((q * Double(values.count)).rounded(.up)) - 1)]
            let estimate = histogram.quantile(q)!
            // The upper edge of the bucket that holds the exact value: not below it, at most one bucket above.
            #expect(estimate >= exact && estimate <= exact * LatencyHistogram.growth * 1.0001,
                    "q \(q): \(estimate) for \(exact)")
        }
    }

    @Test func sinceCountsOnlyTheLaterObservations() {
        var histogram = LatencyHistogram()
        for _ in 0..<1_000 { histogram.record(0.050) }   // a slow warm-up
        let snapshot = histogram
        for _ in 0..<100 { histogram.record(0.001) }
        let later = histogram.since(snapshot)
        #expect(later.total == 100)
        #expect(abs(later.quantile(1)! - 0.001) < 0.001 * 0.021)
        #expect(LatencyHistogram().quantile(0.99) == nil)
    }

    @Test func garbageAndHugeDurationsLandInTheEndBuckets() {
        var histogram = LatencyHistogram()
        histogram.record(-1)
        histogram.record(.nan)
        histogram.record(.infinity)
        histogram.record(1e9)
        #expect(histogram.total == 4)
        #expect(histogram.counts.first == 2 && histogram.counts.last == 2)
    }
}
