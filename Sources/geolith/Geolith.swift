import ArgumentParser
import Foundation
import Modbus
import PlantConfig
import ProcessModel

@main
struct Geolith: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geolith",
        abstract: "Monitoring, process model and simulator for geothermal lithium plants.",
        discussion: "Exit codes (the same in every command):\n"
            + ExitStatus.allCases.map { "  \(String($0.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0))\($0.meaning)" }
                .joined(separator: "\n"),
        version: "0.1.0",
        subcommands: [CheckConfigCommand.self, PlanCommand.self, ReadCommand.self, SimulateCommand.self, MonitorCommand.self,
                      DemoCommand.self, EstimateCommand.self, ColumnCommand.self, SweepCommand.self, CompareCommand.self,
                      CalibrateCommand.self, ReplayCommand.self, ExportCommand.self, HistorianCommand.self, FleetCommand.self, Bench.self]
    )

    /// Parses, runs, and turns every failure into its message on standard error and its exit status
    /// (``ExitStatus``): the same mistake exits with the same code in every command.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let mistyped = CommandSuggestions.unknownSubcommand(in: arguments) {
            fail(mistyped.message, status: .usage)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            report(error)
        }
    }

    /// Prints what went wrong and exits with the code of its kind.
    static func report(_ error: any Error) -> Never {
        switch error {
        case let failure as any CommandFailure:
            fail(failure.description, status: failure.status)
        case let issues as PlantConfigError:
            fail(PlantFileError(issues: issues).description, status: .invalidInput)
        case let parameter as ProcessParameterError:
            fail(parameter.message, status: .usage)
        case let modbus as ModbusError:
            fail(modbus.description, status: .unavailable)
        case let code as ExitCode:
            // A command that has said what it had to say and names its status (`historian check`: 1 when damaged).
            Foundation.exit(code.rawValue)
        default:
            // ArgumentParser's own: usage errors (64, with the usage text), --help and --version (0).
            let code = exitCode(for: error)
            if code.rawValue != EXIT_FAILURE { exit(withError: error) }
            // Anything else is still said in words, with the nearest kind's code.
            let ns = error as NSError
            if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain {
                let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo["NSURL"] as? URL)?.path ?? "a file"
                let file = FileError.from(error, path: path, what: "file")
                fail(file.description, status: file.status)
            }
            fail("\(error)", status: .ioError)
        }
    }

    static func fail(_ message: String, status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}

/// "Did you mean" for a mistyped subcommand, which ArgumentParser reports only as unexpected arguments.
enum CommandSuggestions {
    struct Mistyped {
        var word: String
        var message: String
    }

    /// Commands whose arguments are only subcommands, so an unknown first word is a mistyped command.
    static let groups: [(path: [String], names: [String])] = [
        ([], Geolith.configuration.subcommands.map(commandName)),
        (["bench"], Bench.configuration.subcommands.map(commandName)),
    ]

    static func commandName(_ type: any ParsableCommand.Type) -> String {
        type.configuration.commandName ?? type._commandName
    }

    /// The first word that is not a command where one is expected, with the nearest commands.
    static func unknownSubcommand(in arguments: [String]) -> Mistyped? {
        for (path, names) in groups {
            guard arguments.count > path.count, Array(arguments.prefix(path.count)) == path else { continue }
            let word = arguments[path.count]
            guard !word.hasPrefix("-"), !names.contains(word), word != "help" else { continue }
            let near = NameSuggestions.nearest(to: word, among: names)
            let command = (["geolith"] + path).joined(separator: " ")
            let hint = near.isEmpty ? "" : "; did you mean \(near.map { "'\($0)'" }.joined(separator: " or "))?"
            return Mistyped(word: word, message: "'\(word)' is not a \(command) command\(hint) (commands: "
                + names.joined(separator: ", ") + ")")
        }
        return nil
    }
}
