import Foundation
import PlantConfig
public import RegisterVocabulary
import Synchronization

/// One change for live clients: a tag value, a KPI, an alarm transition or a device status, with a sequence
/// number so that a reconnecting client resumes where it left off without a gap. The change is carried as a
/// typed value; the HTTP layer writes it as JSON, in the same shapes as its REST answers.
public struct LiveUpdate: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable { case tag, kpi, alarm, device }

    /// What an update carries. A tag's change is kept inline (no allocation: the tag's name shares the plant
    /// description's storage), since a plant of 10,000 tags publishes 10,000 of them a second; the rarer kinds
    /// are boxed, so that the replay log's slots stay as small as a tag's.
    public enum Event: Sendable, Hashable {
        case tag(name: String, value: TagValue)
        indirect case kpi(KPIValue)
        /// The transition, and the alarm's status after it (nil for an alarm the engine no longer holds).
        indirect case alarm(AlarmTransition, AlarmStatus?)
        indirect case device(DeviceChange)
    }

    public var sequence: UInt64
    public var event: Event

    public var kind: Kind {
        switch event {
        case .tag: .tag
        case .kpi: .kpi
        case .alarm: .alarm
        case .device: .device
        }
    }
}

/// A device that went up or down.
public struct DeviceChange: Sendable, Hashable {
    public var name: String
    public var up: Bool
    /// Why it is down (nil when up).
    public var lastError: String?
    public var time: Int64

    public init(name: String, up: Bool, lastError: String?, time: Int64) {
        self.name = name
        self.up = up
        self.lastError = lastError
        self.time = time
    }
}

/// A bounded replay log of live updates with subscribers. Clients that ask for updates after a sequence
/// number still in the log get the missed ones first, then live ones; older gaps are reported by the first
/// sequence number they receive.
///
/// Each subscriber's queue is bounded (``clientQueue`` updates, the newest kept): a client that stops reading
/// costs at most that much memory, and sees a gap in the sequence numbers when it reads again, which the HTTP
/// stream answers with a resync event (the current snapshot). Without the bound each stalled client held up to
/// 50,000 updates: 200 of them on a 2,000-tag plant took the daemon from 58 MB to 1,237 MB in 40 s.
public final class LiveFeed: Sendable {
    private struct State {
        var next: UInt64 = 1
        /// A ring: the update with sequence s is at index (s − 1) % capacity while it is among the newest.
        var log: [LiveUpdate] = []
        var subscribers: [UUID: AsyncStream<LiveUpdate>.Continuation] = [:]
        var closed = false
    }

    private let state = Mutex(State())
    public let capacity: Int
    /// Updates queued for one subscriber at most; older ones are dropped when it falls behind.
    public let clientQueue: Int

    /// - Parameters:
    ///   - capacity: updates kept for clients that resume (Last-Event-ID).
    ///   - clientQueue: updates queued for one subscriber at most.
    public init(capacity: Int = 20_000, clientQueue: Int = 512) {
        precondition(capacity > 0 && clientQueue > 0, "a live feed needs room for one update")
        self.capacity = capacity
        self.clientQueue = clientQueue
        state.withLock { $0.log.reserveCapacity(capacity) }
    }

    /// Subscribers now.
    public var clients: Int { state.withLock { $0.subscribers.count } }

    /// Ends every subscriber's stream, and those that subscribe later at once (the state this feed belongs to was
    /// replaced by a reload: its clients reconnect to the new one).
    public func close() {
        let continuations = state.withLock { state in
            state.closed = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }

    /// Publishes a tag's new value (its JSON is built only when a client reads it).
    public func publish(tag: String, value: TagValue) {
        publish(.tag(name: tag, value: value))
    }

    /// Publishes a change.
    public func publish(_ event: LiveUpdate.Event) {
        state.withLock { state in
            let update = LiveUpdate(sequence: state.next, event: event)
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
        let (stream, continuation) = AsyncStream.makeStream(of: LiveUpdate.self, bufferingPolicy: .bufferingNewest(clientQueue))
        let closed = state.withLock { state -> Bool in
            guard !state.closed else { return true }
            // `sequence` comes from a client (Last-Event-ID or ?after=) and may be any UInt64: compared with
            // `next - 1` (next ≥ 1), never incremented before it is known to be below the last published.
            if let sequence, sequence < state.next - 1 {
                // Replay the retained updates after `sequence`, oldest first; no more than the queue holds (the
                // client sees the gap before them and resyncs).
                let oldest = state.next > UInt64(capacity) ? state.next - UInt64(capacity) : 1
                let queued = state.next > UInt64(clientQueue) ? state.next - UInt64(clientQueue) : 1
                var s = max(sequence + 1, oldest, queued)
                while s < state.next {
                    continuation.yield(state.log[Int((s - 1) % UInt64(capacity))])
                    s += 1
                }
            }
            state.subscribers[id] = continuation
            return false
        }
        if closed { continuation.finish() }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }
}

extension KPIValue {
    /// A KPI's value at `time` (for publishers outside the soft sensors, e.g. tests).
    public init(name: String, label: String, value: Double, unit: String, quality: Quality, at time: Int64, idle: Bool = false) {
        self.name = name
        self.label = label
        self.value = value
        self.unit = unit
        self.quality = quality
        self.time = time
        self.idle = idle
    }
}
