public import UnixSignals

/// The daemon's SIGTERM, SIGINT and SIGHUP, trapped through ServiceLifecycle's ``UnixSignalsSequence``.
///
/// Made first thing by a daemon's command, before it loads its plant or opens its historian: from then on a signal
/// never takes its default action (SIGHUP would kill the process), and one arriving during start-up waits in the
/// sequence's buffer until the monitor runs and reads it. One sequence for the three, so each signal has a single
/// handler in the process [ServiceLifecycle: "There can only be a single signal handler for a signal installed"].
public struct DaemonSignals: Sendable {
    public let sequence: UnixSignalsSequence

    public init() async {
        sequence = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
    }
}

/// Runs `body` until it finishes or SIGINT/SIGTERM arrives, which cancels it (so it can close files and servers
/// cleanly): `geolith simulate` and `geolith demo`. The signals are trapped only while `body` runs.
public func runUntilSignalled<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
    let task = Task { try await body() }
    let watcher = Task {
        for await _ in signals {
            task.cancel()
            return
        }
    }
    defer { watcher.cancel() }
    return try await task.value
}
