import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// The open HTTP connections of one server, for the connection limit.
///
/// Once more than ``softLimit`` are open, each new connection closes the oldest idle one (no request in
/// progress: a client that connected and said nothing, or a keep-alive between requests), so a flood of idle
/// connections never locks out a client with a request to make. Connections busy with a request or a live
/// stream are never closed this way; the listener stops accepting at the hard limit (Hummingbird's
/// `MaximumAvailableConnections`), which stays below the process's file limit with the pollers' and the
/// historian's descriptors reserved. 1,100 idle connections under the default limit of 1,024 files once made
/// the API unreachable and left the pollers unable to reconnect ("Too many open files").
final class HTTPConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        let order: UInt64
        var busy = false
    }

    private struct State {
        var open: [ObjectIdentifier: Entry] = [:]
        var next: UInt64 = 0
        var evicted = 0
    }

    private let state = Mutex(State())
    let softLimit: Int

    init(softLimit: Int) {
        self.softLimit = max(1, softLimit)
    }

    var count: Int { state.withLock { $0.open.count } }
    /// Idle connections closed to make room so far.
    var evicted: Int { state.withLock { $0.evicted } }

    /// Registers a new connection; closes the oldest idle one when more than ``softLimit`` are open.
    func opened(_ channel: any Channel) {
        let victim = state.withLock { state -> (any Channel)? in
            state.open[ObjectIdentifier(channel)] = Entry(channel: channel, order: state.next)
            state.next += 1
            guard state.open.count > softLimit else { return nil }
            let oldest = state.open.filter { !$0.value.busy && $0.key != ObjectIdentifier(channel) }
                .min { $0.value.order < $1.value.order }
            guard let oldest else { return nil }
            state.open[oldest.key] = nil
            state.evicted += 1
            return oldest.value.channel
        }
        victim?.close(promise: nil)
    }

    func busy(_ channel: any Channel, _ busy: Bool) {
        state.withLock { $0.open[ObjectIdentifier(channel)]?.busy = busy }
    }

    func closed(_ channel: any Channel) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

/// Per connection: the header timeout (a new connection must send a complete request head within it, and a
/// request's body must follow within it), the idle timeout (between requests), the connection's place in the
/// ``HTTPConnectionRegistry``, and closing the connection after a response that says `Connection: close`.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let registry: HTTPConnectionRegistry
    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var inFlight = 0
    private var registered = false
    private var closeAfterResponse = false

    init(registry: HTTPConnectionRegistry, headerTimeout: Duration, idleTimeout: Duration) {
        self.registry = registry
        self.headerTimeout = TimeAmount(headerTimeout)
        self.idleTimeout = TimeAmount(idleTimeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !registered else { return }
        registered = true
        registry.opened(context.channel)
        arm(context, headerTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inFlight += 1
            registry.busy(context.channel, true)
            arm(context, headerTimeout)   // the body must follow
        case .end:
            disarm()                      // the answer takes what it takes (a live stream has its own watchdog)
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if response.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            inFlight = max(0, inFlight - 1)
            if closeAfterResponse {
                // A 413 leaves a body unread: close rather than drain it (a chunked body has no announced end).
                context.writeAndFlush(data, promise: promise)
                context.close(promise: nil)
                return
            }
            context.write(data, promise: promise)
            if inFlight == 0 {
                registry.busy(context.channel, false)
                arm(context, idleTimeout)
            }
        }
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: TimeAmount) {
        disarm()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            self?.timer = nil
            context.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
