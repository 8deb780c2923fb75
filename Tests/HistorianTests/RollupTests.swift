import Foundation
import Historian
import PlantConfig
import RegisterVocabulary
import Testing

/// Rollups computed the way the monitor computes them (once a minute over the last two minutes, hour buckets
/// from the minute rollups) and in one pass over a long range agree with a brute-force computation from the
/// samples, bad values excluded; on both backends.
@Suite struct RollupTests {
    /// Three series over 5 h at 10 s, with bad values and a series that is bad for a whole minute.
    static func samples() -> [Sample] {
        var out: [Sample] = []
        for (index, series) in ["A", "B", "C"].enumerated() {
            for step in 0..<1800 {
                let time = Int64(step) * 10_000
                let bad = (series == "B" && step % 17 == 0) || (series == "C" && (360..<366).contains(step))
                // Scrambled but fixed values: a multiplicative hash of the step.
                let value = Double((step * 7919 + index * 104_729) % 10_007) / 100
                out.append(Sample(series: series, time: time, value: value, quality: bad ? .bad(.timeout) : .good))
            }
        }
        return out
    }

    typealias Bucket = (min: Double, max: Double, mean: Double, count: Int)

    /// Buckets of every sample; min, max, mean and count of the good ones (NaN and 0 when a bucket holds only
    /// bad values), and whether any was bad.
    static func bruteForce(_ samples: [Sample], series: String, width: Int64) -> [Int64: (Bucket, anyBad: Bool)] {
        let all = samples.filter { $0.series == series }
        return Dictionary(grouping: all) { $0.time / width * width }.mapValues { group in
            let values = group.filter { $0.quality.status != .bad }.map(\.value)
            let anyBad = values.count < group.count
            guard !values.isEmpty else { return ((.nan, .nan, .nan, 0), anyBad) }
            return ((values.min()!, values.max()!, values.reduce(0, +) / Double(values.count), values.count), anyBad)
        }
    }

    func check(_ historian: any HistoryStore, against samples: [Sample]) throws {
        for series in ["A", "B", "C"] {
            for width: Int64 in [60_000, 3_600_000] {
                let expected = Self.bruteForce(samples, series: series, width: width)
                let stored = try historian.rollups(series, width: width, from: 0, to: .max)
                #expect(stored.map(\.time) == expected.keys.sorted(), "\(series) at width \(width)")
                for point in stored {
                    let (want, anyBad) = try #require(expected[point.time])
                    #expect(point.count == want.count && (point.min == want.min || (point.min.isNaN && want.min.isNaN)))
                    #expect(point.max == want.max || (point.max.isNaN && want.max.isNaN))
                    #expect(abs(point.mean - want.mean) < 1e-9 * max(1, abs(want.mean)) || (point.mean.isNaN && want.mean.isNaN))
                    #expect((point.quality.status == .bad) == anyBad, "\(series) \(point.time): worst quality")
                }
            }
        }
    }

    @Test(arguments: Backend.all) func incrementalRollupsMatchBruteForce(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        let historian = try place.open()
        let samples = Self.samples()
        historian.append(samples)
        try historian.flush()
        // As the monitor's flusher: every minute, the buckets of the last two minutes.
        var last: Int64 = 0
        for now in stride(from: Int64(60_000), through: 5 * 3_600_000, by: 60_000) {
            try historian.updateRollups(from: max(0, last - 60_000), to: now)
            last = now
        }
        try check(historian, against: samples)
        let badMinute = try historian.rollups("C", width: 60_000, from: 3_600_000, to: 3_600_000)
        #expect(badMinute.count == 1 && badMinute[0].count == 0 && badMinute[0].quality.status == .bad,
                "C was bad all that minute: no values, bad quality")
    }

    @Test(arguments: Backend.all) func oneLongRangeMatchesBruteForce(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        let historian = try place.open()
        let samples = Self.samples()
        historian.append(samples)
        try historian.flush()
        try historian.updateRollups(from: 0, to: 5 * 3_600_000)   // 300 minute buckets: one pass over the table
        try check(historian, against: samples)
    }

    @Test func retentionKeepsNewerRowsOfEverySeries() throws {
        let historian = try SQLiteHistorian.inMemory()
        historian.append(Self.samples())
        try historian.flush()
        try historian.updateRollups(from: 0, to: 5 * 3_600_000)
        let deleted = try historian.deleteOlder(than: 3_600_000)
        // Per series, before 1 h: 360 samples, 60 minute rollups and 1 hour rollup.
        #expect(deleted == 3 * 360 + 3 * 60 + 3)
        for series in ["A", "B", "C"] {
            #expect(try historian.samples(series, from: 0, to: .max).first?.time == 3_600_000)
            #expect(try historian.rollups(series, width: 3_600_000, from: 0, to: .max).map(\.time)
                    == [3_600_000, 7_200_000, 10_800_000, 14_400_000])
        }
    }
}
