import Foundation
public import Hummingbird
import HummingbirdCore
import HTTPTypes
import Historian
public import Monitor
import NIOCore
import PlantConfig
import ProcessModel
import Synchronization

/// How the HTTP server is exposed.
public struct HTTPConfiguration: Sendable {
    /// 127.0.0.1 unless told otherwise.
    public var host = "127.0.0.1"
    public var port = 8080
    /// Bearer tokens by user; state-changing requests need one. Empty: state changes are refused.
    public var tokens: [String: String] = [:]
    /// Origins allowed by CORS; none by default.
    public var corsOrigins: [String] = []
    /// Largest request body accepted, bytes, chunked or not; a larger one gets 413 and the connection is closed.
    public var maxRequestBody = 16 * 1024
    /// HTTP connections open at once at most; lowered at start to what the process's file limit allows with
    /// ``reservedDescriptors`` (and two per device) kept for the pollers and the historian.
    public var maxConnections = 256
    /// File descriptors the HTTP server leaves to the rest of the daemon, besides two per device.
    public var reservedDescriptors = 64
    /// Live-stream clients (`/api/v1/stream`) at once; more get 503.
    public var maxStreamClients = 64
    /// A new connection must send a whole request head within this (and a request's body must follow it within
    /// this): slow or silent clients are closed.
    public var headerTimeout: Duration = .seconds(10)
    /// A keep-alive connection with no request for this long is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// A live-stream client that accepts nothing for this long is disconnected (it was already resynced past
    /// what it missed: its queue is bounded).
    public var streamStallTimeout: Duration = .seconds(30)

    public init(host: String = "127.0.0.1", port: Int = 8080, tokens: [String: String] = [:]) {
        self.host = host
        self.port = port
        self.tokens = tokens
    }

    /// Reads tokens from a file of `user:token` lines (comments with #).
    public static func tokens(fromFile path: String) throws -> [String: String] {
        var tokens: [String: String] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let colon = trimmed.firstIndex(of: ":") else { continue }
            let user = String(trimmed[..<colon]), token = String(trimmed[trimmed.index(after: colon)...])
            guard !user.isEmpty, token.count >= 16 else { continue }
            tokens[token] = user
        }
        return tokens
    }
}

/// An HTTP error with a JSON body `{"error": {"status": …, "message": …}}`.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields,
                        body: .init(byteBuffer: ByteBuffer(string: JSON.object(["error": .object(["status": .number(Double(status.code)), "message": .string(message)])]).text)))
    }
}

/// The request context of the monitor's routes: Hummingbird's, plus the connection, which a live stream closes
/// when its client stops reading.
public struct MonitorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// The monitor's HTTP application: API under /api/v1, live stream, /metrics, health, dashboard.
///
/// It observes `state`'s Modbus requests for the latency histograms of /metrics (one application per state:
/// a second one built on the same state takes the observation over).
public func buildApplication(state: MonitorState, configuration: HTTPConfiguration,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    buildApplication(slot: MonitorStateSlot(state), configuration: configuration, onServerRunning: onServerRunning)
}

/// The monitor's HTTP application over the state in `slot`, which a reload replaces while the listener stays up.
public func buildApplication(slot: MonitorStateSlot, configuration: HTTPConfiguration,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let router = Router(context: MonitorRequestContext.self)
    router.add(middleware: LimitsMiddleware(maxBody: configuration.maxRequestBody, corsOrigins: configuration.corsOrigins))
    let api = API(slot: slot, tokens: configuration.tokens, streams: LiveStreams(configuration))
    router.get("/healthz") { _, _ in json(.object(["status": .string("ok")])) }
    router.get("/readyz") { _, _ in
        let statuses = api.state.deviceStatuses
        let up = statuses.filter(\.up).count
        let body = JSON.object(["ready": .bool(up > 0), "devicesUp": .number(Double(up)), "devices": .number(Double(statuses.count))])
        return json(body, status: up > 0 ? .ok : .serviceUnavailable)
    }
    router.get("/api/v1/plant") { _, _ in json(api.plant()) }
    router.get("/api/v1/devices") { _, _ in json(api.devices()) }
    router.get("/api/v1/tags") { _, _ in json(api.tags()) }
    router.get("/api/v1/tags/:name") { _, context in json(try api.tag(try parameter(context, "name"))) }
    router.get("/api/v1/tags/:name/history") { request, context in
        let name = try parameter(context, "name")
        return json(try await api.history(series: name, isKPI: false, query: request.uri.queryParameters))
    }
    router.get("/api/v1/kpis") { _, _ in json(api.kpis()) }
    router.get("/api/v1/kpis/:name/history") { request, context in
        let name = try parameter(context, "name")
        return json(try await api.history(series: name, isKPI: true, query: request.uri.queryParameters))
    }
    router.get("/api/v1/alarms") { _, _ in json(api.alarms()) }
    router.get("/api/v1/alarms/health") { _, _ in json(api.alarmHealth()) }
    router.get("/api/v1/alarms/journal") { request, _ in json(try api.events(kind: .alarm, query: request.uri.queryParameters)) }
    router.post("/api/v1/alarms/:id/ack") { request, context in
        json(try api.acknowledge(try parameter(context, "id"), user: try api.authorise(request)))
    }
    router.post("/api/v1/alarms/:id/shelve") { request, context in
        let id = try parameter(context, "id")
        return json(try api.shelve(id, user: try api.authorise(request), query: request.uri.queryParameters))
    }
    router.get("/api/v1/events") { request, _ in json(try api.events(kind: nil, query: request.uri.queryParameters)) }
    router.get("/api/v1/historian") { _, _ in json(api.historianStatus()) }
    router.get("/api/v1/plan") { _, _ in json(api.plan()) }
    router.get("/api/v1/balances") { _, _ in json(api.balances()) }
    router.get("/api/v1/stream") { request, context in try api.stream(request, channel: context.channel) }
    let metrics = MetricsSlot(slot)
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: metrics.current.exposition())))
    }
    router.get("/") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Dashboard.html)))
    }
    return guardedApplication(router: router, configuration: configuration, devices: slot.current.plant.devices.count,
                              onServerRunning: onServerRunning)
}

/// An application on `router` with the connection limits and the header and idle timeouts of `configuration`
/// (``HTTPConnectionGuard``): the monitor's server and the fleet's alike.
func guardedApplication<Context: RequestContext>(
    router: Router<Context>, configuration: HTTPConfiguration, devices: Int,
    onServerRunning: @escaping @Sendable (Int) async -> Void
) -> some ApplicationProtocol where Context.Source == ApplicationRequestContextSource {
    let limits = configuration.connectionLimits(devices: devices)
    let registry = HTTPConnectionRegistry(softLimit: limits.soft)
    let (headerTimeout, idleTimeout) = (configuration.headerTimeout, configuration.idleTimeout)
    let server = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [
        HTTPConnectionGuard(registry: registry, headerTimeout: headerTimeout, idleTimeout: idleTimeout),
    ]))
    return Application(router: router, server: server,
                       configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "geolith",
                                            availableConnectionsDelegate: MaximumAvailableConnections(limits.hard)),
                       onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) })
}

extension HTTPConfiguration {
    /// The connection limits this configuration gives in this process: the hard limit (the listener stops
    /// accepting) is ``maxConnections``, lowered to the file limit (`RLIMIT_NOFILE`) less ``reservedDescriptors``
    /// and two per device; past the soft limit, each new connection closes the oldest idle one.
    public func connectionLimits(devices: Int) -> (soft: Int, hard: Int) {
        var limit = rlimit()
        let files = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1024
        let hard = max(8, min(maxConnections, files - reservedDescriptors - 2 * devices))
        return (max(1, hard - max(4, hard / 16)), hard)
    }
}

/// The /metrics renderer of the slot's current state, rebuilt when a reload replaces it.
final class MetricsSlot: Sendable {
    private let slot: MonitorStateSlot
    private let metrics: Mutex<MonitorMetrics>

    init(_ slot: MonitorStateSlot) {
        self.slot = slot
        metrics = Mutex(MonitorMetrics(state: slot.current))
    }

    var current: MonitorMetrics {
        let state = slot.current
        return metrics.withLock { metrics in
            if metrics.state !== state { metrics = MonitorMetrics(state: state) }
            return metrics
        }
    }
}

/// A path parameter, percent-decoded: browsers send `PW1.TT101:H` as `PW1.TT101%3AH` (`encodeURIComponent`).
func parameter(_ context: some RequestContext, _ name: String) throws -> String {
    let raw = try context.parameters.require(name)
    guard let decoded = raw.removingPercentEncoding else {
        throw APIError(status: .badRequest, message: "\(name) is not valid percent-encoding: '\(raw)'")
    }
    return decoded
}

func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
    json(JSONBodyEncoder.encode(value), status: status)
}

/// An ad-hoc answer (`json(.object([...]))`).
func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
    json(JSONBodyEncoder.encode(value), status: status)
}

func json(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"],
             body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
}

/// Request limits, JSON errors for everything (unknown routes and methods included), and CORS (off unless
/// origins are configured).
///
/// The body limit holds whatever the framing: a body is read here up to the limit, so a chunked body (no
/// Content-Length) of 20 MB is refused at 16 KiB as one announced at that size is, and the connection closed.
struct LimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBody: Int
    let corsOrigins: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let tooLarge = APIError(status: .contentTooLarge, message: "request body over \(maxBody) bytes", headers: [.connection: "close"])
        if let length = request.headers[.contentLength] {
            // Any Content-Length that is not a small decimal number is refused before a byte of the body is read.
            guard length.utf8.count <= 12, let bytes = Int(length), bytes >= 0 else {
                throw APIError(status: .badRequest, message: "Content-Length must be a number of bytes", headers: [.connection: "close"])
            }
            if bytes > maxBody { throw tooLarge }
        }
        do {
            _ = try await request.collectBody(upTo: maxBody)
        } catch {
            throw tooLarge
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            let message = error.status == .notFound ? "no route \(request.method) \(request.uri.path.prefix(200))"
                : "\(request.method) is not allowed on \(request.uri.path.prefix(200))"
            throw APIError(status: error.status, message: message)
        }
        if let origin = request.headers[.origin], corsOrigins.contains(origin) {
            response.headers[.accessControlAllowOrigin] = origin
        }
        return response
    }
}
