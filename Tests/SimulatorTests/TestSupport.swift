import Foundation
import PlantConfig

/// Paths and peers the tests share.
enum TestSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func plant(_ name: String) throws -> Plant {
        try PlantLoader.load(path: repository.appendingPathComponent("PlantConfigs/\(name).yaml").path)
    }

    static let shippedPlants = ["demo", "soultz-sous-forets", "rittershoffen", "insheim"]

    /// A Python with pymodbus: GEOLITH_PEER_PYTHON (set by `make test`), else python3 if it has pymodbus.
    static let peerPython: String? = {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["GEOLITH_PEER_PYTHON"] { candidates.append(configured) }
        candidates += [repository.appendingPathComponent(".venv-peers/bin/python").path, "/usr/bin/python3"]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if (try? run(candidate, ["-c", "import pymodbus"]))?.status == 0 { return candidate }
        }
        return nil
    }()

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion with a deadline, capturing its output.
    static func run(_ program: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes while waiting so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var stdout = Data(), stderr = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { stdout = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { stderr = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(program) did not finish in \(timeout) s"])
        }
        let exitDeadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < exitDeadline { usleep(1000) }
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}
