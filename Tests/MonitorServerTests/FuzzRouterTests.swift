import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Monitor
import MonitorServer
import ProcessModel
import Testing

/// The HTTP routers fuzzed (issue 20, point 6): random methods, paths (route templates with segments replaced by
/// random, percent-encoded and traversal text), query parameters, headers and bodies, seeded (10,000 requests
/// with seed 1, or GEOLITH_FUZZ_INPUTS and GEOLITH_FUZZ_SEED), one in three to the fleet server's router
/// (`geolith fleet`, over a SQLite historian). Every answer is below 500 (503 aside: no historian), every error is
/// JSON with its status, and the process goes on.
@Suite(.serialized) struct FuzzRouterTests {
    static let paths = [
        "/", "/healthz", "/readyz", "/metrics", "/api/v1/plant", "/api/v1/devices", "/api/v1/tags", "/api/v1/tags/{}",
        "/api/v1/tags/{}/history", "/api/v1/kpis", "/api/v1/kpis/{}/history", "/api/v1/alarms", "/api/v1/alarms/health",
        "/api/v1/alarms/journal", "/api/v1/alarms/{}/ack", "/api/v1/alarms/{}/shelve", "/api/v1/events", "/api/v1/plan",
        "/api/v1/balances", "/api/v1/stream", "/api/v1/{}", "/{}", "/api/v1/tags/{}/{}",
    ]
    static let fleetPaths = [
        "/", "/healthz", "/readyz", "/metrics", "/api/v1/plants", "/api/v1/plants/{}", "/api/v1/plants/{}/series",
        "/api/v1/plants/{}/kpis", "/api/v1/plants/{}/tags/{}/history", "/api/v1/plants/{}/kpis/{}/history",
        "/api/v1/plants/{}/events", "/plants/{}", "/api/v1/plants/{}/{}", "/api/v1/{}", "/{}",
    ]
    static let names = ["from", "to", "maxPoints", "limit", "minutes", "after", "kind", "x", "", "from[]", "%00"]
    static let segments = ["PW1.FT101", "PW1.TT101%3AH", "li_recovery", "..", "%2e%2e", "%2F", "%00", "%ZZ", "%", "a%20b", "demo",
                           String(repeating: "a", count: 3000), "é", "%C3%A9", "PW1.FT101:H"]
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .head, .options, .patch, .connect, .trace,
                                                HTTPRequest.Method("PROPFIND")!, HTTPRequest.Method("X")!]

    static func pick<T>(_ values: [T], _ random: inout SplitMix64) -> T { values[Int(random.below(UInt64(values.count)))] }

    static func text(_ random: inout SplitMix64) -> String {
        switch random.below(4) {
        case 0: pick(HostileRequestTests.extremes + ["", "-0", "1e-320", "0x10", "+5"], &random)
        case 1: String(random.next() % 100_000)
        case 2: String(Int64(bitPattern: random.next()))
        default: String((0..<random.below(12)).map { _ in Character(Unicode.Scalar(UInt8(32 + random.below(95)))) })
        }
    }

    static func request(_ random: inout SplitMix64, paths: [String] = paths) -> (HTTPRequest.Method, String, HTTPFields, ByteBuffer?) {
        var path = pick(paths, &random)
        while let hole = path.range(of: "{}") { path.replaceSubrange(hole, with: pick(segments, &random)) }
        var query: [String] = []
        for _ in 0..<random.below(4) {
            let value = text(&random).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            query.append("\(pick(names, &random))=\(value)")
        }
        // A live stream replays from the start of the log and ends after one event, so every request completes
        // without waiting for a live update (the first value of a parameter counts; HostileRouteTests covers resume ids).
        let stream = path == "/api/v1/stream"
        if stream { query.insert("after=0&limit=1", at: 0) }
        var headers: HTTPFields = [:]
        for _ in 0..<random.below(4) {
            switch random.below(6) {
            case 0: headers[.authorization] = pick(["Bearer ", "bearer ", "BEARER ", "Basic ", ""], &random)
                + pick([MonitorServerTests.token, text(&random)], &random)
            case 1 where !stream: headers[HTTPField.Name("Last-Event-ID")!] = text(&random)
            case 2: headers[.contentLength] = text(&random)
            case 3: headers[.origin] = text(&random)
            case 4: headers[.contentType] = pick(["application/json", "text/plain", text(&random)], &random)
            default: if let name = HTTPField.Name("X-\(random.next() % 1000)") { headers[name] = text(&random) }
            }
        }
        var body: ByteBuffer?
        if random.below(5) == 0 {
            let size = random.below(4) == 0 ? 16_384 + Int(random.below(4096)) : Int(random.below(512))
            var bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: random.next()), count: size)
            for _ in 0..<min(size, 16) { bytes[Int(random.below(UInt64(size)))] = UInt8(truncatingIfNeeded: random.next()) }
            body = ByteBuffer(bytes: bytes)
        }
        let uri = query.isEmpty ? path : path + "?" + query.joined(separator: "&")
        return (pick(methods, &random), uri, headers, body)
    }

    static func send(_ client: some TestClientProtocol, _ uri: String, _ method: HTTPRequest.Method, _ headers: HTTPFields,
                     _ body: ByteBuffer?) async throws -> (Int, String) {
        try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            (Int(response.status.code), String(buffer: response.body))
        }
    }

    @Test func randomRequestsNeverBreakTheServer() async throws {
        let inputs = ProcessInfo.processInfo.environment["GEOLITH_FUZZ_INPUTS"].flatMap(Int.init) ?? 10_000
        let seed = ProcessInfo.processInfo.environment["GEOLITH_FUZZ_SEED"].flatMap(UInt64.init) ?? 1
        let (state, path) = try HostileRequestTests.stateWithHistorian()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let app = buildApplication(state: state, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0,
                                                                                 tokens: [MonitorServerTests.token: "alice"]))
        for i in 0..<10 { state.feed.publish(.kpi(.marker("i\(i)"))) }
        let fleet = try SQLiteFleet()
        defer { fleet.remove() }
        let fleetApp = buildFleetApplication(fleet: fleet, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0))
        let start = ContinuousClock.now
        let (statuses, failures) = try await app.test(.router) { client in
            try await fleetApp.test(.router) { fleetClient -> ([Int: Int], [String]) in
                var random = SplitMix64(seed: seed)
                var statuses: [Int: Int] = [:]
                var failures: [String] = []
                for _ in 0..<inputs {
                    let toFleet = random.below(3) == 0
                    let (method, uri, headers, body) = Self.request(&random, paths: toFleet ? Self.fleetPaths : Self.paths)
                    let (code, text) = toFleet ? try await Self.send(fleetClient, uri, method, headers, body)
                        : try await Self.send(client, uri, method, headers, body)
                    statuses[code, default: 0] += 1
                    if code >= 500 && code != 503 { failures.append("\(method) \(uri.prefix(200)): \(code)") }
                    if code >= 400, !uri.hasPrefix("/readyz") {   // /readyz's 503 is its answer: {"ready": false, …}
                        let error = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: [String: Any]]
                        if error?["error"]?["status"] as? Int != code { failures.append("\(method) \(uri.prefix(200)): \(code) body \(text.prefix(100))") }
                    }
                }
                return (statuses, failures)
            }
        }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print("fuzz http-router: \(inputs) requests in \(String(format: "%.1f", seconds)) s, seed \(seed), statuses \(statuses.sorted { $0.key < $1.key })")
        #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5).joined(separator: "\n"))")
        #expect(statuses.values.reduce(0, +) == inputs)
    }
}
