import ArgumentParser
import CommandSupport
import Foundation
import Historian
import HistorianPostgres
import Monitor
import PlantConfig
import Reporting
import Simulator

/// `geolith replay RUN`: a recorded run through the live monitor's pipeline, with a report.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded run (simulator recording, monitor historian or CSV export) through the monitor's pipeline.",
        discussion: """
            Every device's scan groups are read from the recording on their periods, decoded, checked, alarmed and
            fed to the soft sensors exactly as the live monitor does, in replayed time; the result goes to a new
            historian (--db, default REPORT/replay.sqlite or a temporary file) and, with --report, to a Markdown and
            HTML report with SVG plots: the run and its scenario, KPIs against the simulator's truth, the alarm
            timeline and ISA-18.2 / EEMUA 191 alarm-rate figures, balance closure and suspect instruments, and data
            quality per device. --alarms FILE replays with other alarm limits (the report then lists what changed
            against the run's own limits); --set changes the process parameters the soft sensors use. The same run
            and settings give the same output.
            """)

    @Argument(help: "The recorded run: a .sqlite recording or historian, a long-form .csv export, or a plant of a PostgreSQL historian (postgres://user@host:port/db with --plant).")
    var run: String

    @Option(help: "PostgreSQL: the plant to replay (may be left out when the database holds one plant).")
    var plant: String?

    @Option(help: "PostgreSQL: file whose first line is the password (else the PGPASSWORD environment variable).")
    var passwordFile: String?

    @Option(help: "Plant description to replay with (default: the one stored with the run).")
    var config: String?

    @Option(help: "Alarm limits replacing the plant description's: a YAML file mapping tag names to alarm limits.")
    var alarms: String?

    @Option(name: .customLong("set"), help: "Override a process parameter for the soft sensors: key=value[unit]. Repeatable.")
    var settings: [String] = []

    @Option(help: "Replayed seconds per wall second (default: as fast as possible).")
    var speed: Double?

    @Flag(help: "Replay as fast as possible (the default).")
    var asFastAsPossible = false

    @Option(help: "Write the report (report.md, report.html, SVG plots) into this folder.")
    var report: String?

    @Option(help: "The replay's own historian (default: REPORT/replay.sqlite, or a temporary file).")
    var db: String?

    func validate() throws {
        if let speed, !(speed > 0 && speed.isFinite) { throw ValidationError("--speed must be a positive number") }
        if let db, db.lowercased().hasPrefix("postgres") {
            throw ValidationError("--db: a replay writes its own historian to a SQLite file; give a file name")
        }
        if speed != nil && asFastAsPossible { throw ValidationError("give --speed or --as-fast-as-possible, not both") }
        for setting in settings where !setting.contains("=") { throw ValidationError("--set \(setting): expected key=value") }
    }

    func run() async throws {
        let recorded = try openRecorded()
        let original = try plant(for: recorded)
        let overrides = try alarmOverrides(for: original)
        let plant = overrides.map { original.applying($0) } ?? original
        let softSensors = try softSensors(for: plant)
        let path = try outputPath(input: recorded.path)
        let historian = try SQLiteHistorian(path: path)
        let runID = try historian.beginRun(runInfo(recorded, plant: plant))
        let state = MonitorState(plant: plant, historian: historian, softSensors: softSensors, publishesLiveUpdates: false)
        let summary = try await replay(recorded, into: state, softSensors: softSensors)
        try historian.endRun(runID, at: recorded.end)
        var baseline: ReplayReport.Baseline?
        if let overrides { baseline = try await Self.baseline(recorded, original, softSensors, overrides) }
        let report = try ReplayReport(recorded: recorded, plant: plant, state: state, historian: historian, summary: summary,
                                      baseline: baseline, settings: settings, alarmsFile: alarms)
        print(report.consoleSummary(database: path))
        if let directory = self.report { try Self.write(report, into: directory) }
    }

    /// Replays `recorded` into `state` at `--speed`, with a progress line.
    func replay(_ recorded: RecordedRun, into state: MonitorState, softSensors: SoftSensors) async throws -> ReplaySummary {
        var options = ReplayOptions()
        options.speed = speed
        let progress = ProgressLine(label: "replay")
        let summary = try await Replay(run: recorded, state: state, softSensors: softSensors, options: options).run { progress.update(fraction: $0) }
        progress.finish()
        return summary
    }

    /// The run of --run: a recording, historian or CSV export, or a plant's history in PostgreSQL.
    func openRecorded() throws -> RecordedRun {
        guard case .postgres = try HistorianLocation(parsing: run) else { return try RunFiles.openRun(run) }
        do {
            let source = try Historians.openForReading(try HistorianLocation(parsing: run), plant: plant, passwordFile: passwordFile)
            return try RecordedRun.open(source, path: run)
        } catch { throw ValidationError("\(error)") }
    }

    /// The alarm limits of --alarms, checked against the plant.
    func alarmOverrides(for plant: Plant) throws -> AlarmOverrides? {
        guard let alarms else { return nil }
        let text: String
        try FileError.checkReadable(alarms, as: "alarms file")
        do { text = try String(contentsOfFile: alarms, encoding: .utf8) } catch {
            throw FileError.from(error, path: alarms, what: "alarms file")
        }
        do { return try AlarmOverrides.load(yaml: text, file: (alarms as NSString).lastPathComponent, plant: plant) } catch {
            throw RunCommandError(kind: .invalidFile, message: "--alarms: \(error)")
        }
    }

    /// The soft sensors of the plant with --set overrides; without process data the KPIs that need it are off, as live.
    func softSensors(for plant: Plant) throws -> SoftSensors {
        let pairs = EstimateCommand.overrides(settings)
        if plant.isMonitoringOnly && pairs.isEmpty { return SoftSensors(plant: plant) }
        do { return SoftSensors(parameters: try plant.flowsheetParameters(overrides: pairs)) } catch {
            throw ModelCommandError(kind: .badOverride, message: "--set: \(error)")
        }
    }

    /// The replay's run in its historian: the recorded run's scenario, seed, start and plant description.
    func runInfo(_ recorded: RecordedRun, plant: Plant) -> RunInfo {
        RunInfo(
            kind: .replay, plant: plant.id, scenario: recorded.info?.scenario ?? "", seed: recorded.info?.seed ?? 0,
            started: recorded.start, config: (try? config.map { try String(contentsOfFile: $0, encoding: .utf8) }) ?? recorded.configText ?? "",
            version: "0.1.0", notes: "replay of \(recorded.path)" + (alarms.map { "; alarms \($0)" } ?? "")
                + settings.map { "; --set \($0)" }.joined())
    }

    /// The same run with the run's own limits, so the report can say what the new limits changed.
    static func baseline(_ recorded: RecordedRun, _ original: Plant, _ softSensors: SoftSensors, _ overrides: AlarmOverrides) async throws
        -> ReplayReport.Baseline
    {
        let reference = MonitorState(plant: original, historian: try SQLiteHistorian.inMemory(), softSensors: softSensors,
                                     publishesLiveUpdates: false)
        _ = try await Replay(run: recorded, state: reference, softSensors: softSensors, options: ReplayOptions()).run()
        return ReplayReport.Baseline(overrides: overrides, alarmEvents: try ReplayReport.alarmEvents(reference.historian!, recorded))
    }

    /// The report's files (Markdown, HTML, SVG) into `directory`.
    static func write(_ report: ReplayReport, into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in report.document().files() {
            try file.contents.write(toFile: (directory as NSString).appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
        print("report: \((directory as NSString).appendingPathComponent("report.md")) and report.html")
    }

    /// The plant description to replay with: --config, else the one the run stored.
    func plant(for recorded: RecordedRun) throws -> Plant {
        if let config { return try loadPlant(config) }
        guard let text = recorded.configText else {
            throw RunCommandError(kind: .invalidFile, message: "\(recorded.path) holds no plant description: give --config FILE")
        }
        do { return try PlantLoader.load(yaml: text, file: "\((recorded.path as NSString).lastPathComponent) (stored plant description)") } catch {
            throw RunCommandError(kind: .invalidFile,
                                  message: "the plant description stored in \(recorded.path) is not valid here (give --config FILE):\n\(error)")
        }
    }

    /// Where the replay's historian goes. An existing file is replaced only if a replay wrote it.
    func outputPath(input: String) throws -> String {
        let path = db ?? report.map { ($0 as NSString).appendingPathComponent("replay.sqlite") }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("geolith-replay-\(UUID()).sqlite").path
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
        guard resolved != URL(fileURLWithPath: input).standardizedFileURL.path else {
            throw RunCommandError(kind: .wouldOverwrite, message: "the replay's historian would overwrite the recorded run \(input): choose another --db")
        }
        if FileManager.default.fileExists(atPath: path) {
            let previous = try? SQLiteHistorian.open(readingAt: path).runs()
            guard let previous, !previous.isEmpty, previous.allSatisfy({ $0.kind == .replay }) else {
                throw RunCommandError(kind: .wouldOverwrite, message: "\(path) exists and was not written by a replay: remove it or choose another --db")
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        } else if let directory = Optional((path as NSString).deletingLastPathComponent), !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return path
    }
}

/// A progress line on standard error: a bar with rate and ETA on a terminal, plain lines every 10 % otherwise.
final class ProgressLine: @unchecked Sendable {   // Safe: used from one task at a time.
    let label: String
    private let terminal = isatty(STDERR_FILENO) == 1
    private let start = ContinuousClock.now
    private var lastShown = -1

    init(label: String) { self.label = label }

    func update(fraction: Double) {
        let percent = Int((min(max(fraction, 0), 1) * 100).rounded(.down))
        let elapsed = (ContinuousClock.now - start).seconds
        if terminal {
            let width = 30, filled = percent * width / 100
            let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r%@ %@ %3d %% %6.1f s, ETA %6.1f s", label, bar, percent, elapsed, eta).utf8))
        } else if percent / 10 > lastShown / 10 || lastShown < 0 {
            FileHandle.standardError.write(Data("\(label): \(percent) % after \(String(format: "%.1f", elapsed)) s\n".utf8))
        }
        lastShown = percent
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
