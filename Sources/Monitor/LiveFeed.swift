import Foundation
import Synchronization

/// One change for live clients: a tag value, a KPI, an alarm transition or a device status, with a sequence
/// number so that a reconnecting client resumes where it left off without a gap.
public struct LiveUpdate: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable { case tag, kpi, alarm, device }
    public var sequence: UInt64
    public var kind: Kind
    var payload: Payload

    /// What an update carries. A tag's change is kept as its value, not as text: a plant of 10,000 tags
    /// publishes 10,000 of them a second, and building their JSON up front cost about five heap allocations
    /// each, half of the monitor's 100,000 a second (heaptrack on `geolith bench monitor`), for text that no
    /// client reads unless one is connected; the strings then lived 2 s in the log, interleaved with
    /// short-lived blocks in glibc's arenas. Now publishing a tag change allocates nothing.
    enum Payload: Sendable, Hashable {
        /// The tag's name shares the plant description's storage: no allocation.
        case tag(name: String, value: TagValue)
        case json(String)
    }

    /// The update as a JSON object (built when a client reads it).
    public var json: String {
        switch payload {
        case .tag(let name, let value): MonitorState.json(tag: name, value)
        case .json(let text): text
        }
    }
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
        precondition(capacity > 0, "a live feed needs room for one update")
        self.capacity = capacity
        state.withLock { $0.log.reserveCapacity(capacity) }
    }

    /// Publishes an update given as a JSON object.
    public func publish(_ kind: LiveUpdate.Kind, json: String) {
        publish(kind, .json(json))
    }

    /// Publishes a tag's new value (its JSON is built only when a client reads it).
    public func publish(tag: String, value: TagValue) {
        publish(.tag, .tag(name: tag, value: value))
    }

    private func publish(_ kind: LiveUpdate.Kind, _ payload: LiveUpdate.Payload) {
        state.withLock { state in
            let update = LiveUpdate(sequence: state.next, kind: kind, payload: payload)
            let slot = Int((state.next - 1) % UInt64(capacity))
            if state.log.count < capacity { state.log.append(update) } else { state.log[slot] = update }
            state.next += 1
            for continuation in state.subscribers.values { continuation.yield(update) }
        }
    }

    /// Updates held in the replay log (at most `capacity`).
    public var retained: Int { state.withLock { $0.log.count } }

    /// The last sequence number published (0 before any).
    public var lastSequence: UInt64 { state.withLock { $0.next - 1 } }

    /// Updates after `sequence` (replayed from the log), then live ones, until the consumer stops.
    public func updates(after sequence: UInt64?) -> AsyncStream<LiveUpdate> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: LiveUpdate.self, bufferingPolicy: .bufferingNewest(50_000))
        state.withLock { state in
            // `sequence` comes from a client (Last-Event-ID or ?after=) and may be any UInt64: compared with
            // `next - 1` (next ≥ 1), never incremented before it is known to be below the last published.
            if let sequence, sequence < state.next - 1 {
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
