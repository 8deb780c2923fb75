import Foundation
public import Hummingbird
import HTTPTypes
import Historian
public import Monitor
import PlantConfig
import ProcessModel

/// How the HTTP server is exposed.
public struct HTTPConfiguration: Sendable {
    /// 127.0.0.1 unless told otherwise.
    public var host = "127.0.0.1"
    public var port = 8080
    /// Bearer tokens by user; state-changing requests need one. Empty: state changes are refused.
    public var tokens: [String: String] = [:]
    /// Origins allowed by CORS; none by default.
    public var corsOrigins: [String] = []
    /// Largest request body accepted, bytes.
    public var maxRequestBody = 16 * 1024

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

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: JSON.object(["error": .object(["status": .number(Double(status.code)), "message": .string(message)])]).text)))
    }
}

/// The monitor's HTTP application: API under /api/v1, live stream, /metrics, health, dashboard.
///
/// It observes `state`'s Modbus requests for the latency histograms of /metrics (one application per state:
/// a second one built on the same state takes the observation over).
public func buildApplication(state: MonitorState, configuration: HTTPConfiguration,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: LimitsMiddleware(maxBody: configuration.maxRequestBody, corsOrigins: configuration.corsOrigins))
    let api = API(state: state, tokens: configuration.tokens)
    router.get("/healthz") { _, _ in json(.object(["status": .string("ok")])) }
    router.get("/readyz") { _, _ in
        let up = state.deviceStatuses.filter(\.up).count
        let body = JSON.object(["ready": .bool(up > 0), "devicesUp": .number(Double(up)), "devices": .number(Double(state.deviceStatuses.count))])
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
    router.get("/api/v1/alarms/journal") { request, _ in json(try api.events(kind: "alarm", query: request.uri.queryParameters)) }
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
    router.get("/api/v1/stream") { request, _ in api.stream(request) }
    let metrics = MonitorMetrics(state: state)
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }
    router.get("/") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Dashboard.html)))
    }
    return Application(router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "geolith"),
                       onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) })
}

/// A path parameter, percent-decoded: browsers send `PW1.TT101:H` as `PW1.TT101%3AH` (`encodeURIComponent`).
func parameter(_ context: some RequestContext, _ name: String) throws -> String {
    let raw = try context.parameters.require(name)
    guard let decoded = raw.removingPercentEncoding else {
        throw APIError(status: .badRequest, message: "\(name) is not valid percent-encoding: '\(raw)'")
    }
    return decoded
}

func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
    var writer = JSONWriter()
    value.write(to: &writer)
    return json(writer, status: status)
}

func json(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"],
             body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
}

/// Request limits and CORS (off unless origins are configured).
struct LimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBody: Int
    let corsOrigins: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBody {
            throw APIError(status: .contentTooLarge, message: "request body over \(maxBody) bytes")
        }
        var response = try await next(request, context)
        if let origin = request.headers[.origin], corsOrigins.contains(origin) {
            response.headers[.accessControlAllowOrigin] = origin
        }
        return response
    }
}
