import Foundation
import Testing

/// Runs the built `geolith` binary, as a user would, and checks output and exit codes
/// [STYLE: ArgumentParser, "a few runs of the built binary"].
@Suite struct BinaryRunTests {
    @Test func helpListsTheCommands() throws {
        let result = try GeolithBinary.run(["--help"])
        #expect(result.status == 0)
        for command in ["check-config", "plan", "read", "simulate", "geolith-bench"] {
            #expect(result.stdout.contains(command), "--help should list \(command)")
        }
    }

    @Test func benchHelpListsTheBenchmarks() throws {
        let result = try GeolithBinary.run(["--help"], program: GeolithBinary.benchURL)
        #expect(result.status == 0)
        for command in ["modbus", "simulate", "historian", "fleet", "monitor", "model", "replay", "sweep", "http", "calibrate", "hostile"] {
            #expect(result.stdout.contains("  \(command)"), "geolith-bench --help should list \(command)\n\(result.stdout)")
        }
    }

    @Test func versionPrintsSemver() throws {
        let result = try GeolithBinary.run(["--version"])
        #expect(result.status == 0)
        let version = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.split(separator: ".").count == 3, "got \(version)")
    }

    @Test func unknownCommandFails() throws {
        let result = try GeolithBinary.run(["no-such-command"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("error: 'no-such-command' is not a geolith command"), "\(result.stderr)")
    }
}

/// Locates and runs the `geolith` executable (and `geolith-bench`) built beside the test bundle.
enum GeolithBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["GEOLITH_BIN"] { return URL(fileURLWithPath: path) }
        return builtExecutable("geolith")
    }

    /// `geolith-bench`, beside `geolith`.
    static var benchURL: URL { url.deletingLastPathComponent().appendingPathComponent("geolith-bench") }

    /// The executable `name` of the build folder holding the test bundle.
    static func builtExecutable(_ name: String) -> URL {
        // The test bundle and the executable are products of the same build folder.
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return bundle.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// The repository root, found from this source file.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func run(_ arguments: [String], program: URL = url) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        // Process.waitUntilExit can hang on Linux's Foundation: poll, with a deadline.
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { usleep(2000) }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
