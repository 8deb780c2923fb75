import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel
import ProcessStudies
import Reporting

/// `geolith sweep`: parameter sweeps of the process model (`geolith sweep FILE …`, `geolith sweep merge …`).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sweep process parameters over a grid or a Latin hypercube, on all cores, sharded if need be.",
        discussion: """
            geolith sweep FILE --vary key=from:to:steps … runs a sweep (run is the default subcommand: see \
            geolith sweep run --help for every option); geolith sweep merge SHARD… joins the shards of one.
            """,
        subcommands: [SweepRunCommand.self, SweepMergeCommand.self],
        defaultSubcommand: SweepRunCommand.self)
}

/// `geolith sweep FILE --vary …`: one sweep (or one shard of it).
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a sweep: one CSV row per point with the varied values and every KPI.",
        discussion: """
            --vary key=from:to:steps (a grid axis), key=v1,v2,… (listed values or choices), or with --samples N \
            key=from:to (a Latin hypercube over the intervals). FILE may be a column experiment file: then any \
            of its keys varies (steps.load.end.bed_volumes=10:30:5) and every point runs the column model. Values may carry units: \
            production.flow=180m3/h:360m3/h:7. \
            Each point is what `geolith estimate FILE --set …` gives with the point's values as further overrides, \
            applied in the catalogue's order. A point that fails (an invalid combination, no convergence) is \
            reported in its row and the sweep goes on. --shard K/N runs the points i with i % N = K-1, with \
            metadata that `geolith sweep merge` checks. `geolith estimate --list-parameters` lists the keys.
            """)

    @Argument(help: "Plant description (YAML).")
    var file: String

    @Option(
        name: .customLong("vary"),
        help: "A varied parameter: key=from:to:steps, key=v1,v2,… or key=from:to (with --samples). Repeatable.")
    var varies: [String] = []

    @Option(help: "Latin hypercube of this many points over the --vary intervals, instead of a grid.")
    var samples: Int?

    @Option(help: "Seed of the Latin hypercube (the same seed gives the same points).")
    var seed: UInt64?

    @Option(
        name: .customLong("set"), help: "Override a process parameter for every point: key=value[unit]. Repeatable.")
    var settings: [String] = []

    @Option(
        help:
            "steady (the flowsheet with the plant's DLE model) or dynamic (the column model's cyclic steady state; slow)."
    )
    var model: SweepDefinition.Model = .steady

    @Option(help: "Worker threads (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var output: SweepOutputOptions

    @Option(help: "Run only shard K of N: the points i with i % N = K-1 (e.g. $SLURM_ARRAY_TASK_ID/N).")
    var shard: String?

    @Flag(help: "No progress display.")
    var quiet = false

    var out: String? { output.out }
    var report: String? { output.report }
    var objective: String? { output.objective }

    func validate() throws {
        guard !varies.isEmpty else { throw ValidationError("give at least one --vary key=from:to:steps") }
        guard (1...1024).contains(jobs) else { throw ValidationError("--jobs must be 1...1024") }
        if seed != nil && samples == nil {
            throw ValidationError("--seed chooses a Latin hypercube: give --samples N too")
        }
        if objective != nil && report == nil && shard == nil {
            throw ValidationError("--objective ranks the points of a report: add --report DIR")
        }
        if shard != nil && report != nil {
            throw ValidationError(
                "--report needs the whole sweep: merge the shards first (geolith sweep merge … --report DIR)")
        }
        for setting in settings where !setting.contains("=") {
            throw ValidationError("--set \(setting): expected key=value")
        }
    }

    func run() throws {
        if ColumnExperimentFile.isExperiment(path: file) { return try runExperimentSweep() }
        let (definition, slice, objective) = try parsedSweep()
        for notice in definition.notices { FileHandle.standardError.write(Data("note: \(notice)\n".utf8)) }
        let outPath = output.csvPath
        if let report { try createFolder(report) }
        let sink = try OutputSink(path: outPath)
        var display = ProgressDisplay(label: "sweep", quiet: quiet)
        let summary = try SweepRunner.run(definition, options: runnerOptions(slice, objective), write: sink.write) { p in
            display.update(done: p.completed, total: p.total, failed: p.failed)
        }
        try sink.close()
        display.finish(finishLine(summary, slice: slice, of: definition, seconds: display.elapsed, outPath: outPath))
        if let report, let table = summary.table {
            try writeReport(table: table, definition: definition, objective: objective, folder: report)
        }
        try Self.requireASolvedPoint(summary, outPath: outPath)
    }

    private func writeReport(table: SweepTable, definition: SweepDefinition, objective: SweepObjective, folder: String)
        throws
    {
        var context = [
            "plant: \(definition.plant.name) (`\(definition.plant.id)`, `\(definition.plantFile)`)",
            "model: \(definition.model.rawValue)",
        ]
        if !settings.isEmpty { context.append("overrides: " + settings.map { "`\($0)`" }.joined(separator: ", ")) }
        let report = SweepReport(
            title: "Sweep of \(definition.plant.name)", context: context, table: table, objective: objective)
        try writeReportFiles(report.build(), folder: folder)
    }
}

/// Where a sweep's (or a merge's) CSV and report go, and what the report ranks by.
struct SweepOutputOptions: ParsableArguments {
    @Option(help: "Write the CSV here (default: standard output, or results.csv in the --report folder).")
    var out: String?

    @Option(help: "Write a report (Markdown, HTML, SVG plots) into this folder.")
    var report: String?

    @Option(help: "The KPI the report ranks points by: KPI[:max|min] (default li_t_per_year:max, or the shards' own).")
    var objective: String?

    /// The CSV's path: --out, else results.csv in the report folder, else standard output (nil).
    var csvPath: String? { out ?? report.map { ($0 as NSString).appendingPathComponent("results.csv") } }
}

func createFolder(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw FileError(path: path, what: "output folder", problem: .cannotCreate(FileError.from(error, path: path, what: "output folder").reason))
    }
}

/// Writes a report's files (Markdown, HTML, one SVG per figure) into `folder` and says where.
func writeReportFiles(_ report: Report, folder: String) throws {
    try createFolder(folder)
    for file in report.files() {
        try file.contents.write(
            toFile: (folder as NSString).appendingPathComponent(file.name), atomically: true, encoding: .utf8)
    }
    let path = (folder as NSString).appendingPathComponent("report.md")
    FileHandle.standardError.write(Data("report: \(path) (and .html, \(report.figures.count) SVG plots)\n".utf8))
}

/// A file (or standard output) that takes bytes in order.
final class OutputSink {
    private let handle: FileHandle
    private let closes: Bool

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            closes = false
            return
        }
        // open(2), not FileManager.createFile: that one writes a temporary file and renames it over the path, which
        // replaced /dev/null itself (a regular file in its place) when a sweep was given --out /dev/null as root.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw FileError(path: path, what: "output", problem: .cannotCreate(String(cString: strerror(errno))))
        }
        self.handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        closes = true
    }

    func write(_ bytes: [UInt8]) throws { try handle.write(contentsOf: bytes) }

    func close() throws { if closes { try handle.close() } }
}
