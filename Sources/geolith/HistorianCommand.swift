import ArgumentParser
import CommandSupport
import Foundation
import Historian

/// `geolith historian check|recover FILE`: is a historian file sound, and salvage what can be read from one
/// that is not.
struct HistorianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "historian",
        abstract: "Check a historian file, or salvage what can be read from a damaged one into a new file.",
        subcommands: [Check.self, Recover.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a historian file (its WAL, PRAGMA quick_check, rows per table) without changing it.",
            discussion: "Exit status 0 when the file is sound, 74 when it is damaged (then run `geolith historian recover`).")

        @Argument(help: "The historian (geolith monitor --db) or a recording.")
        var file: String

        @Flag(help: "PRAGMA integrity_check instead of quick_check (also checks every index; slower).")
        var full = false

        func run() throws {
            let report: HistorianRepair.Report
            do { report = try HistorianRepair.check(file, full: full) } catch let error as HistorianError {
                throw HistorianFailure(error: error)
            }
            print(report.text)
            if !report.isHealthy {
                throw HistorianFailure(error: HistorianError(
                    path: file, operation: "use", cause: "it is damaged",
                    remedy: "Run `geolith historian recover \(file)` to salvage what can be read into a new file"))
            }
        }
    }

    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy everything readable from a historian file into a new file; the damaged file is only read.",
            discussion: """
                Reads the file read-only, with what SQLite can replay of its WAL, and copies the series, the samples of
                each series (an hour at a time around damaged pages), the events, runs and rollups into a new
                historian. The report lists what could not be read. Then stop the monitor, keep the damaged file
                aside, and start the monitor with --db NEW.
                """)

        @Argument(help: "The damaged historian file.")
        var file: String

        @Option(help: "The new file (default: FILE with .recovered.sqlite in place of its extension).")
        var output: String?

        func run() throws {
            let target = output ?? ((file as NSString).deletingPathExtension + ".recovered.sqlite")
            let report: HistorianRepair.Report
            do { report = try HistorianRepair.recover(file, into: target) } catch let error as HistorianError {
                throw HistorianFailure(error: error)
            }
            print(report.text.replacingOccurrences(of: "status: damaged", with: "status: recovered with losses")
                .replacingOccurrences(of: "status: ok", with: "status: recovered"))
            print("recovered into \(target)")
        }
    }
}

/// A historian file a command cannot use, with the exit status of its kind (``HistorianError/Kind``; docs/operator.md,
/// "Exit codes"): 66 for a device file, a directory or a missing file, 73 for a folder that does not exist, 77 for
/// permission, 74 for a damaged file.
struct HistorianFailure: CommandFailure {
    var error: HistorianError
    var description: String { error.description }
    var status: ExitStatus { error.status }
}
