public import Historian
import ArgumentParser
import Foundation
public import PlantConfig
import ProcessModel

/// How a command ended. Each kind of failure has one code, the same in every command; the table is documented
/// in docs/operator.md ("Exit codes") and a test checks that the two agree.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    /// The command ran and reports a failed result: `historian check` found damage, a benchmark missed its own
    /// bound, a sweep of an experiment file solved no point.
    case failedResult = 1
    /// The command line is wrong: an unknown command, option, device, tag or series, or a bad value.
    case usage = 64
    /// A file's content is wrong: a plant description, an alarms file, a scenario, a CSV or run file.
    case invalidInput = 65
    /// A file or folder to read does not exist, or is not what was asked for (a folder for a file).
    case missingInput = 66
    /// A device or a server did not answer, or a port could not be opened.
    case unavailable = 69
    /// The model could not compute a result (no convergence).
    case modelFailed = 70
    /// An output file or folder cannot be created.
    case cannotCreate = 73
    /// Reading or writing failed part way (a damaged database, a full disk).
    case ioError = 74
    /// The user may not read or write the file.
    case permission = 77

    public var meaning: String {
        switch self {
        case .success: "done"
        case .failedResult: "the command ran and reports a failed result (historian check: damaged; a benchmark's bound missed)"
        case .usage: "the command line is wrong: unknown command, option, device, tag or series, or a bad value"
        case .invalidInput: "a file's content is wrong: plant description, alarms file, scenario, CSV or run file"
        case .missingInput: "a file or folder to read does not exist, or is a folder where a file was asked for"
        case .unavailable: "a device or server did not answer, or a port could not be opened"
        case .modelFailed: "the process model could not compute a result"
        case .cannotCreate: "an output file or folder cannot be created"
        case .ioError: "reading or writing failed part way (damaged database, full disk)"
        case .permission: "permission denied"
        }
    }
}

/// A failure a command reports to its user: a message that says what went wrong and what to do, and the exit
/// status of its kind. Each command family has its own type: ``PlantFileError`` (descriptions: check-config,
/// plan), ``DeviceCommandError`` (read, monitor, simulate, demo), ``ModelCommandError`` (estimate, column, sweep,
/// compare), ``RunCommandError`` (replay, export, sweep merge); ``FileError`` is shared by all.
public protocol CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus { get }
}

/// A plant description that is invalid, or lacks what the command needs.
public struct PlantFileError: CommandFailure {
    public var issues: PlantConfigError

    public init(issues: PlantConfigError) {
        self.issues = issues
    }
    public var status: ExitStatus { .invalidInput }
    public var description: String {
        let count = issues.issues.count
        return issues.description + "\n\(issues.issues.first?.file ?? "the description"): \(count) problem\(count == 1 ? "" : "s")"
    }
}

/// A device-family failure: a device or tag named on the command line that the description lacks, a device
/// that did not answer, a port that could not be opened.
public struct DeviceCommandError: CommandFailure {
    public enum Kind: Sendable { case unknownName, invalidFile, unavailable }
    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        (self.kind, self.message) = (kind, message)
    }
    public var status: ExitStatus {
        switch kind {
        case .unknownName: .usage
        case .invalidFile: .invalidInput
        case .unavailable: .unavailable
        }
    }
    public var description: String { message }

    /// `no device "x" in FILE; did you mean …? (devices: …)`: the nearest names, and the list when it is short.
    public static func unknown(_ what: String, _ names: [String], among known: [String], in file: String) -> DeviceCommandError {
        let hints = names.map { name -> String in
            let near = NameSuggestions.nearest(to: name, among: known)
            return "\"\(name)\"" + (near.isEmpty ? "" : " (did you mean \(near.map { "\"\($0)\"" }.joined(separator: ", "))?)")
        }
        let list = known.count <= 12 ? "; \(what)s: " + known.joined(separator: ", ") : ""
        return .init(kind: .unknownName, message: "no \(what) \(hints.joined(separator: ", ")) in \(file)\(list)")
    }
}

/// A model-family failure: a bad override on the command line, a description the model cannot use, a model that
/// did not converge.
public struct ModelCommandError: CommandFailure {
    public enum Kind: Sendable { case badOverride, invalidDescription, notConverged }
    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        (self.kind, self.message) = (kind, message)
    }
    public var status: ExitStatus {
        switch kind {
        case .badOverride: .usage
        case .invalidDescription: .invalidInput
        case .notConverged: .modelFailed
        }
    }
    public var description: String { message }
}

/// A run-family failure: a file that is not a run (or a shard of another sweep), a series it does not hold, an
/// output that would overwrite what it should not.
public struct RunCommandError: CommandFailure {
    public enum Kind: Sendable { case invalidFile, unknownName, wouldOverwrite }
    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        (self.kind, self.message) = (kind, message)
    }
    public var status: ExitStatus {
        switch kind {
        case .invalidFile: .invalidInput
        case .unknownName: .usage
        case .wouldOverwrite: .cannotCreate
        }
    }
    public var description: String { message }
}

/// Names close to a mistyped one, for "did you mean" messages.
public enum NameSuggestions {
    /// Up to three of `known`: the nearest by edit distance (``KeySuggestions``), then those sharing a word of
    /// three letters or more with the name (`rittershoffen-wellhead` finds `ritt-wellhead`, `dle` `demo-dle`).
    public static func nearest(to name: String, among known: [String], limit: Int = 3) -> [String] {
        var names = KeySuggestions.closest(to: name, among: known, limit: limit)
        let words = Set(Self.words(name))
        for candidate in known where !names.contains(candidate) && !words.isDisjoint(with: Self.words(candidate)) {
            names.append(candidate)
        }
        return Array(names.prefix(limit))
    }

    public static func words(_ name: String) -> [String] {
        name.lowercased().split(whereSeparator: { "-_. ".contains($0) }).map(String.init).filter { $0.count >= 3 }
    }
}

/// A historian that cannot be opened, checked or written: the file named, the cause, what to do.
extension HistorianError: CommandFailure {
    public var status: ExitStatus {
        switch kind {
        case .notAFile: .missingInput
        case .cannotCreate: .cannotCreate
        case .permission: .permission
        case .failed: .ioError
        }
    }
}
