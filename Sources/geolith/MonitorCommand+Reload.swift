import Foundation
import Historian
import Logging
import Monitor
import MonitorServer
import PlantConfig
import ServiceLifecycle

/// The monitor's pollers, ticker and historian flusher for one plant description at a time: SIGHUP loads the
/// file again and, if it is valid, swaps a new inner group in (and the new state into the HTTP server's slot);
/// SIGTERM or SIGINT, or the daemon's group shutting down (the HTTP server failed), stops it.
struct ReloadingMonitor: Service {
    let file: String
    let slot: MonitorStateSlot
    let historian: any HistoryStore
    let options: MonitorOptions
    let logger: Logger

    enum Outcome { case stopped, reload(Plant) }

    func run() async throws {
        var state = slot.current
        while true {
            let services = monitorServices(state: state, options: options, logger: logger) + [HeapTrimmer()]
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
            switch try await runUntilSignal(group) {
            case .stopped:
                return
            case .reload(let plant):
                historian.record(JournalEvent(time: MonitorCommand.now(), kind: .config, source: file, message: "reloaded \(plant.id)"))
                logger.info("configuration reloaded", metadata: ["devices": "\(plant.devices.count)", "tags": "\(plant.allTags.count)"])
                state = MonitorState(plant: plant, historian: historian, softSensors: SoftSensors(plant: plant))
                slot.replace(with: state)
            }
        }
    }

    /// Runs a service group until SIGTERM/SIGINT or the daemon's shutdown (stop), or a SIGHUP with a valid new
    /// description (reload).
    func runUntilSignal(_ group: ServiceGroup) async throws -> Outcome {
        let signals = SignalCenter.shared.stream()
        let (file, logger) = (self.file, self.logger)
        return try await withThrowingTaskGroup(of: Outcome?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            tasks.addTask {
                // The daemon's group shuts down (its HTTP server failed, say): stop this one too.
                try await gracefulShutdown()
                SignalCenter.shared.detach()
                await group.triggerGracefulShutdown()
                return .stopped
            }
            tasks.addTask {
                for await number in signals {
                    if number != SIGHUP {
                        SignalCenter.shared.detach()
                        logger.info("shutting down", metadata: ["signal": "\(number == SIGTERM ? "SIGTERM" : "SIGINT")"])
                        await group.triggerGracefulShutdown()
                        return .stopped
                    }
                    do {
                        let plant = try PlantLoader.load(path: file)
                        SignalCenter.shared.detach()   // a signal during the switch waits for the new group
                        await group.triggerGracefulShutdown()
                        return .reload(plant)
                    } catch let error as PlantConfigError {
                        logger.error("new configuration rejected; the running one continues",
                                     metadata: ["issues": "\(error.issues.count)", "errors": "\(error.description)"])
                    } catch {
                        logger.error("new configuration unreadable; the running one continues", metadata: ["error": "\(error)"])
                    }
                    // What reading the rejected file allocated goes back to the system now, not at the next minute.
                    HeapTrimmer.trimNow()
                }
                return .stopped
            }
            var outcome: Outcome = .stopped
            for try await result in tasks {
                if let result {
                    outcome = result
                    // Wait for the group to finish its graceful shutdown (its task returns nil).
                    continue
                }
                tasks.cancelAll()
                break
            }
            return outcome
        }
    }
}
