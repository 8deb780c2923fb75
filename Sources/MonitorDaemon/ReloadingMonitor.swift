import Foundation
public import Historian
public import Logging
public import Monitor
public import MonitorServer
import PlantConfig
public import ServiceLifecycle
import UnixSignals

/// The monitor's pollers, ticker and historian flusher for one plant description at a time: SIGHUP loads the
/// file again and, if it is valid, swaps a new inner group in (and the new state into the HTTP server's slot);
/// SIGTERM or SIGINT, or the daemon's group shutting down (the HTTP server failed), stops it.
///
/// One loop reads every event in order: the signals (read for the daemon's whole life by one task, so that none
/// is lost between two inner groups), the end of the current inner group, and the daemon's graceful shutdown.
public struct ReloadingMonitor: Service {
    public let file: String
    public let slot: MonitorStateSlot
    public let historian: any HistoryStore
    public let options: MonitorOptions
    public let signals: DaemonSignals
    public let logger: Logger

    public init(file: String, slot: MonitorStateSlot, historian: any HistoryStore, options: MonitorOptions, signals: DaemonSignals,
                logger: Logger) {
        (self.file, self.slot, self.historian, self.options, self.signals, self.logger) = (file, slot, historian, options, signals, logger)
    }

    enum Event: Sendable {
        case signal(UnixSignal)
        case ended(generation: Int, error: (any Error)?)
        case shutdown
    }

    /// Where the loop stands: the inner group running (and its generation), a valid new plant waiting for the
    /// old group to stop, or stopping for good.
    struct Progress {
        var group: ServiceGroup
        var generation = 0
        var pending: Plant?
        var stopping = false
    }

    public func run() async throws {
        let (events, post) = AsyncStream.makeStream(of: Event.self)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            let sequence = signals.sequence
            tasks.addTask {
                for await signal in sequence { post.yield(.signal(signal)) }
            }
            tasks.addTask {
                // The daemon's group shuts down (its HTTP server failed, say): stop the inner group too.
                try? await gracefulShutdown()
                post.yield(.shutdown)
            }
            var progress = Progress(group: innerGroup(slot.current))
            start(progress, in: &tasks, post: post)
            defer { tasks.cancelAll() }
            for await event in events {
                if let error = try await handle(event, &progress, in: &tasks, post: post) { throw error }
                if case .ended(let generation, _) = event, generation == progress.generation, progress.pending == nil { return }
            }
        }
    }

    /// Acts on one event; returns the error the monitor stops on, if any.
    func handle(_ event: Event, _ progress: inout Progress, in tasks: inout ThrowingTaskGroup<Void, any Error>,
                post: AsyncStream<Event>.Continuation) async throws -> (any Error)? {
        switch event {
        case .signal(.sighup) where !progress.stopping:
            guard let plant = loadNewDescription() else { return nil }
            if progress.pending == nil { await progress.group.triggerGracefulShutdown() }
            progress.pending = plant   // the latest valid description wins if SIGHUPs come during the switch
        case .signal(let signal):
            guard !progress.stopping else { return nil }
            logger.info("shutting down", metadata: ["signal": "\(signal == .sigterm ? "SIGTERM" : signal == .sigint ? "SIGINT" : "\(signal)")"])
            fallthrough
        case .shutdown:
            guard !progress.stopping else { return nil }
            progress.stopping = true
            progress.pending = nil
            await progress.group.triggerGracefulShutdown()
        case .ended(let generation, let error):
            guard generation == progress.generation else { return nil }
            guard let plant = progress.pending, !progress.stopping else { return error }
            historian.record(JournalEvent(time: DaemonLifecycle.now(), kind: .config, source: file, message: "reloaded \(plant.id)"))
            logger.info("configuration reloaded", metadata: ["devices": "\(plant.devices.count)", "tags": "\(plant.allTags.count)"])
            let state = MonitorState(plant: plant, historian: historian, softSensors: SoftSensors(plant: plant))
            slot.replace(with: state)
            progress = Progress(group: innerGroup(state), generation: generation + 1)
            start(progress, in: &tasks, post: post)
        }
        return nil
    }

    /// The description file read again, or nil (said in the log) when it is invalid or unreadable.
    func loadNewDescription() -> Plant? {
        do {
            return try PlantLoader.load(path: file)
        } catch let error as PlantConfigError {
            logger.error("new configuration rejected; the running one continues",
                         metadata: ["issues": "\(error.issues.count)", "errors": "\(error.description)"])
        } catch {
            logger.error("new configuration unreadable; the running one continues", metadata: ["error": "\(error)"])
        }
        // What reading the rejected file allocated goes back to the system now, not at the next minute.
        HeapTrimmer.trimNow()
        return nil
    }

    func innerGroup(_ state: MonitorState) -> ServiceGroup {
        let services = monitorServices(state: state, options: options, logger: logger) + [HeapTrimmer()]
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
    }

    func start(_ progress: Progress, in tasks: inout ThrowingTaskGroup<Void, any Error>, post: AsyncStream<Event>.Continuation) {
        let (group, generation) = (progress.group, progress.generation)
        tasks.addTask {
            do {
                try await group.run()
                post.yield(.ended(generation: generation, error: nil))
            } catch {
                post.yield(.ended(generation: generation, error: error))
            }
        }
    }
}
