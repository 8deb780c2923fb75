import ArgumentParser
import CommandSupport
import Foundation
import ProcessStudies

/// `geolith sweep merge SHARD…`: joins the shards of one sweep into the file an unsharded run writes.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract:
            "Merge the shards of a sweep (geolith sweep --shard K/N) into one CSV, byte for byte the unsharded run's.",
        discussion: """
            Refuses shards of another sweep (plant file, --set, --vary, design, seed, model or columns differ), a \
            missing or repeated shard, and a shard that is truncated or holds rows it should not.
            """)

    @Argument(help: "The shard files, in any order.")
    var shards: [String]

    @OptionGroup var output: SweepOutputOptions

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shard files") }
        if let out = output.out, shards.contains(out) { throw ValidationError("--out \(out) is one of the shards") }
        if output.objective != nil && output.report == nil {
            throw ValidationError("--objective ranks the points of a report: add --report DIR")
        }
    }

    func run() throws {
        let outPath = output.csvPath
        if let report = output.report { try createFolder(report) }
        let summary = try mergeShards(into: outPath)
        let m = summary.metadata
        let line = "sweep merge: \(m.shard.count) shards, \(summary.rows) points of \(m.plantID)"
            + (outPath.map { " → \($0)" } ?? "")
        FileHandle.standardError.write(Data((line + "\n").utf8))
        guard let report = output.report else { return }
        guard let outPath else { return }
        try writeReport(of: m, csv: outPath, folder: report)
    }

    /// Merges the shards into `outPath` (nil: standard output) through a temporary file first, so that a refused
    /// merge leaves no half-written result behind; shards that do not belong together are invalid input.
    func mergeShards(into outPath: String?) throws -> SweepMerge.Summary {
        let temporary = outPath.map { $0 + ".partial" }
        let sink = try OutputSink(path: temporary)
        let summary: SweepMerge.Summary
        do {
            summary = try SweepMerge.merge(shards, write: sink.write)
            try sink.close()
        } catch let error as StudyError {
            try? sink.close()
            if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
            throw RunCommandError(kind: .invalidFile, message: error.message)
        }
        if let outPath, let temporary {
            _ = try? FileManager.default.removeItem(atPath: outPath)
            try FileManager.default.moveItem(atPath: temporary, toPath: outPath)
        }
        return summary
    }

    /// The report of the merged CSV at `csv`, ranked by `--objective` or else the shards' own.
    func writeReport(of m: SweepMetadata, csv: String, folder: String) throws {
        let dimensions = try m.varies.map { text throws(StudyError) in try SweepDimension(parsing: text) }
        let plan = try SweepPlan(dimensions: dimensions, design: try m.planDesign())
        let table = try SweepTable(csv: try String(contentsOfFile: csv, encoding: .utf8), plan: plan, file: csv)
        let goal = try (output.objective ?? m.objective).map {
            try SweepObjective(parsing: $0, among: table.valueKeys.map(\.key))
        }
        var context = [
            "plant: `\(m.plantID)` (`\(m.plantFile)`)", "model: \(m.model)",
            "merged from \(m.shard.count) shards",
        ]
        if !m.settings.isEmpty {
            context.append("overrides: " + m.settings.map { "`\($0)`" }.joined(separator: ", "))
        }
        let built = SweepReport(
            title: "Sweep of \(m.plantID)", context: context, table: table, objective: goal ?? .lithiumYield)
        try writeReportFiles(built.build(), folder: folder)
    }
}
