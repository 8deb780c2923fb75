import CommandSupport
import Foundation
import Logging

/// The programs the benchmarks start: `geolith` (the monitor as operators run it) lives beside `geolith-bench` in the
/// build folder (and in an install's bin folder).
enum BenchPrograms {
    /// This executable, symlinks resolved.
    static var bench: URL { URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath() }

    /// `geolith` beside this executable, or the first on `PATH` when there is none beside it.
    static var geolith: URL {
        let beside = bench.deletingLastPathComponent().appendingPathComponent("geolith")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("geolith")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return beside
    }

    /// Every logger of the process to standard error, errors only: a benchmark prints its own figures.
    static func logErrorsOnly() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
    }
}
