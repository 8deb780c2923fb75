public import ArgumentParser
import Foundation
import Modbus
import PlantConfig
import ProcessModel

/// The `main` of both executables (`geolith`, `geolith-bench`): parses, runs, and turns every failure into its
/// message on standard error and its exit status (``ExitStatus``), so the same mistake exits with the same code in
/// every command.
public enum CommandMain {
    /// Runs `Root` on the process's arguments. `groups` are the command paths whose arguments are only
    /// subcommands (an unknown first word there is a mistyped command, answered with the nearest ones).
    public static func run<Root: ParsableCommand>(_ root: Root.Type, groups: [CommandSuggestions.Group]) async -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let program = root.configuration.commandName ?? root._commandName
        if let mistyped = CommandSuggestions.unknownSubcommand(in: arguments, groups: groups, program: program) {
            fail(mistyped.message, status: .usage)
        }
        do {
            var command = try root.parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            report(error, root: root)
        }
        Foundation.exit(ExitStatus.success.rawValue)
    }

    /// Prints what went wrong and exits with the code of its kind.
    public static func report<Root: ParsableCommand>(_ error: any Error, root: Root.Type) -> Never {
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
            let code = root.exitCode(for: error)
            if code.rawValue != EXIT_FAILURE { root.exit(withError: error) }
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

    public static func fail(_ message: String, status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}

/// "Did you mean" for a mistyped subcommand, which ArgumentParser reports only as unexpected arguments.
public enum CommandSuggestions {
    /// A command path whose arguments are only subcommands, and the names of those.
    public struct Group: Sendable {
        public var path: [String]
        public var names: [String]

        public init(path: [String], subcommands: [any ParsableCommand.Type]) {
            self.path = path
            names = subcommands.map(CommandSuggestions.commandName)
        }
    }

    public struct Mistyped {
        public var word: String
        public var message: String
    }

    public static func commandName(_ type: any ParsableCommand.Type) -> String {
        type.configuration.commandName ?? type._commandName
    }

    /// The first word that is not a command where one is expected, with the nearest commands.
    public static func unknownSubcommand(in arguments: [String], groups: [Group], program: String) -> Mistyped? {
        for group in groups {
            let (path, names) = (group.path, group.names)
            guard arguments.count > path.count, Array(arguments.prefix(path.count)) == path else { continue }
            let word = arguments[path.count]
            guard !word.hasPrefix("-"), !names.contains(word), word != "help" else { continue }
            let near = NameSuggestions.nearest(to: word, among: names)
            let command = ([program] + path).joined(separator: " ")
            let hint = near.isEmpty ? "" : "; did you mean \(near.map { "'\($0)'" }.joined(separator: " or "))?"
            return Mistyped(word: word, message: "'\(word)' is not a \(command) command\(hint) (commands: "
                + names.joined(separator: ", ") + ")")
        }
        return nil
    }
}
