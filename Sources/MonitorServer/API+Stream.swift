import Foundation
import Hummingbird
import HTTPTypes
import Monitor
import NIOCore
import PlantConfig
import RegisterVocabulary
import Synchronization

/// The live streams of one HTTP server: how many are open, and the limits each keeps.
final class LiveStreams: Sendable {
    let maximum: Int
    let stallTimeout: Duration
    private let open = Atomic<Int>(0)
    /// The last resync event built, shared by the clients that resync at about the same time (a stalled or slow
    /// reader resyncs each time its queue overflows; a snapshot of a 2,000-tag plant is about 300 KB, and 64
    /// clients that fell behind together would otherwise each build one).
    private let lastResync = Mutex<LastResync?>(nil)

    /// A resync event, and the state it was read from (sequence numbers start again with a reloaded state).
    private struct LastResync {
        weak var state: MonitorState?
        var sequence: UInt64
        var event: ByteBuffer
    }

    init(_ configuration: HTTPConfiguration) {
        maximum = max(1, configuration.maxStreamClients)
        stallTimeout = configuration.streamStallTimeout
    }

    var count: Int { open.load(ordering: .relaxed) }

    /// A resync event whose snapshot holds every update up to at least `sequence`: the last one built if it
    /// does, else a new one. Returns the sequence number the snapshot stands for.
    func resync(_ state: MonitorState, covering sequence: UInt64) -> (UInt64, ByteBuffer) {
        if let last = lastResync.withLock({ $0 }), last.state === state, last.sequence >= sequence { return (last.sequence, last.event) }
        let snapshot = ResyncShape(state)
        let covered = snapshot.sequence
        let event = API.event(id: covered, name: "resync", data: snapshot)
        lastResync.withLock { last in
            if last?.state !== state || (last?.sequence ?? 0) < covered { last = LastResync(state: state, sequence: covered, event: event) }
        }
        return (covered, event)
    }

    /// A place for one more stream, released when the ticket goes (with the response, written or not).
    func enter() -> Ticket? {
        var current = open.load(ordering: .relaxed)
        while current < maximum {
            let (exchanged, original) = open.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return Ticket(self) }
            current = original
        }
        return nil
    }

    final class Ticket: Sendable {
        let streams: LiveStreams
        init(_ streams: LiveStreams) { self.streams = streams }
        deinit { streams.open.subtract(1, ordering: .relaxed) }
    }
}

/// Closes a live stream's connection when one write has waited longer than `timeout`: its client stopped
/// reading. Memory is bounded without it (the feed's queue per client); this frees the connection.
final class StallWatchdog: Sendable {
    /// When the pending write started (monotonic ns), 0 when none is pending.
    private final class Pending: Sendable {
        let since = Atomic<UInt64>(0)
    }

    private let pending = Pending()
    private let task: Task<Void, Never>

    init(channel: any Channel, timeout: Duration) {
        let pending = self.pending
        let limit = UInt64(min(max(0, timeout / .nanoseconds(1)), 1e18))
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: min(timeout / 4, .seconds(1)))
                let started = pending.since.load(ordering: .relaxed)
                if started != 0, DispatchTime.now().uptimeNanoseconds - started > limit {
                    channel.close(promise: nil)
                    return
                }
            }
        }
    }

    deinit { task.cancel() }

    /// Runs one write, watched.
    func write(_ body: () async throws -> Void) async throws {
        pending.since.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        defer { pending.since.store(0, ordering: .relaxed) }
        try await body()
    }
}

extension API {
    /// Server-Sent Events of tag, KPI, alarm and device updates.
    ///
    /// `Last-Event-ID` (or `?after=`) resumes without a gap while the update is still in the replay log and the
    /// client's queue. A client that misses updates (it resumed from too far back, from another run of the
    /// daemon, or fell behind: its queue keeps the newest ``LiveFeed/clientQueue``) gets a `resync` event
    /// instead, carrying every tag's and KPI's current value and the sequence number it stands for; updates up
    /// to that number are skipped. A client that reads nothing for the stall timeout is disconnected; at most
    /// ``HTTPConfiguration/maxStreamClients`` streams are open (503 beyond).
    func stream(_ request: Request, channel: any Channel) throws -> Response {
        let after = try sequence(request)
        let limit = try request.uri.queryParameters["limit"].map(String.init).map { text in
            guard let value = Int(text), (1...1_000_000).contains(value) else {
                throw APIError(status: .badRequest, message: "limit must be 1…1000000 events, got '\(text.prefix(40))'")
            }
            return value
        }
        guard let ticket = streams.enter() else {
            throw APIError(status: .serviceUnavailable, message: "\(streams.maximum) live clients are connected, the most allowed",
                           headers: [.retryAfter: "10"])
        }
        let state = self.state
        let updates = state.feed.updates(after: after)
        let stallTimeout = streams.stallTimeout
        let streams = self.streams
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                        body: .init { writer in
                            _ = ticket
                            // NIO buffers at most 16 KiB of a stream that its client does not read (the default
                            // high watermark is 64 KiB, in writes of one update each); the feed's queue holds the rest.
                            try? await channel.setOption(ChannelOptions.writeBufferWaterMark,
                                                         value: .init(low: 4 * 1024, high: 16 * 1024)).get()
                            let watchdog = StallWatchdog(channel: channel, timeout: stallTimeout)
                            var sent = 0
                            // The sequence the next update must carry (a resumed client expects the one after its
                            // id), and the last one a resync snapshot already holds.
                            var expected = after.map { $0 &+ 1 }
                            var covered: UInt64 = 0
                            try await watchdog.write { try await writer.write(ByteBuffer(string: "retry: 2000\n\n")) }
                            for await update in updates {
                                if update.sequence <= covered { continue }
                                if let next = expected, update.sequence != next {
                                    let (sequence, event) = streams.resync(state, covering: update.sequence &- 1)
                                    try await watchdog.write { try await writer.write(event) }
                                    covered = sequence
                                    expected = sequence &+ 1
                                    if update.sequence <= sequence { continue }
                                }
                                try await watchdog.write {
                                    try await writer.write(Self.event(id: update.sequence, name: update.kind.rawValue,
                                                                      data: LiveUpdateShape(update: update)))
                                }
                                expected = update.sequence &+ 1
                                sent += 1
                                if let limit, sent >= limit { break }
                            }
                            try await writer.finish(nil)
                        })
    }

    /// The client's resume point: `Last-Event-ID`, else `?after=`; any UInt64, or 400.
    func sequence(_ request: Request) throws -> UInt64? {
        let header = request.headers[.lastEventID]
        guard let text = header ?? request.uri.queryParameters["after"].map(String.init) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // EventSource sends an empty Last-Event-ID when the last event had no id: start afresh.
        if trimmed.isEmpty, header != nil { return nil }
        guard let value = UInt64(trimmed) else {
            throw APIError(status: .badRequest,
                           message: "\(header != nil ? "Last-Event-ID" : "after") must be an event id (0…18446744073709551615), got '\(text.prefix(40))'")
        }
        return value
    }

    /// One Server-Sent Event: its id, its name, and its data as JSON on one line.
    static func event(id: UInt64, name: String, data: some Encodable) -> ByteBuffer {
        let json = JSONBodyEncoder.encode(data)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.bytes.count + name.utf8.count + 40)
        buffer.writeString("id: \(id)\nevent: \(name)\ndata: ")
        buffer.writeBytes(json.bytes)
        buffer.writeString("\n\n")
        return buffer
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}
