import ArgumentParser
import Foundation
public import PlantConfig
public import ProcessModel

/// Reading column experiment files for `column`, `sweep` and `calibrate`: the file, its `--set` overrides
/// (applied in the order given; each names a key of the file), and errors as for plant files.
public enum ExperimentLoading {
    /// The file with `settings` (`key=value`) applied.
    ///
    /// - Throws: `ValidationError` with every problem (file:line:column: key path: message), or naming the
    ///   file when it cannot be read.
    public static func file(_ path: String, settings: [String] = []) throws -> ColumnExperimentFile {
        try FileError.checkReadable(path, as: "column experiment file")
        var file: ColumnExperimentFile
        do {
            file = try ColumnExperimentFile.load(path: path)
        } catch let error as PlantConfigError {
            throw PlantFileError(issues: error)
        } catch {
            throw FileError.from(error, path: path, what: "column experiment file")
        }
        for setting in settings {
            let (key, value) = splitSetting(setting)
            guard setting.contains("="), !key.isEmpty else {
                throw ValidationError("--set \(setting): expected key.path=value")
            }
            do {
                file = try file.setting(key, to: value)
            } catch {
                throw ValidationError("--set \(setting): \(error)")
            }
        }
        return file
    }

    /// The experiment of `file`.
    ///
    /// - Throws: `ValidationError` listing every problem.
    public static func experiment(_ file: ColumnExperimentFile) throws -> ColumnExperiment {
        do {
            return try file.experiment()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `--set` values for the column command's numeric options, in the file's words.
    public static func numericSettings(
        cells: Int?, scheme: String?, rtol: Double?, atol: Double?, sample: Double?, cycles: Int?
    ) -> [String] {
        var settings: [String] = []
        if let cells { settings.append("numerics.cells=\(cells)") }
        if let scheme { settings.append("numerics.scheme=\(scheme == "thirdOrder" ? "third_order" : scheme)") }
        if let rtol { settings.append("numerics.rtol=\(rtol)") }
        if let atol { settings.append("numerics.atol=\(atol)") }
        if let sample { settings.append("numerics.sample_s=\(sample)") }
        if let cycles { settings.append("cycles=\(cycles)") }
        return settings
    }
}

extension ColumnExperiment {
    /// Outlet of every component in mg/L at each sample, with bed volumes passed: `time_s,bed_volumes,Cl_mg_per_l,…`
    /// (the columns `geolith calibrate --data` reads).
    public func outletCSV(_ run: ColumnExperimentRun) -> String {
        let bedVolume = model.geometry.bedVolume
        var text = "time_s,bed_volumes," + components.map { "\($0.name)_mg_per_l" }.joined(separator: ",") + "\n"
        for sample in run.samples {
            text += "\(sample.time),\(run.bedVolumes(at: sample.time, bedVolume: bedVolume))"
            for (k, component) in components.enumerated() {
                // mol/m³ × g/mol = g/m³ = mg/L.
                text += ",\(sample.concentrations[k] * component.molarMass)"
            }
            text += "\n"
        }
        return text
    }
}

/// `key=value` split at the first `=`.
public func splitSetting(_ setting: String) -> (key: String, value: String) {
    let parts = setting.split(separator: "=", maxSplits: 1)
    return (String(parts[0]).trimmingCharacters(in: .whitespaces), parts.count > 1 ? String(parts[1]) : "")
}
