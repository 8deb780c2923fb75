import ArgumentParser
import CommandSupport
import Foundation
import ProcessStudies

/// The steps of `geolith sweep FILE`'s `run()` for a plant: the sweep its options describe, how the runner runs
/// it, and what it says when done.
extension SweepRunCommand {
    /// The sweep of `--vary` (a grid, or a Latin hypercube with `--samples`), its `--shard` and the report's
    /// `--objective`; anything malformed is a usage error.
    func parsedSweep() throws -> (SweepDefinition, SweepShard?, SweepObjective) {
        do {
            let dimensions = try varies.map { text throws(StudyError) in try SweepDimension(parsing: text) }
            let design: SweepPlan.Design = samples.map { .latinHypercube(samples: $0, seed: seed ?? 1) } ?? .grid
            let plan = try SweepPlan(dimensions: dimensions, design: design)
            let (plant, text) = try loadPlantText(file)
            let definition = try SweepDefinition(
                plant: plant, plantFile: file, plantText: text, settings: settings.map(splitSetting), plan: plan,
                model: model)
            let slice = try shard.map { text throws(StudyError) in try SweepShard(parsing: text) }
            let objective =
                try self.objective.map { try SweepObjective(parsing: $0, among: definition.valueKeys.map(\.key)) }
                ?? .lithiumYield
            return (definition, slice, objective)
        } catch let error as StudyError {
            throw ValidationError(error.message)
        }
    }

    /// `--jobs`, the shard, and the table kept for a `--report`.
    func runnerOptions(_ slice: SweepShard?, _ objective: SweepObjective) -> SweepRunner.Options {
        var options = SweepRunner.Options(jobs: jobs)
        options.shard = slice
        options.keepTable = report != nil
        options.objective = objective.description
        return options
    }

    /// Points, shard, time, rate, jobs, the count per status and where the CSV went.
    func finishLine(_ summary: SweepRunner.Summary, slice: SweepShard?, of definition: SweepDefinition, seconds: Double,
                    outPath: String?) -> String {
        let counts = SweepStatus.allCases.compactMap { s in summary.counts[s].map { "\($0) \(s)" } }.joined(
            separator: ", ")
        return "\(summary.points) points" + (slice.map { " (shard \($0) of \(definition.plan.count))" } ?? "")
            + String(
                format: " in %.2f s (%@ points/s, %d jobs): ", seconds,
                ProgressDisplay.rate(Double(summary.points) / max(seconds, 1e-9)), jobs)
            + counts + (outPath.map { " → \($0)" } ?? "")
    }

    /// A sweep none of whose points solved fails, pointing at the CSV's error column.
    static func requireASolvedPoint(_ summary: SweepRunner.Summary, outPath: String?) throws {
        if summary.points > 0 && summary.counts[.ok, default: 0] == 0 {
            throw ModelCommandError(kind: .notConverged, message: "sweep: no point solved; see the error column of "
                + (outPath ?? "the CSV"))
        }
    }
}
