import Foundation
import GRDB
import Historian
import HistorianPostgres
import PostgresTestSupport
import PlantConfig
import RegisterVocabulary
import Testing

/// The historian protocol's contract, run against both backends: a SQLite file and a plant in PostgreSQL.
@Suite struct HistorianTests {
    @Test(arguments: Backend.all) func roundTripThroughReopening(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        do {
            let historian = try place.open()
            historian.declare(SeriesInfo(name: "PW1.FT101", kind: .tag, unit: "L/s", device: "wellhead"))
            historian.append((0..<100).map { Sample(series: "PW1.FT101", time: Int64($0) * 1000, value: Double($0)) })
            historian.append(Sample(series: "PW1.TT101", time: 5000, value: .nan, quality: .bad(.timeout)))
            historian.record(JournalEvent(time: 42, kind: .device, source: "wellhead", message: "down"))
            #expect(try historian.flush() == 101)
            #expect(!historian.status.behind && historian.status.committedSamples == 101)
            try historian.close()
        }
        let reopened = try place.open()
        let samples = try reopened.samples("PW1.FT101", from: 10_000, to: 19_999)
        #expect(samples.map(\.value) == (10..<20).map(Double.init))
        let bad = try reopened.samples("PW1.TT101", from: 0, to: .max)
        #expect(bad.count == 1 && bad[0].value.isNaN && bad[0].quality == .bad(.timeout))
        #expect(try reopened.events(from: 0, to: 100).map(\.message) == ["down"])
        #expect(try reopened.series().first { $0.name == "PW1.FT101" }?.unit == "L/s")
        #expect(try reopened.series().first { $0.name == "PW1.TT101" }?.kind == .tag, "a series seen only in samples is a tag")
        #expect(try reopened.timeRange("PW1.FT101") == 0...99_000)
        #expect(try reopened.latest().map(\.time) == [99_000, 5000])
        if let sqlite = reopened as? SQLiteHistorian {
            let integrity = try sqlite.database.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
            #expect(integrity == "ok")
        }
    }

    @Test(arguments: Backend.all) func unflushedSamplesAreNotVisibleAndFlushedOnesAre(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        let writer = try place.open()
        writer.append(Sample(series: "A", time: 1, value: 1))
        try writer.flush()
        writer.append(Sample(series: "A", time: 2, value: 2))   // buffered only: what a crash would lose
        #expect(writer.pending == 1)
        let reader = try place.openForReading()
        #expect(try reader.samples("A", from: 0, to: 10).map(\.time) == [1])
    }

    @Test(arguments: Backend.all) func downsamplingKeepsExtremesAndWorstQuality(_ backend: Backend) async throws {
        let place = HistorianPlace(backend)
        let historian = try place.open()
        // A day at 1 s with one spike and one uncertain sample.
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
        let viaAsync = try await historian.history(of: "X", from: 0, to: 86_399_000, maxPoints: 1000)
        #expect(viaAsync == points)
        #expect(try historian.history("nothing", from: 0, to: 1000, maxPoints: 10).isEmpty)
    }

    @Test(arguments: Backend.all) func rollupsMatchBruteForce(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        let historian = try place.open()
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

    /// Retention at day boundaries, where both backends remove the same (PostgreSQL drops whole days).
    @Test(arguments: Backend.all) func retentionRemovesOldDays(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        let historian = try place.open()
        let day: Int64 = 86_400_000
        historian.append((0..<3).flatMap { d in (0..<4).map { Sample(series: "A", time: Int64(d) * day + Int64($0) * 1000, value: 0) } })
        historian.record(JournalEvent(time: 2, kind: .other("x"), source: "y", message: "old"))
        historian.record(JournalEvent(time: 2 * day + 8, kind: .other("x"), source: "y", message: "new"))
        try historian.flush()
        let removed = try historian.deleteOlder(than: 2 * day)
        if backend == .sqlite { #expect(removed == 9) }
        #expect(try historian.samples("A", from: 0, to: .max).map(\.time) == (0..<4).map { 2 * day + Int64($0) * 1000 })
        #expect(try historian.events(from: 0, to: .max).map(\.message) == ["new"])
    }

    @Test(arguments: Backend.all) func csvExportNamesTheUnit(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        let historian = try place.open()
        historian.declare(SeriesInfo(name: "T", unit: "°C"))
        historian.append([Sample(series: "T", time: 0, value: 165.5), Sample(series: "T", time: 1000, value: .nan, quality: .bad(.timeout))])
        try historian.flush()
        let csv = try historian.csv("T", from: 0, to: 1000)
        #expect(csv == "time,T [°C],quality\n1970-01-01T00:00:00.000Z,165.5,good\n1970-01-01T00:00:01.000Z,,bad(timeout)\n")
        #expect(try historian.longCSV(series: ["T"], from: 0, to: 1000) == "time,series,value,quality\n0,T,165.5,good\n1000,T,,bad(timeout)\n")
    }

    @Test(arguments: Backend.all) func runsAreRecorded(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        let historian = try place.open()
        let id = try historian.beginRun(RunInfo(kind: .simulation, plant: "demo", scenario: "pump-trip", seed: 7, started: 0, config: "id: demo"))
        try historian.endRun(id, at: 3_600_000)
        try historian.flush()
        let runs = try historian.runs()
        #expect(runs.count == 1 && runs[0].ended == 3_600_000 && runs[0].seed == 7 && runs[0].scenario == "pump-trip")
        #expect(runs[0].id == id && runs[0].config == "id: demo")
    }

    /// A key written twice keeps the newer value (a replay over stored times, a sample sent again).
    @Test(arguments: Backend.all) func aTimeWrittenAgainKeepsTheNewerValue(_ backend: Backend) throws {
        let place = HistorianPlace(backend)
        let historian = try place.open()
        historian.append((0..<5).map { Sample(series: "K", time: Int64($0) * 1000, value: 1) })
        try historian.flush()
        historian.append([Sample(series: "K", time: 2000, value: 7, quality: .uncertain(.stale)), Sample(series: "K", time: 2000, value: 8),
                          Sample(series: "K", time: 9000, value: 9)])
        try historian.flush()
        let stored = try historian.samples("K", from: 0, to: .max)
        #expect(stored.map(\.time) == [0, 1000, 2000, 3000, 4000, 9000])
        #expect(stored[2].value == 8 && stored[2].quality == .good)
    }

    /// The downsampled history of a day is the same on both backends, rolled up or read from the samples.
    @Test(.enabled(if: PostgresCluster.available)) func bothBackendsGiveTheSameHistory() async throws {
        let sqlite = HistorianPlace(.sqlite), postgres = HistorianPlace(.postgres)
        let stores = [try sqlite.open(), try postgres.open()]
        let start: Int64 = 1_767_225_600_000
        var samples: [Sample] = []
        for i in 0..<86_400 {
            let bad = (30_000..<30_600).contains(i)
            samples.append(Sample(series: "T", time: start + Int64(i) * 1000, value: bad ? -9999 : 100 + Double(i % 600) / 10,
                                  quality: bad ? .bad(.sensorSentinel) : i % 977 == 0 ? .uncertain(.clamped) : .good))
        }
        for store in stores {
            store.append(samples)
            try store.flush()
            try store.updateRollups(from: start, to: start + 86_400_000 + 10_000)
        }
        for (from, to, points) in [(start + 12_345, start + 86_400_000 - 7_777, 1000), (start, start + 3_600_000, 1000),
                                   (start + 1, start + 86_399_999, 7)] {
            let a = try await stores[0].history(of: "T", from: from, to: to, maxPoints: points)
            let b = try await stores[1].history(of: "T", from: from, to: to, maxPoints: points)
            #expect(a.count == b.count && !a.isEmpty)
            for (x, y) in zip(a, b) {
                #expect(x.time == y.time && x.count == y.count && x.quality == y.quality && (x.min == y.min || x.min.isNaN && y.min.isNaN))
                #expect(abs(x.mean - y.mean) <= 1e-9 * max(1, abs(x.mean)) || x.mean.isNaN && y.mean.isNaN)
            }
        }
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
