import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessStudies
import Reporting

/// The steps of `geolith calibrate`'s `run()` for a column experiment: the measured runs, the fit, and the files
/// it writes.
extension CalibrateCommand {
    /// Each `--data` file as a measured run of `components`; an unreadable or malformed file is a usage error.
    func measuredRuns(components: [String]) throws -> [CalibrationRun] {
        var runs: [CalibrationRun] = []
        for path in data {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read \(path)")
            }
            do {
                runs.append(try CalibrationRun(text: text, file: (path as NSString).lastPathComponent, components: components))
            } catch {
                throw ValidationError(error.message)
            }
        }
        return runs
    }

    /// The calibration problem: the `--fit` keys of the experiment within `--bounds`, against `runs`.
    func calibration(of experimentFile: ColumnExperimentFile, runs: [CalibrationRun]) throws -> Calibration {
        let limits = try parsedBounds()
        do {
            return try Calibration(
                file: experimentFile, runs: runs, fit: (fit ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) },
                bounds: limits)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// The fit and how long it took, s. Parameters the data cannot tell apart are refused on standard error with
    /// a failure status; other study errors are usage errors.
    func fitted(_ calibration: Calibration) throws -> (CalibrationResult, seconds: Double) {
        let clock = ContinuousClock(), started = clock.now
        do {
            let result = try calibration.fit(maximumIterations: iterations)
            return (result, ProgressDisplay.seconds(clock.now - started))
        } catch let error as StudyError where error.code == .unidentifiable {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            throw ExitCode.failure
        } catch let error as StudyError {
            throw ValidationError(error.message)
        }
    }

    /// Writes the calibrated experiment (`--out`, or beside FILE), and the `--svg` chart and `--residuals` CSV when
    /// asked, saying where each went.
    func writeOutputs(_ calibration: Calibration, _ result: CalibrationResult, runs: [CalibrationRun]) throws {
        let target = out ?? Self.defaultOutput(file)
        let date = ISO8601DateFormatter().string(from: Date()).prefix(10)
        try calibration.calibratedText(result, data: runs.map(\.file), date: String(date))
            .write(toFile: target, atomically: true, encoding: .utf8)
        print("calibrated experiment: \(target)")
        if let svg {
            try calibration.chart(result).svg().write(toFile: svg, atomically: true, encoding: .utf8)
            print("data and fit: \(svg)")
        }
        if let residuals {
            try calibration.residualsCSV(result).write(toFile: residuals, atomically: true, encoding: .utf8)
            print("residuals: \(residuals)")
        }
    }
}
