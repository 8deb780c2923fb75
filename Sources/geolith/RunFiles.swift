import CommandSupport
import Foundation
import Historian
import Monitor

/// Opening the files of the run family (historians, recordings, CSV exports) with errors a person understands:
/// which file, and what is wrong with it, never the database's own dump.
enum RunFiles {
    /// A historian or recording, read-only.
    static func openHistorian(_ file: String) throws -> SQLiteHistorian {
        try FileError.checkReadable(file, as: "historian or recording")
        do {
            return try SQLiteHistorian.open(readingAt: file)
        } catch {
            throw FileError(path: file, what: "historian or recording", problem: .notWhatWasAsked(
                "not a Geolith historian or recording (an SQLite file written by geolith monitor --db or simulate --record)"))
        }
    }

    /// A run to replay: a recording, a historian or a CSV export.
    static func openRun(_ file: String) throws -> RecordedRun {
        try FileError.checkReadable(file, as: "run")
        do {
            return try RecordedRun.open(path: file)
        } catch let error as ReplayError {
            throw RunCommandError(kind: .invalidFile, message: "\(error)")
        } catch {
            throw FileError(path: file, what: "run", problem: .notWhatWasAsked(
                "not a Geolith run (a recording from simulate --record, a historian from monitor --db, or a CSV from export)"))
        }
    }
}
