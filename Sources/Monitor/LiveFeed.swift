import Foundation
import Synchronization

/// One change for live clients: a tag value, a KPI, an alarm transition or a device status, with a sequence
/// number so that a reconnecting client resumes where it left off without a gap.
public struct LiveUpdate: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable { case tag, kpi, alarm, device }
    public var sequence: UInt64
    public var kind: Kind
    /// The update as a JSON object.
    public var json: String
}

/// A bounded replay log of live updates with subscribers. Clients that ask for updates after a sequence
/// number still in the log get the missed ones first, then live ones; older gaps are reported by the first
/// sequence number they receive.
public final class LiveFeed: Sendable {
    private struct State {
        var next: UInt64 = 1
        /// A ring: the update with sequence s is at index (s − 1) % capacity while it is among the newest.
        var log: [LiveUpdate] = []
        var subscribers: [UUID: AsyncStream<LiveUpdate>.Continuation] = [:]
    }

    private let state = Mutex(State())
    public let capacity: Int

    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    public func publish(_ kind: LiveUpdate.Kind, json: String) {
        state.withLock { state in
            let update = LiveUpdate(sequence: state.next, kind: kind, json: json)
            let slot = Int((state.next - 1) % UInt64(capacity))
            if state.log.count < capacity { state.log.append(update) } else { state.log[slot] = update }
            state.next += 1
            for continuation in state.subscribers.values { continuation.yield(update) }
        }
    }

    /// The last sequence number published (0 before any).
    public var lastSequence: UInt64 { state.withLock { $0.next - 1 } }

    /// Updates after `sequence` (replayed from the log), then live ones, until the consumer stops.
    public func updates(after sequence: UInt64?) -> AsyncStream<LiveUpdate> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: LiveUpdate.self, bufferingPolicy: .bufferingNewest(50_000))
        state.withLock { state in
            if let sequence, sequence + 1 < state.next {
                // Replay the retained updates after `sequence`, oldest first.
                let oldest = state.next > UInt64(capacity) ? state.next - UInt64(capacity) : 1
                var s = max(sequence + 1, oldest)
                while s < state.next {
                    continuation.yield(state.log[Int((s - 1) % UInt64(capacity))])
                    s += 1
                }
            }
            state.subscribers[id] = continuation
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }
}
