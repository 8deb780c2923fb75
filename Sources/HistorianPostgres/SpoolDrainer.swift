import Foundation
import Historian
import Logging
import Synchronization

/// Writes the spool to the server in order, on a thread of its own, while the historian is behind: the oldest
/// batches first, several per transaction (up to 200,000 samples), each removed from the spool once the server
/// has committed it. When the spool is empty the historian writes directly again. While the server fails, it
/// retries after 0.5 s, doubling up to 10 s.
final class SpoolDrainer: Sendable {
    private let historian = Mutex<PostgresHistorian?>(nil)
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    /// Batches taken per transaction.
    static let batchesPerTransaction = 120
    static let samplesPerTransaction = 200_000

    private let started = Atomic<Bool>(false)

    func start(draining historian: PostgresHistorian) {
        self.historian.withLock { $0 = historian }
        started.store(true, ordering: .relaxed)
        let thread = Thread { [self] in
            loop()
            finished.signal()
        }
        thread.name = "geolith.historian.spool"
        thread.start()
    }

    /// Tells the drainer there may be work (a batch was spooled).
    func wake() { wakeup.signal() }

    /// Stops after the transaction under way, and lets go of the historian.
    func stop() {
        guard started.load(ordering: .relaxed), !stopping.exchange(true, ordering: .relaxed) else { return }
        wakeup.signal()
        finished.wait()
        historian.withLock { $0 = nil }
    }

    private func loop() {
        var backoff = 0.5
        while !stopping.load(ordering: .relaxed) {
            guard let historian = historian.withLock({ $0 }) else { return }
            switch historian.drainOnce() {
            case .progress:
                backoff = 0.5
            case .idle:
                backoff = 0.5
                _ = wakeup.wait(timeout: .now() + 1)
            case .failed:
                // Sleep the backoff whatever spooling wakes us for; only a stop cuts it short.
                let until = Date().addingTimeInterval(backoff)
                while !stopping.load(ordering: .relaxed), Date() < until { _ = wakeup.wait(timeout: .now() + min(0.25, backoff)) }
                backoff = min(backoff * 2, 10)
            }
        }
    }
}

extension PostgresHistorian {
    enum DrainOutcome { case idle, progress, failed }

    /// Writes the oldest spooled batches to the server, or, with none left, switches back to writing directly once
    /// the server answers.
    func drainOnce() -> DrainOutcome {
        guard let spool, mode.withLock({ $0 }) == .spooling else { return .idle }
        do {
            let chunk = try spool.oldest(limit: SpoolDrainer.batchesPerTransaction, maxSamples: SpoolDrainer.samplesPerTransaction)
            let latest = snapshot.withLock { $0 }
            if chunk.isEmpty {
                try write([], snapshot: latest)   // the server answers (and takes the latest state)
            } else {
                try write(chunk.map(\.batch), snapshot: latest)
                try spool.remove(through: chunk.last!.id)
            }
            snapshot.withLock { if $0 == latest { $0 = nil } }
            let caughtUp = mode.withLock { mode -> Bool in
                guard spool.isEmpty else { return false }
                mode = .direct
                return true
            }
            if caughtUp {
                counters.withLock { $0.lastError = nil }
                options.logger?.notice("historian caught up: the spool is written to PostgreSQL", metadata: ["db": "\(sessions.location)"])
            }
            return .progress
        } catch {
            noteFailure(error)
            return .failed
        }
    }
}
