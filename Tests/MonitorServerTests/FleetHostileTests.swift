import Foundation
import Historian
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import Monitor
import MonitorServer
import ServiceLifecycle
import Testing

/// A fleet of one plant over a real SQLite historian: `geolith fleet`'s router without a PostgreSQL server (the
/// handlers only see ``FleetReader`` and ``HistoryStore``; FleetDaemonTests run the real thing on a private cluster).
final class SQLiteFleet: FleetReader {
    static let plant = "demo"
    let state: MonitorState
    let path: String

    init() throws {
        (state, path) = try HostileRequestTests.stateWithHistorian()
    }

    func plants() async throws -> [PlantOverview] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return [PlantOverview(id: Self.plant, lastSampleTime: now - 1000, lastWrite: now, series: 1, snapshot: state.snapshot(at: now))]
    }

    func store(forPlant id: String) async throws -> (any HistoryStore)? { id == Self.plant ? state.historian : nil }

    func isReachable() async -> Bool { true }

    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// The fleet server gets the monitor's hostile-input treatment (issue 20, points 1, 3 and 5): every route and query
/// parameter with extremes answers JSON below 500, unknown routes answer JSON, and on a real socket silent clients
/// are closed at the header timeout and a flood of idle connections is capped.
@Suite(.serialized) struct FleetHostileTests {
    static let routes = [
        "/healthz", "/readyz", "/metrics", "/api/v1/plants", "/api/v1/plants/demo", "/api/v1/plants/demo/series",
        "/api/v1/plants/demo/kpis", "/api/v1/plants/demo/tags/PW1.FT101/history", "/api/v1/plants/demo/kpis/li_recovery/history",
        "/api/v1/plants/demo/events", "/api/v1/plants/nope/events", "/api/v1/plants/demo/tags/nope/history",
    ]

    @Test func everyFleetRouteAndParameterTakesExtremes() async throws {
        let fleet = try SQLiteFleet()
        defer { fleet.remove() }
        let app = buildFleetApplication(fleet: fleet, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0))
        try await app.test(.router) { client in
            var requests = 0
            for route in Self.routes {
                for parameter in HostileRouteTests.parameters + ["kind"] {
                    for value in HostileRouteTests.values {
                        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
                        let uri = "\(route)?\(parameter)=\(encoded)"
                        try await client.execute(uri: uri, method: .get) { response in
                            #expect(response.status.code < 500, "\(uri): \(response.status)")
                            if route != "/metrics" { #expect(HostileRouteTests.isJSON(String(buffer: response.body)), "\(uri)") }
                        }
                        requests += 1
                    }
                }
            }
            #expect(requests == Self.routes.count * (HostileRouteTests.parameters.count + 1) * HostileRouteTests.values.count)
            // The whole range still answers, with every stored sample; one past it is refused, naming the range.
            let range = HistoryBounds.time
            try await client.execute(uri: "/api/v1/plants/demo/tags/PW1.FT101/history?from=\(range.lowerBound)&to=\(range.upperBound)",
                                     method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                let points = body?["points"] as? [[String: Any]] ?? []
                #expect(points.reduce(0) { $0 + (($1["count"] as? Int) ?? 0) } == 10)
            }
            try await client.execute(uri: "/api/v1/plants/demo/events?to=\(range.upperBound + 1)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("years 1 to 9999"))
            }
            for (uri, method) in [("/api/v2/plants", HTTPRequest.Method.get), ("/api/v1/plants/demo", .post),
                                  ("/api/v1/plants/%ZZ", .get), ("/plants/%2e%2e/%2e%2e/etc/passwd", .get)] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect([400, 404, 405].contains(response.status.code), "\(method) \(uri): \(response.status)")
                    let body = try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                    #expect((body?["error"] as? [String: Any])?["status"] as? Int == Int(response.status.code), "\(method) \(uri)")
                }
            }
        }
    }

    /// The fleet application on 127.0.0.1, port 0, with short limits, for as long as `body` runs.
    static func withServer(_ configure: (inout HTTPConfiguration) -> Void, _ body: (Int) async throws -> Void) async throws {
        let fleet = try SQLiteFleet()
        defer { fleet.remove() }
        var configuration = HTTPConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        var logger = Logger(label: "fleet-limits")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildFleetApplication(fleet: fleet, configuration: configuration) { continuation.yield($0); continuation.finish() }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var port = 0
        for await bound in ports { port = bound }
        do { try await body(port) } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    @Test func theFleetServerClosesSilentClientsAndCapsIdleConnections() async throws {
        try await Self.withServer({ $0.headerTimeout = .milliseconds(500) }) { port in
            let silent = try #require(HTTPLimitsTests.Connection(port))
            defer { silent.close() }
            let closed = silent.waitForClose(5)
            #expect(closed != nil && closed! < 2, "a connection that says nothing: closed after \(String(describing: closed)) s")
        }
        // Idle connections are not closed by the header timeout here: only the connection limit makes room.
        try await Self.withServer({ $0.headerTimeout = .seconds(30); $0.maxConnections = 32 }) { port in
            let idle = (0..<100).compactMap { _ in HTTPLimitsTests.Connection(port) }
            defer { for connection in idle { connection.close() } }
            #expect(idle.count > 32, "\(idle.count) connections opened")
            let client = try #require(HTTPLimitsTests.Connection(port))
            defer { client.close() }
            let start = Date()
            client.send("GET /api/v1/plants HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            var answer = ""
            while Date().timeIntervalSince(start) < 10, !answer.contains("\"demo\""), let part = client.receive() { answer += part }
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(100))")
            let open = idle.filter { $0.receive() == "" }.count
            #expect(open <= 32, "\(open) idle connections still open")
        }
    }
}
