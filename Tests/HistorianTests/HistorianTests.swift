import Foundation
import GRDB
import Historian
import PlantConfig
import Testing

@Suite struct HistorianTests {
    func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-historian-\(UUID()).sqlite").path
    }

    @Test func roundTripThroughAFile() throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let historian = try Historian(path: path)
            historian.declare(SeriesInfo(name: "PW1.FT101", kind: .tag, unit: "L/s", device: "wellhead"))
            historian.append((0..<100).map { Sample(series: "PW1.FT101", time: Int64($0) * 1000, value: Double($0)) })
            historian.append(Sample(series: "PW1.TT101", time: 5000, value: .nan, quality: .bad(.timeout)))
            historian.record(JournalEvent(time: 42, kind: "device", source: "wellhead", message: "down"))
            #expect(try historian.flush() == 101)
        }
        let reopened = try Historian(path: path)
        let samples = try reopened.samples("PW1.FT101", from: 10_000, to: 19_999)
        #expect(samples.map(\.value) == (10..<20).map(Double.init))
        let bad = try reopened.samples("PW1.TT101", from: 0, to: .max)
        #expect(bad.count == 1 && bad[0].value.isNaN && bad[0].quality == .bad(.timeout))
        #expect(try reopened.events(from: 0, to: 100).map(\.message) == ["down"])
        #expect(try reopened.series().first { $0.name == "PW1.FT101" }?.unit == "L/s")
        let integrity = try reopened.database.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }

    @Test func unflushedSamplesAreNotVisibleAndFlushedOnesSurviveReopening() throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try Historian(path: path)
        writer.append(Sample(series: "A", time: 1, value: 1))
        try writer.flush()
        writer.append(Sample(series: "A", time: 2, value: 2))   // buffered only: what a crash would lose
        #expect(writer.pending == 1)
        let reader = try Historian(path: path)
        #expect(try reader.samples("A", from: 0, to: 10).map(\.time) == [1])
    }

    @Test func downsamplingKeepsExtremesAndWorstQuality() throws {
        let historian = try Historian.inMemory()
        // A day at 1 s with one spike and one bad sample.
        var samples = (0..<86_400).map { Sample(series: "X", time: Int64($0) * 1000, value: sin(Double($0) / 3000)) }
        samples[40_000].value = 50
        samples[70_000].quality = .uncertain(.stale)
        historian.append(samples)
        try historian.flush()
        let points = try historian.history("X", from: 0, to: 86_399_000, maxPoints: 1000)
        #expect(points.count <= 1000 && points.count >= 990)
        #expect(points.map(\.max).max() == 50)
        #expect(points.reduce(0) { $0 + $1.count } == 86_400)
        #expect(points.filter { $0.quality.status == .uncertain }.count == 1)
        let bucket = try #require(points.first { $0.max == 50 })
        #expect(bucket.time <= 40_000_000 && 40_000_000 < bucket.time + 87_000)
    }

    @Test func rollupsMatchBruteForce() throws {
        let historian = try Historian.inMemory()
        var generator = SystemRandomNumberGenerator()
        let values = (0..<7200).map { _ in Double.random(in: 0...100, using: &generator) }
        historian.append(values.enumerated().map { Sample(series: "R", time: Int64($0.offset) * 1000, value: $0.element) })
        try historian.flush()
        try historian.updateRollups(from: 0, to: 7_200_000)
        let minutes = try historian.rollups("R", width: 60_000, from: 0, to: .max)
        #expect(minutes.count == 120)
        for (index, minute) in minutes.enumerated() {
            let slice = values[index * 60..<(index + 1) * 60]
            #expect(minute.min == slice.min() && minute.max == slice.max() && minute.count == 60)
            #expect(abs(minute.mean - slice.reduce(0, +) / 60) < 1e-9)
        }
        let hours = try historian.rollups("R", width: 3_600_000, from: 0, to: .max)
        #expect(hours.count == 2 && hours[1].max == values[3600...].max())
    }

    @Test func retentionDeletesOldRows() throws {
        let historian = try Historian.inMemory()
        historian.append((0..<10).map { Sample(series: "A", time: Int64($0), value: 0) })
        historian.record(JournalEvent(time: 2, kind: "x", source: "y", message: "old"))
        historian.record(JournalEvent(time: 8, kind: "x", source: "y", message: "new"))
        try historian.flush()
        #expect(try historian.deleteOlder(than: 5) == 6)
        #expect(try historian.samples("A", from: 0, to: 100).map(\.time) == [5, 6, 7, 8, 9])
        #expect(try historian.events(from: 0, to: 100).map(\.message) == ["new"])
    }

    @Test func csvExportNamesTheUnit() throws {
        let historian = try Historian.inMemory()
        historian.declare(SeriesInfo(name: "T", unit: "°C"))
        historian.append([Sample(series: "T", time: 0, value: 165.5), Sample(series: "T", time: 1000, value: .nan, quality: .bad(.timeout))])
        try historian.flush()
        let csv = try historian.csv("T", from: 0, to: 1000)
        #expect(csv == "time,T [°C],quality\n1970-01-01T00:00:00.000Z,165.5,good\n1970-01-01T00:00:01.000Z,,bad(timeout)\n")
    }

    @Test func runsAreRecorded() throws {
        let historian = try Historian.inMemory()
        let id = try historian.beginRun(RunInfo(kind: .simulation, plant: "demo", scenario: "pump-trip", seed: 7, started: 0, config: "id: demo"))
        try historian.endRun(id, at: 3_600_000)
        let runs = try historian.runs()
        #expect(runs.count == 1 && runs[0].ended == 3_600_000 && runs[0].seed == 7 && runs[0].scenario == "pump-trip")
    }
}

@Suite struct SwingingDoorTests {
    /// Reconstructs by linear interpolation and returns the worst error against the offered values.
    func worstError(_ stored: [Sample], _ offered: [Sample]) -> Double {
        var worst = 0.0
        for sample in offered {
            guard let right = stored.firstIndex(where: { $0.time >= sample.time }) else { continue }
            let b = stored[right]
            if b.time == sample.time { worst = max(worst, abs(b.value - sample.value)); continue }
            let a = stored[right - 1]
            let interpolated = a.value + (b.value - a.value) * Double(sample.time - a.time) / Double(b.time - a.time)
            worst = max(worst, abs(interpolated - sample.value))
        }
        return worst
    }

    @Test func reconstructionStaysWithinTheDeviation() {
        var door = SwingingDoor(deviation: 0.5, maximumInterval: 1_000_000)
        var generator = SplitMix(seed: 3)
        var value = 100.0
        var offered: [Sample] = []
        var stored: [Sample] = []
        for second in 0..<20_000 {
            value += Double(Int(generator.next() % 201) - 100) / 400   // random walk, steps up to ±0.25
            let sample = Sample(series: "S", time: Int64(second) * 1000, value: value)
            offered.append(sample)
            stored += door.offer(sample)
        }
        stored += door.drain()
        #expect(stored.count < offered.count / 4, "compressed \(offered.count) to \(stored.count)")
        #expect(worstError(stored, offered) <= 0.5 + 1e-9)
        #expect(stored.last?.time == offered.last?.time)
    }

    @Test func qualityChangesAndMaximumIntervalAlwaysStore() {
        var door = SwingingDoor(deviation: 10, maximumInterval: 5000)
        var stored: [Sample] = []
        for second in 0..<20 {
            let quality: Quality = (8..<10).contains(second) ? .bad(.timeout) : .good
            stored += door.offer(Sample(series: "S", time: Int64(second) * 1000, value: 1, quality: quality))
        }
        let times = stored.map(\.time)
        #expect(times.contains(8000) && times.contains(10_000), "quality transitions: \(times)")
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 <= 5000 }, "\(times)")
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
