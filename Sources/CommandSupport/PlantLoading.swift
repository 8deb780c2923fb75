import ArgumentParser
import Foundation
public import PlantConfig
public import ProcessModel

/// Loads a plant description or fails with its issues, for every command that takes one.
public func loadPlant(_ file: String) throws -> Plant {
    try loadPlantText(file).plant
}

/// Loads a plant description and its text: a missing, unreadable or non-text file is a ``FileError``, a
/// description with problems a ``PlantFileError`` listing every one.
public func loadPlantText(_ file: String) throws -> (plant: Plant, text: String) {
    try FileError.checkReadable(file, as: "plant description")
    let text: String
    do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
        throw FileError.from(error, path: file, what: "plant description")
    }
    do {
        return (try PlantLoader.load(yaml: text, file: (file as NSString).lastPathComponent), text)
    } catch let error as PlantConfigError {
        throw PlantFileError(issues: error)
    }
}

/// The plant's process parameters with `--set key=value` overrides; a bad override is a usage error naming it.
public func flowsheetParameters(of plant: Plant, settings: [String]) throws -> FlowsheetParameters {
    do {
        return try plant.flowsheetParameters(overrides: settings.map(splitSetting))
    } catch let error as ProcessParameterError {
        throw ValidationError("--set: \(error.message)")
    }
}
