import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the shell blocks of one document in a scratch folder, in order, as a reader would paste them.
///
/// The folder holds copies of what the documents use (`PlantConfigs/`, `Experiments/`, `docs/examples/`, `deploy/`,
/// `dashboards/`), and `geolith` (the build beside the tests) is first on `PATH`. The ports the documents and the
/// shipped plants name (HTTP 8080, Modbus 15010–15042) are mapped to free ports, in the copies and in the
/// scripts alike, so that the doc test does not collide with anything else on the machine.
final class DocRunner {
    struct Outcome {
        var block: DocBlock
        var status: Int32
        var output: String
        var problem: String?
    }

    let folder: URL
    private let ports: [(from: Int, to: Int)]
    private let binaryFolder: String

    init(repository: URL, binary: URL) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-doctest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        binaryFolder = binary.deletingLastPathComponent().path
        var used: Set<Int> = [8080]
        let plants = repository.appendingPathComponent("PlantConfigs")
        for name in try FileManager.default.contentsOfDirectory(atPath: plants.path) where name.hasSuffix(".yaml") {
            let text = try String(contentsOf: plants.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: /port: (\d+)/) { if let port = Int(match.1) { used.insert(port) } }
        }
        ports = try used.sorted().map { ($0, try Self.freePort()) }
        for item in ["PlantConfigs", "Experiments", "docs/examples", "deploy", "dashboards"] {
            let source = repository.appendingPathComponent(item)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            try copy(source, to: folder.appendingPathComponent(item))
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// `text` with every port of the documents replaced by its free stand-in.
    func remap(_ text: String) -> String {
        var out = text
        for (from, to) in ports {
            out = out.replacingOccurrences(of: "(?<![0-9])\(from)(?![0-9])", with: "\(to)", options: .regularExpression)
        }
        return out
    }

    /// Runs one block (each of its runs) and says what went wrong, if anything.
    func run(_ block: DocBlock, script: String, deadline seconds: Double = 900) -> Outcome {
        var output = ""
        for (index, environment) in block.runs.enumerated() {
            let log = folder.appendingPathComponent(".doctest-\(block.line)-\(index).log")
            let file = folder.appendingPathComponent(".doctest-\(block.line)-\(index).sh")
            let preamble = "set -e\ntrap 'for job in $(jobs -p); do kill $job 2>/dev/null || true; done; wait' EXIT\n"
            do {
                try (preamble + remap(script) + "\n").write(to: file, atomically: true, encoding: .utf8)
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let result = try execute(file, log: log, environment: environment, stopAfter: block.directives["stop-after"],
                                         deadline: seconds)
                output += result.output
                let expected = Int32(block.directives["exit"] ?? "0") ?? 0
                if let problem = result.problem {
                    return Outcome(block: block, status: result.status, output: output, problem: problem)
                }
                if block.directives["stop-after"] == nil, result.status != expected {
                    return Outcome(block: block, status: result.status, output: output,
                                   problem: "exited with \(result.status), expected \(expected)")
                }
            } catch {
                return Outcome(block: block, status: -1, output: output, problem: "could not run: \(error)")
            }
        }
        if let expect = block.directives["expect"], !output.contains(remap(expect)) {
            return Outcome(block: block, status: 0, output: output, problem: "output lacks \"\(expect)\"")
        }
        return Outcome(block: block, status: 0, output: output, problem: nil)
    }

    private func execute(_ script: URL, log: URL, environment: [String: String], stopAfter: String?, deadline seconds: Double)
        throws -> (status: Int32, output: String, problem: String?)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path]
        process.currentDirectoryURL = folder
        var variables = ProcessInfo.processInfo.environment
        variables["PATH"] = binaryFolder + ":" + (variables["PATH"] ?? "/usr/bin:/bin")
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        // Foundation starts a child in a process group of its own (checked here), so SIGINT to that group reaches
        // the shell and everything it started, and nothing else.
        let group = process.processIdentifier
        guard getpgid(group) == group else {
            kill(group, SIGKILL)
            return (-1, "", "the shell is not in a process group of its own: cannot stop its daemons")
        }
        defer {
            // What the shell started may still be stopping (a daemon flushing): wait for the whole group, so that
            // the next block finds its ports free, then kill what is left.
            let groupEnd = Date().addingTimeInterval(30)
            while kill(-group, 0) == 0 && Date() < groupEnd { usleep(50_000) }
            kill(-group, SIGKILL)
        }
        func output() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        let end = Date().addingTimeInterval(seconds)
        var stopped = false
        while process.isRunning && Date() < end {
            if let text = stopAfter, !stopped, output().contains(remap(text)) {
                kill(-group, SIGINT)
                stopped = true
                // Stopping must be prompt: the daemons flush and close on SIGINT.
                let stopEnd = Date().addingTimeInterval(30)
                while process.isRunning && Date() < stopEnd { usleep(50_000) }
                break
            }
            usleep(100_000)
        }
        if process.isRunning {
            let diagnosis = Self.describe(group: group)
            kill(-group, SIGKILL)
            let why = stopped ? "did not stop within 30 s of SIGINT" : "still running after \(Int(seconds)) s"
            return (-1, output(), why + (stopAfter.map { stopped ? "" : " (waiting for \"\($0)\")" } ?? "") + "\n" + diagnosis)
        }
        if stopAfter != nil && !stopped {
            return (process.terminationStatus, output(), "ended (status \(process.terminationStatus)) before printing \"\(stopAfter!)\"")
        }
        if stopped, process.terminationReason == .exit, ![0, 130].contains(process.terminationStatus) {
            return (process.terminationStatus, output(), "exited with \(process.terminationStatus) after SIGINT")
        }
        return (process.terminationStatus, output(), nil)
    }

    private func copy(_ source: URL, to destination: URL) throws {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try copy(source.appendingPathComponent(name), to: destination.appendingPathComponent(name))
            }
        } else if let text = try? String(contentsOf: source, encoding: .utf8) {
            try remap(text).write(to: destination, atomically: true, encoding: .utf8)
        } else {
            try FileManager.default.copyItem(at: source, to: destination)
        }
    }

    /// The processes of a group with their signal masks, for a block that would not stop.
    static func describe(group: Int32) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ps -o pid,pgid,sid,stat,cmd -g \(group); for p in $(ps -o pid= -g \(group)); do "
            + "echo $p; grep -E 'Sig(Blk|Ign|Cgt)' /proc/$p/status; done"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "" }
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// A port nobody listens on now: bound to port 0, read back, released.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
