import Foundation
import Testing

/// `geolith replay` as an engineer runs it: a run recorded by `geolith simulate --record`, replayed with new
/// alarm limits into a report whose tables and plots hold the expected series.
@Suite(.serialized) struct ReplayCommandTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-replay-cli-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The `data-series` of an SVG chart with its `data-y` numbers.
    static func series(_ svg: String) -> [String: [Double]] {
        var result: [String: [Double]] = [:]
        let pattern = /data-series="([^"]*)" data-x="[^"]*" data-y="([^"]*)"/
        for match in svg.matches(of: pattern) {
            result[String(match.1)] = match.2.split(separator: " ").compactMap { Double(String($0)) }
        }
        return result
    }

    static func record(_ scenario: String, duration: String, into folder: String) throws -> String {
        let run = folder + "/run.sqlite"
        let simulate = try GeolithBinary.run(["simulate", "PlantConfigs/demo.yaml", "--scenario", scenario, "--as-fast-as-possible",
                                              "--duration", duration, "--record", run, "--no-serve"])
        try #require(simulate.status == 0, "simulate: \(simulate.stderr)")
        return run
    }

    @Test func replayWithNewAlarmLimitsWritesAReport() throws {
        let folder = try Self.folder()
        // Two hours: the pump stands from 30 to 75 min, when the DLE KPIs are idle (and not plotted).
        let run = try Self.record("pump-trip", duration: "2h", into: folder)
        // The wellhead runs near 159 °C: a high limit of 150 °C raises the H alarm the shipped limits never do.
        try "alarms:\n  PW1.TT101: {low: 100, high: 150, high_high: 200}\n".write(toFile: folder + "/alarms.yaml", atomically: true, encoding: .utf8)
        let report = folder + "/report"
        let result = try GeolithBinary.run(["replay", run, "--alarms", folder + "/alarms.yaml", "--report", report])
        #expect(result.status == 0, "replay: \(result.stderr)")
        #expect(result.stdout.contains("× real time") && result.stdout.contains("Li recovery"))
        let markdown = try String(contentsOfFile: report + "/report.md", encoding: .utf8)
        for heading in ["## The run", "## KPIs", "## Alarms", "## Balances and instruments", "## Data quality per device",
                        "### What the new alarm limits changed", "| pump-trip |"] {
            #expect(markdown.contains(heading), "report.md lacks \(heading)")
        }
        // The changed limit shows as raised now and not with the run's limits; other alarms are not listed as changed.
        let changes = markdown.components(separatedBy: "### What the new alarm limits changed")[1].components(separatedBy: "###")[0]
        #expect(changes.contains("| PW1.TT101:H | 0 | "), "\(changes)")
        #expect(!changes.contains("PW1.FT101"), "\(changes)")
        #expect(markdown.contains("PW1.FT101:L"), "the pump trip's flow alarm is in the timeline")
        let html = try String(contentsOfFile: report + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg") && !html.contains("http://cdn") && !html.contains("<script src"))
        // The recovery plot holds the replayed KPI and the simulator's truth, close to each other.
        let recovery = Self.series(try String(contentsOfFile: report + "/kpi-li_recovery.svg", encoding: .utf8))
        let replayed = try #require(recovery["replay"]), truth = try #require(recovery["truth"])
        #expect(replayed.count > 50 && truth.count > 50)
        let mean = { (v: ArraySlice<Double>) in v.reduce(0, +) / Double(v.count) }
        // Over the last third (the plant back at its steady cycle after the restart at 75 min): the ramps after the
        // start and the restart, where the instruments' lags put the measured figure ahead of the truth for a DLE cycle
        // or two, are left out (they took the whole-run means 1.6 points apart once the calibrated cycles shortened).
        let last = { (v: [Double]) in v[(v.count * 2 / 3)...] }
        #expect(abs(mean(last(replayed)) - mean(last(truth))) < 1.5,
                "recovery replay \(mean(last(replayed))) % vs truth \(mean(last(truth))) % over the last third; whole run \(mean(replayed[...])) % vs \(mean(truth[...])) %")
        let rate = Self.series(try String(contentsOfFile: report + "/alarm-rate.svg", encoding: .utf8))
        #expect((rate["raised"]?.reduce(0, +) ?? 0) >= 2, "alarms raised per 10 min")
        #expect(FileManager.default.fileExists(atPath: report + "/replay.sqlite"))

        // The same run and settings give the same report (the wall-clock line aside).
        let again = try GeolithBinary.run(["replay", run, "--alarms", folder + "/alarms.yaml", "--report", report])
        #expect(again.status == 0, "\(again.stderr)")
        let second = try String(contentsOfFile: report + "/report.md", encoding: .utf8)
        let stable = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("| replayed |") }.joined(separator: "\n") }
        #expect(stable(second) == stable(markdown))
    }

    @Test func anExportedCSVReplays() throws {
        let folder = try Self.folder()
        let run = try Self.record("sensor-faults", duration: "20m", into: folder)
        let export = try GeolithBinary.run(["export", run, "--out", folder + "/run.csv"])
        #expect(export.status == 0, "\(export.stderr)")
        let csv = try String(contentsOfFile: folder + "/run.csv", encoding: .utf8)
        #expect(csv.hasPrefix("time,series,value,quality\n") && csv.contains(",PW1.FT101,"))
        #expect(!csv.contains(",truth:") && !csv.contains(",signal:"), "--kind tag by default")
        let noConfig = try GeolithBinary.run(["replay", folder + "/run.csv"])
        #expect(noConfig.status != 0 && noConfig.stderr.contains("--config"), "\(noConfig.stderr)")
        let replay = try GeolithBinary.run(["replay", folder + "/run.csv", "--config", "PlantConfigs/demo.yaml", "--db", folder + "/out.sqlite"])
        #expect(replay.status == 0 && replay.stdout.contains("(csv, plant demo)"), "\(replay.stdout)\(replay.stderr)")
    }

    @Test func badInputsGetClearErrors() throws {
        let folder = try Self.folder()
        let missing = try GeolithBinary.run(["replay", folder + "/none.sqlite"])
        #expect(missing.status != 0 && missing.stderr.contains("no such file"), "\(missing.stderr)")
        try "not sqlite".write(toFile: folder + "/junk.sqlite", atomically: true, encoding: .utf8)
        let junk = try GeolithBinary.run(["replay", folder + "/junk.sqlite"])
        #expect(junk.status != 0 && junk.stderr.contains("junk.sqlite"), "\(junk.stderr)")
        let speed = try GeolithBinary.run(["replay", folder + "/none.sqlite", "--speed", "-3"])
        #expect(speed.status != 0 && speed.stderr.contains("--speed"), "\(speed.stderr)")
        let run = try Self.record("normal-week", duration: "10m", into: folder)
        try "alarms:\n  NO.SUCH.TAG: {high: 1}\n".write(toFile: folder + "/alarms.yaml", atomically: true, encoding: .utf8)
        let alarms = try GeolithBinary.run(["replay", run, "--alarms", folder + "/alarms.yaml"])
        #expect(alarms.status != 0 && alarms.stderr.contains("alarms.yaml:2:3") && alarms.stderr.contains("NO.SUCH.TAG"), "\(alarms.stderr)")
        let overwrite = try GeolithBinary.run(["replay", run, "--db", run])
        #expect(overwrite.status != 0 && overwrite.stderr.contains("overwrite the recorded run"), "\(overwrite.stderr)")
        try "x".write(toFile: folder + "/mine.sqlite", atomically: true, encoding: .utf8)
        let foreign = try GeolithBinary.run(["replay", run, "--db", folder + "/mine.sqlite"])
        #expect(foreign.status != 0 && foreign.stderr.contains("not written by a replay"), "\(foreign.stderr)")
        #expect(try String(contentsOfFile: folder + "/mine.sqlite", encoding: .utf8) == "x", "nothing is lost")
    }
}
