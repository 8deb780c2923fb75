import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Monitor
import MonitorServer
import PlantConfig
import RegisterVocabulary
import Simulator
import Testing

/// The HTTP API, /metrics, the dashboard and the live stream, over a monitor of the simulated demo plant.
@Suite(.serialized) struct MonitorServerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let token = "0123456789abcdef-operator"

    /// A monitor state fed by one poll of the simulator (no services: the test drives it).
    static func state() throws -> MonitorState {
        let plant = try PlantLoader.load(path: repository.appendingPathComponent("PlantConfigs/demo.yaml").path)
        return MonitorState(plant: plant, historian: nil)
    }

    func app(_ state: MonitorState) -> some ApplicationProtocol {
        buildApplication(state: state, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0, tokens: [Self.token: "alice"]))
    }

    @Test func readEndpointsAnswerJSON() async throws {
        let state = try Self.state()
        try await app(state).test(.router) { client in
            for path in ["/healthz", "/api/v1/plant", "/api/v1/devices", "/api/v1/tags", "/api/v1/tags/PW1.FT101", "/api/v1/kpis",
                         "/api/v1/alarms", "/api/v1/alarms/health", "/api/v1/plan", "/api/v1/balances", "/api/v1/events"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == "application/json", "\(path)")
                    #expect((try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))) != nil, "\(path)")
                }
            }
            try await client.execute(uri: "/api/v1/tags", method: .get) { response in
                let tags = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as! [[String: Any]]
                #expect(tags.count == 49)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable, "no device up yet")
            }
        }
    }

    @Test func badRequestsGetJSONErrorsNever500() async throws {
        let state = try Self.state()
        try await app(state).test(.router) { client in
            let cases: [(String, HTTPResponse.Status)] = [
                ("/api/v1/tags/NOPE", .notFound), ("/api/v1/tags/NOPE/history", .notFound),
                ("/api/v1/tags/PW1.FT101/history?maxPoints=abc", .badRequest), ("/api/v1/tags/PW1.FT101/history?maxPoints=0", .badRequest),
                ("/api/v1/tags/PW1.FT101/history?from=10&to=5", .badRequest), ("/api/v1/kpis/nope/history", .notFound),
                ("/api/v1/events?limit=-1", .badRequest), ("/nope", .notFound),
            ]
            for (path, status) in cases {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == status, "\(path): \(response.status)")
                    if path != "/nope" {
                        let body = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                        #expect((body?["error"] as? [String: Any])?["message"] != nil, "\(path)")
                    }
                }
            }
        }
    }

    /// An unknown tag is a 404 that names the nearest tags the plant has.
    @Test func unknownNamesGetTheNearestOnes() async throws {
        let state = try Self.state()
        try await app(state).test(.router) { client in
            for path in ["/api/v1/tags/PW1.FT10", "/api/v1/tags/PW1.FT10/history"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound)
                    let text = String(buffer: response.body)
                    #expect(text.contains("no tag 'PW1.FT10'; did you mean PW1.FT101"), "\(path): \(text)")
                }
            }
        }
    }

    @Test func stateChangesNeedAToken() async throws {
        let state = try Self.state()
        // Raise an alarm: the wellhead temperature above its high limit.
        let tag = state.plant.tag(named: "PW1.TT101")!
        _ = tag
        try await app(state).test(.router) { client in
            try await client.execute(uri: "/api/v1/alarms/PW1.TT101:H/ack", method: .post) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/alarms/PW1.TT101:H/ack", method: .post, headers: [.authorization: "Bearer wrong"]) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/alarms/NOPE/ack", method: .post, headers: [.authorization: "Bearer \(Self.token)"]) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/alarms/PW1.TT101:H/shelve?minutes=100000", method: .post,
                                     headers: [.authorization: "Bearer \(Self.token)"]) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/v1/alarms/PW1.TT101:H/shelve?minutes=30", method: .post,
                                     headers: [.authorization: "Bearer \(Self.token)"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"by\":\"alice\""))
            }
            try await client.execute(uri: "/api/v1/alarms", method: .get) { response in
                #expect(String(buffer: response.body).contains("PW1.TT101:H"), "a shelved alarm is listed")
            }
        }
    }

    @Test func metricsAndDashboard() async throws {
        let state = try Self.state()
        try await app(state).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(text.contains("# TYPE geolith_tag_quality gauge"))
                #expect(text.contains("geolith_device_up{plant=\"demo\",device=\"demo-wellhead\"} 0"))
                // Every sample line is `name{labels} value` with no timestamp.
                for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                    #expect(line.split(separator: " ").count == 2 || line.contains("=\""), "\(line)")
                    #expect(Double(line.split(separator: " ").last!) != nil || line.hasSuffix("NaN"), "\(line)")
                }
            }
            try await client.execute(uri: "/", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<svg id=\"schematic\""))
                #expect(!html.contains("http://") && !html.contains("https://"), "no CDN")
            }
        }
    }

    /// Every route the server registers is described in docs/openapi.yaml.
    @Test func openAPIDescribesEveryRoute() throws {
        let source = try String(contentsOf: Self.repository.appendingPathComponent("Sources/MonitorServer/MonitorHTTP.swift"), encoding: .utf8)
        let document = try String(contentsOf: Self.repository.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let routes = source.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.range(of: "router.get(\"") ?? line.range(of: "router.post(\"") else { return nil }
            let rest = line[start.upperBound...]
            return String(rest[..<rest.firstIndex(of: "\"")!])
        }
        #expect(routes.count >= 18)
        for route in routes {
            let path = route.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            let key = "  " + (path.isEmpty ? "/" : "/" + path) + ":"
            #expect(document.contains(key), "\(route) is not in docs/openapi.yaml")
        }
    }

    static var promtool: String? { ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) } }

    /// `promtool check metrics` on an exposition: its exit status and what it printed.
    static func promtoolCheck(_ text: String) throws -> (Int32, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID()).txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(promtool!) check metrics < '\(file.path)'"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(1000) }
        return (process.isRunning ? -1 : process.terminationStatus, output)
    }

    /// A real exposition parser (Debian's prometheus package) accepts /metrics.
    @Test(.enabled(if: promtool != nil, "promtool not installed (make test installs Debian's prometheus package)"))
    func promtoolAcceptsTheMetrics() async throws {
        let state = try Self.state()
        let tag = state.plant.tag(named: "PW1.FT101")!
        state.apply([(tag, TagValue(value: 24, quality: .good, time: 1000))], at: 1000)
        state.tick(at: 2000, staleAfter: [:])
        let text = try await app(state).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        }
        let (status, output) = try Self.promtoolCheck(text)
        #expect(status == 0, "promtool: \(output)")
        #expect(text.contains("geolith_tag_value{plant=\"demo\",device=\"demo-wellhead\",tag=\"PW1.FT101\",unit=\"L/s\"} 24.0"))
    }

    /// The stream delivers updates in order and a client resuming from Last-Event-ID misses none.
    @Test func streamResumesWithoutAGap() async throws {
        let state = try Self.state()
        for i in 0..<10 { state.feed.publish(tag: "T\(i)", value: TagValue(value: Double(i), quality: .good, time: Int64(i))) }
        try await app(state).test(.live) { client in
            let first = try await client.execute(uri: "/api/v1/stream?limit=4&after=0", method: .get)
            let ids = String(buffer: first.body).split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { UInt64($0.dropFirst(4)) }
            #expect(ids == [1, 2, 3, 4])
            // The client drops after id 4 and reconnects with Last-Event-ID: 4.
            let resumed = try await client.execute(uri: "/api/v1/stream?limit=6", method: .get, headers: [.lastEventID: "4"])
            let again = String(buffer: resumed.body).split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { UInt64($0.dropFirst(4)) }
            #expect(again == [5, 6, 7, 8, 9, 10])
        }
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}
