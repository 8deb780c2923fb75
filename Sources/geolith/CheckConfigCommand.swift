import ArgumentParser
import CommandSupport
import Monitor
import PlantConfig
import Timekeeping

/// `geolith check-config FILE...`: validates plant descriptions, printing a summary of each good file
/// and every issue of each bad one. Exits with 1 when any file has an issue.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate plant descriptions (PlantConfigs/*.yaml) and report every problem at once."
    )

    @Argument(help: "Plant description files to check.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one plant description file.") }
    }

    func run() throws {
        var failures: [any CommandFailure] = []
        for file in files {
            do {
                let plant = try loadPlant(file)
                print(Self.summary(of: plant, file: file))
            } catch let error as PlantFileError {
                failures.append(error)
                print(error.description)
            } catch let error as FileError {
                failures.append(error)
                print(error.description)
            }
        }
        guard failures.isEmpty else { throw checkFailure(failures) }
    }

    /// One status for the run: invalid content outranks a missing file (both are listed above).
    func checkFailure(_ failures: [any CommandFailure]) -> CheckFailure {
        let status = failures.contains { $0.status == .invalidInput } ? ExitStatus.invalidInput
            : failures.map(\.status).max { $0.rawValue < $1.rawValue }!
        return CheckFailure(status: status, description: "\(failures.count) of \(files.count) description"
            + "\(files.count == 1 ? "" : "s") could not be used")
    }

    struct CheckFailure: CommandFailure {
        var status: ExitStatus
        var description: String
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.wholeMilliseconds
    }

    static func summary(of plant: Plant, file: String) -> String {
        let tags = plant.allTags
        let signals = Set(tags.compactMap(\.signal))
        var lines = [
            "\(file): OK: \(plant.name) (\(plant.id)): \(plant.devices.count) devices, \(tags.count) tags, "
                + "\(signals.count) signals bound"
        ]
        for device in plant.devices {
            let groups = device.scanGroups.map { "\($0.name) \(Self.milliseconds($0.period)) ms" }.joined(
                separator: ", ")
            var endpoint = "\(device.endpoint)"
            if case let .rtu(_, _, parity, _, _) = device.endpoint { endpoint += " (parity \(parity.rawValue))" }
            lines.append("  \(device.name): \(endpoint) unit \(device.unitID), \(device.tags.count) tags [\(groups)]")
        }
        if plant.isMonitoringOnly {
            lines.append("  monitoring only: no \(plant.missingProcessSections.joined(separator: ", ")); the process model "
                + "(estimate, sweep, compare, column) needs brine and process")
        }
        lines.append("  " + SoftSensors.coverage(of: plant).description)
        lines += plant.notes.map { "  note: \($0)" }
        return lines.joined(separator: "\n")
    }
}
