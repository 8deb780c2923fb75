import Foundation
import Historian
import Logging
import Monitor
import PlantConfig
import ServiceLifecycle
import Simulator
import SimulatorRecording
import Testing

/// Replay of recorded runs through the monitor's pipeline: against a live monitor on the same data,
/// determinism, changed alarm limits, communication faults, historians and CSV exports.
@Suite(.serialized) struct ReplayTests {
    static let demoFile = MonitorIntegrationTests.repository.appendingPathComponent("PlantConfigs/demo.yaml").path

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("geolith-replay-\(UUID())-\(name)").path
    }

    /// Records `seconds` of a scenario on the demo plant as fast as possible.
    static func record(_ scenario: Scenario, seconds: Double, plant: Plant? = nil, step: Double = 1, interval: Double = 1) async throws -> String {
        let plant = try plant ?? PlantLoader.load(path: demoFile)
        let path = temporaryPath("recording.sqlite")
        let simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: 5, stepSize: step)
        let recorder = try RunRecorder(path: path, plant: plant, file: demoFile, scenario: scenario, seed: 5, simulation: simulation,
                                       interval: interval)
        _ = try await SimulationRunner(speed: .asFastAsPossible, clock: ContinuousClock())
            .run(simulation, for: seconds, everyStep: { try recorder.record($0) }) { _ in }
        try recorder.finish()
        return path
    }

    /// Replays a run with a plant (the stored one by default) into an in-memory historian.
    static func replay(_ path: String, plant: Plant? = nil) async throws -> (MonitorState, ReplaySummary, [JournalEvent]) {
        let run = try RecordedRun.open(path: path)
        let plant = try plant ?? PlantLoader.load(yaml: try #require(run.configText), file: "stored")
        let historian = try SQLiteHistorian.inMemory()
        let state = MonitorState(plant: plant, historian: historian, publishesLiveUpdates: false)
        let summary = try await Replay(run: run, state: state).run()
        // Ids are row numbers of the historian, which differ between replays with other alarms; the rest must not.
        let events = try historian.events(from: .min, to: .max, kind: .alarm, limit: 1_000_000).sorted { ($0.time, $0.id!) < ($1.time, $1.id!) }
            .map { JournalEvent(time: $0.time, kind: $0.kind, source: $0.source, message: $0.message, detail: $0.detail, user: $0.user) }
        return (state, summary, events)
    }

    static func raised(_ events: [JournalEvent]) -> [String] {
        events.filter { $0.message.hasPrefix("raised") }.map(\.source)
    }

    @Test func replayIsDeterministic() async throws {
        let path = try await Self.record(try Scenario.load("comm-faults"), seconds: 5400)
        let (stateA, summaryA, eventsA) = try await Self.replay(path)
        let (stateB, summaryB, eventsB) = try await Self.replay(path)
        #expect(summaryA.values == summaryB.values && summaryA.values > 0)
        #expect(eventsA == eventsB)
        #expect(!eventsA.isEmpty, "the comm-faults scenario raises device alarms")
        #expect(stateA.kpis == stateB.kpis)
        let a = try #require(stateA.historian).samples("kpi:li_recovery", from: .min, to: .max)
        let b = try #require(stateB.historian).samples("kpi:li_recovery", from: .min, to: .max)
        #expect(a == b && a.count > 100)
    }

    @Test func commFaultsOfARecordingBecomeWhatThePollerMeets() async throws {
        let path = try await Self.record(try Scenario.load("comm-faults"), seconds: 5400)
        let (state, summary, events) = try await Self.replay(path)
        let run = try RecordedRun.open(path: path)
        // no-response on the device serving production.flow (demo-wellhead) from 10 to 15 min.
        let downs = events.filter { $0.source == "demo-wellhead:DEVICE_DOWN" }
        let raisedAt = try #require(downs.first { $0.message.hasPrefix("raised") }).time - run.start
        // Raised after the device's DEVICE_DOWN on-delay: two periods of its fastest scan group (1 s), as live.
        #expect(abs(raisedAt - 602_000) <= 1_000, "down raised \(raisedAt) ms after start")
        let clearedAt = try #require(downs.first { $0.message.hasPrefix("cleared") }).time - run.start
        // Recovery within the backoff cap (30 s) plus a scan after the fault ends at 15 min.
        #expect(clearedAt >= 900_000 && clearedAt <= 900_000 + 31_000, "down cleared \(clearedAt) ms after start")
        let wellhead = try #require(summary.qualityByDevice["demo-wellhead"])
        #expect((wellhead["bad(timeout)"] ?? 0) > 0)
        #expect((wellhead["bad(commFailure)"] ?? 0) > 0, "dropped connections")
        // Exceptions on the device serving product.rate (demo-refinery), code 4, device stays up.
        let refinery = try #require(summary.qualityByDevice["demo-refinery"])
        #expect((refinery["bad(exception 4)"] ?? 0) > 0)
        #expect(!Self.raised(events).contains("demo-refinery:DEVICE_DOWN"))
        // The late responses (2 s, beyond the 1 s response timeout) and the restart of demo-dle.
        let dle = try #require(summary.qualityByDevice["demo-dle"])
        #expect((dle["bad(timeout)"] ?? 0) > 0 && (dle["bad(notConnected)"] ?? 0) > 0)
        #expect(state.deviceStatuses.allSatisfy { $0.up }, "every device recovered by the end")
        #expect(summary.commFaults.count == 5)
        // The rollups written chunk by chunk equal those of the finished historian computed in one pass.
        let output = try #require(state.historian)
        let check = try SQLiteHistorian.inMemory()
        for tag in ["PW1.FT101", "DLE.AT402", "REF.WT610"] {
            let samples = try output.samples(tag, from: .min, to: .max)
            check.append(samples)
        }
        try check.flush()
        try check.updateRollups(from: run.start, to: run.end + 1, inFlight: 0)
        for tag in ["PW1.FT101", "DLE.AT402", "REF.WT610"] {
            for width: Int64 in [60_000, 3_600_000] {
                let chunked = try output.rollups(tag, width: width, from: .min, to: .max)
                let whole = try check.rollups(tag, width: width, from: .min, to: .max)
                #expect(chunked.map(\.time) == whole.map(\.time) && !whole.isEmpty, "\(tag) at \(width)")
                #expect(zip(chunked, whole).allSatisfy { a, b in
                    a.count == b.count && a.quality == b.quality && (a.min == b.min || a.min.isNaN && b.min.isNaN)
                        && (abs(a.mean - b.mean) <= 1e-9 * max(1, abs(b.mean)) || a.mean.isNaN && b.mean.isNaN)
                }, "\(tag) at \(width)")
            }
        }
    }

    @Test func aChangedAlarmLimitChangesExactlyItsAlarms() async throws {
        let path = try await Self.record(try Scenario.load("pump-trip"), seconds: 3600)
        let run = try RecordedRun.open(path: path)
        let plant = try PlantLoader.load(yaml: try #require(run.configText), file: "stored")
        // The wellhead runs near 159 °C: a high limit of 150 °C alarms, a low limit of 100 °C never does.
        let overrides = try AlarmOverrides.load(yaml: """
            alarms:
              PW1.TT101: {low: 100, high: 150, high_high: 200, deadband: 1}
            """, file: "alarms.yaml", plant: plant)
        let (_, _, before) = try await Self.replay(path, plant: plant)
        let (_, _, after) = try await Self.replay(path, plant: plant.applying(overrides))
        let others = { (events: [JournalEvent]) in events.filter { !$0.source.hasPrefix("PW1.TT101:") } }
        #expect(others(before) == others(after), "alarms of other tags are untouched")
        #expect(!Self.raised(others(before)).isEmpty, "the pump trip raises flow alarms")
        #expect(!Self.raised(before).contains("PW1.TT101:H"))
        #expect(Self.raised(after).contains("PW1.TT101:H"))
        #expect(!Self.raised(after).contains("PW1.TT101:HH"))
    }

    @Test func unknownTagsAndBadLimitsInAnAlarmFileAreReported() throws {
        let plant = try PlantLoader.load(path: Self.demoFile)
        #expect {
            try AlarmOverrides.load(yaml: "alarms:\n  PW1.TT10: {high: 1}\n  PW1.FT101: {low: 5, low_low: 9}\n", file: "a.yaml", plant: plant)
        } throws: { error in
            let text = "\(error)"
            return text.contains("a.yaml:2:3") && text.contains("did you mean \"PW1.TT101\"") && text.contains("a.yaml:3:")
                && text.contains("must be above")
        }
        let removed = try AlarmOverrides.load(yaml: "alarms:\n  PW1.FT101: none\n", file: "a.yaml", plant: plant)
        #expect(plant.applying(removed).tag(named: "PW1.FT101")?.alarms == nil)
        #expect(plant.applying(removed).tag(named: "PW1.TT101")?.alarms == plant.tag(named: "PW1.TT101")?.alarms)
    }

    @Test func aCSVExportReplaysLikeTheHistorianItCameFrom() async throws {
        // A monitor-style historian: the replay of a recording (values with qualities, compressed).
        let recording = try await Self.record(try Scenario.load("sensor-faults"), seconds: 3 * 3600)
        let historianPath = Self.temporaryPath("historian.sqlite")
        do {
            let run = try RecordedRun.open(path: recording)
            let plant = try PlantLoader.load(yaml: try #require(run.configText), file: "stored")
            let historian = try SQLiteHistorian(path: historianPath)
            _ = try historian.beginRun(RunInfo(kind: .monitor, plant: plant.id, started: run.start, config: run.configText!, version: "test"))
            let state = MonitorState(plant: plant, historian: historian, publishesLiveUpdates: false)
            _ = try await Replay(run: run, state: state).run()
        }
        let csvPath = Self.temporaryPath("export.csv")
        let source = try SQLiteHistorian.open(readingAt: historianPath)
        let tags = try source.series().filter { $0.kind == .tag }.map(\.name)
        try source.longCSV(series: tags, from: .min, to: .max).write(toFile: csvPath, atomically: true, encoding: .utf8)
        let plant = try PlantLoader.load(path: Self.demoFile)
        let (fromDB, summaryDB, eventsDB) = try await Self.replay(historianPath, plant: plant)
        let (fromCSV, summaryCSV, eventsCSV) = try await Self.replay(csvPath, plant: plant)
        #expect(summaryDB.values == summaryCSV.values && summaryDB.values > 0)
        #expect(Self.raised(eventsDB) == Self.raised(eventsCSV))
        #expect(fromDB.kpis.map(\.value) == fromCSV.kpis.map(\.value))
        // The sensor faults of the recording arrive as bad values (the dropout's NaN, the out-of-range drift).
        #expect(fromDB.kpis.contains { $0.name == "li_recovery" })
        #expect(summaryDB.qualityByDevice.values.contains { $0.keys.contains { $0.hasPrefix("bad") } })
    }

    @Test func malformedCSVLinesAreNamed() throws {
        let path = Self.temporaryPath("bad.csv")
        try "time,series,value,quality\n1000,PW1.FT101,12.5,good\n2000,PW1.FT101,abc,good\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try RecordedRun.open(path: path) } throws: { "\($0)".contains("bad.csv:3: value \"abc\" is not a number") }
        try "time,series,value,quality\n1000,PW1.FT101,12.5,bad(whatever)\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try RecordedRun.open(path: path) } throws: { "\($0)".contains(":2: quality") }
        try "t,v\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try RecordedRun.open(path: path) } throws: { "\($0)".contains(":1: expected the header") }
        #expect { try RecordedRun.open(path: Self.temporaryPath("missing.sqlite")) } throws: { "\($0)".contains("no such file") }
    }
}
