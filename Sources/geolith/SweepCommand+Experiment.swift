import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessStudies

extension SweepRunCommand {
    /// `geolith sweep EXPERIMENT.yaml --vary key=… [--samples N --seed S] [--set …]`: a sweep of a column
    /// experiment file. Every key of the file can be varied; each point runs the column model (the experiment's
    /// model is always the dynamic one, so `--model` may be left out or given as `dynamic`). The CSV has one row
    /// per point: the varied values, the last cycle's KPIs and the first load's breakthrough, status and error.
    func runExperimentSweep() throws {
        if shard != nil || report != nil || objective != nil {
            throw ValidationError("--shard, --report and --objective are for plant sweeps; an experiment sweep writes its CSV")
        }
        let sweep: ExperimentSweep
        do {
            let dimensions = try varies.map { text throws(StudyError) in try ExperimentDimension(parsing: text) }
            let experiment = try ExperimentLoading.file(file, settings: settings)
            sweep = try ExperimentSweep(file: experiment, dimensions: dimensions, samples: samples, seed: seed ?? 1)
        } catch let error as StudyError {
            throw ValidationError(error.message)
        }
        let sink = try OutputSink(path: out)
        var display = ProgressDisplay(label: "sweep", unit: "column runs", quiet: quiet)
        let total = sweep.count
        let solved = try sweep.run(jobs: jobs, write: { try sink.write(Array($0.utf8)) }) { done, failed in
            display.update(done: done, total: total, failed: failed)
        }
        try sink.close()
        display.finish(
            "\(total) column runs in " + String(format: "%.2f s", display.elapsed) + " (\(jobs) jobs): \(solved) solved"
                + (total > solved ? ", \(total - solved) failed or invalid" : "") + (out.map { " → \($0)" } ?? ""))
        if total > 0 && solved == 0 {
            FileHandle.standardError.write(Data("sweep: no point solved; see the error column\n".utf8))
            throw ExitCode(1)
        }
    }
}
