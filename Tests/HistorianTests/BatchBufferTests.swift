@testable import Historian
import Testing

/// The flush's batch arrays keep their storage for the next batch, but not the size of a one-off backlog.
@Suite struct BatchBufferTests {
    @Test func aTypicalBatchKeepsItsStorageAndABacklogsIsDropped() {
        var array = [Int](repeating: 0, count: 10_000)
        let kept = array.capacity
        SQLiteHistorian.empty(&array, typical: 10_000)
        #expect(array.isEmpty && array.capacity == kept)
        // A flush that waited: 60,000 samples against a typical 10,000.
        array = [Int](repeating: 0, count: 60_000)
        SQLiteHistorian.empty(&array, typical: 10_000)
        #expect(array.isEmpty && array.capacity >= 20_000 && array.capacity < 40_000, "capacity \(array.capacity)")
        // Small plants keep up to 4,096 whatever their batch.
        array = [Int](repeating: 0, count: 4_000)
        let small = array.capacity
        SQLiteHistorian.empty(&array, typical: 10)
        #expect(array.capacity == small)
    }

    /// Through a real historian: one backlog of 20× the batch, then ordinary batches; every sample is stored.
    @Test func aBacklogDoesNotLoseSamples() throws {
        let historian = try SQLiteHistorian.inMemory()
        var time: Int64 = 0
        func batch(_ n: Int) throws {
            for _ in 0..<n {
                historian.append((0..<100).map { Sample(series: "S\($0)", time: time, value: Double(time)) })
                time += 1000
            }
            try historian.flush()
        }
        for _ in 0..<5 { try batch(1) }
        try batch(20)
        for _ in 0..<5 { try batch(1) }
        #expect(try historian.samples("S7", from: 0, to: .max).count == 30)
    }
}
