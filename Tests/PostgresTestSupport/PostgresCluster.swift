public import Foundation
public import Historian
import Synchronization

/// A private PostgreSQL cluster for tests (`Tests/Peers/postgres-cluster.sh`): initdb in a temporary folder, a free
/// port on 127.0.0.1, password authentication for the user `geolith`, stopped and removed when the test process
/// exits (``shared``) or when the test that made it is done (``start(_:)`` and ``destroy()``).
///
/// Without Debian's PostgreSQL installed, ``available`` is false and suites skip the server's half; with
/// `GEOLITH_REQUIRE_POSTGRES=1` (as `make test` sets, after installing it) a missing server fails instead.
public final class PostgresCluster: Sendable {
    public let directory: String
    public let url: String
    public let password: String
    public var location: PostgresLocation { try! PostgresLocation(url: url + "?sslmode=disable") }
    public var port: Int { location.port }

    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = repository.appendingPathComponent("Tests/Peers/postgres-cluster.sh").path

    /// Whether tests must have the server (`GEOLITH_REQUIRE_POSTGRES=1`).
    public static var required: Bool { ProcessInfo.processInfo.environment["GEOLITH_REQUIRE_POSTGRES"] == "1" }

    /// Whether Debian's PostgreSQL server is installed here.
    public static var installed: Bool {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.contains { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }
    }

    /// Run the server's half of a suite: installed, or required (and then failing loudly when missing).
    public static var available: Bool { installed || required }

    private static let sharedCluster = Mutex<Result<PostgresCluster, any Error>?>(nil)

    /// One cluster for the whole test process, started on first use and removed at exit.
    public static func shared() throws -> PostgresCluster {
        try sharedCluster.withLock { cached in
            if let cached { return try cached.get() }
            let result = Result { try start("shared-\(getpid())") }
            cached = result
            if case .success = result { atexit { PostgresCluster.destroyShared() } }
            return try result.get()
        }
    }

    private static func destroyShared() {
        if case .success(let cluster)? = sharedCluster.withLock({ $0 }) { cluster.destroy() }
    }

    /// A cluster of its own (for a test that stops the server).
    public static func start(_ name: String) throws -> PostgresCluster {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-pg-\(name)-\(UUID().uuidString.prefix(8))").path
        let url = try run(["start", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        let password = try String(contentsOfFile: directory + "/password", encoding: .utf8)
        return PostgresCluster(directory: directory, url: url, password: password)
    }

    private init(directory: String, url: String, password: String) {
        self.directory = directory
        self.url = url
        self.password = password
    }

    /// Stops the server (fast shutdown); ``restart()`` starts it again on the same port.
    public func stop() throws { _ = try Self.run(["stop", directory]) }
    public func restart() throws { _ = try Self.run(["start", directory]) }

    /// Stops the server and removes its folder.
    public func destroy() { _ = try? Self.run(["destroy", directory]) }

    /// A new empty database on this server, for a test that needs one to itself.
    public func freshDatabase() throws -> PostgresLocation {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        _ = try psql("CREATE DATABASE \(name)", database: "postgres")
        var location = self.location
        location.database = name
        return location
    }

    /// Runs SQL with psql and returns its unaligned output.
    public func psql(_ sql: String, database: String? = nil) throws -> String {
        let bin = Self.binDirectory
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        return try Self.run(["-h", "127.0.0.1", "-p", String(port), "-U", "geolith", "-d", database ?? location.database,
                             "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql], executable: bin + "/psql", environment: environment)
    }

    public static var binDirectory: String {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted {
            $0.compare($1, options: .numeric) == .orderedAscending
        }
        return versions.last.map { "/usr/lib/postgresql/\($0)/bin" } ?? "/usr/bin"
    }

    /// Runs a program to its end and returns its standard output; throws with its standard error when it fails.
    /// POSIX spawn and wait, output through temporary files: Foundation's `Process` was seen to miss the exit of the
    /// cluster script (left a zombie, waited forever) while other tests ran.
    @discardableResult
    static func run(_ arguments: [String], executable: String = script, environment: [String: String]? = nil) throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-pg-run-\(UUID())").path
        defer { for suffix in [".out", ".err"] { try? FileManager.default.removeItem(atPath: base + suffix) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + env { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, env)
        guard spawned == 0 else { throw ClusterError(message: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
            throw ClusterError(message: "\((executable as NSString).lastPathComponent) \(arguments.prefix(2).joined(separator: " ")) failed: \(errors)")
        }
        return output
    }
}

public struct ClusterError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
