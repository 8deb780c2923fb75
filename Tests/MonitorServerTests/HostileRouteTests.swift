import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Monitor
import MonitorServer
import Testing

/// Every route, every query parameter and every header a client controls, with Int64/UInt64 extremes, negatives,
/// NaN and infinities (issue 20, points 1 and 5): each answer is JSON (or the stream), never a 5xx other than
/// "no historian", and the process goes on. Plus the smaller items: unknown routes and methods answer JSON, the
/// bearer scheme is case-insensitive, a resume id the log no longer holds gets a resync.
@Suite(.serialized) struct HostileRouteTests {
    static let values = HostileRequestTests.extremes + ["-0", "1e-320", "", "%00", "0x10", "+5", " 7"]
    static let parameters = ["from", "to", "maxPoints", "limit", "minutes", "after"]
    static let routes = [
        "/healthz", "/readyz", "/api/v1/plant", "/api/v1/devices", "/api/v1/tags", "/api/v1/tags/PW1.FT101",
        "/api/v1/tags/PW1.FT101/history", "/api/v1/kpis", "/api/v1/kpis/li_recovery/history", "/api/v1/alarms",
        "/api/v1/alarms/health", "/api/v1/alarms/journal", "/api/v1/events", "/api/v1/plan", "/api/v1/balances", "/metrics",
    ]

    static func isJSON(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }

    @Test func everyRouteAndParameterTakesExtremes() async throws {
        let (state, path) = try HostileRequestTests.stateWithHistorian()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let app = buildApplication(state: state, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0,
                                                                                 tokens: [MonitorServerTests.token: "alice"]))
        let alarm = try #require(state.alarms.first?.definition.id).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await app.test(.router) { client in
            var requests = 0
            for route in Self.routes {
                for parameter in Self.parameters {
                    for value in Self.values {
                        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
                        let uri = "\(route)?\(parameter)=\(encoded)"
                        try await client.execute(uri: uri, method: .get) { response in
                            #expect(response.status.code < 500 || response.status == .serviceUnavailable, "\(uri): \(response.status)")
                            if route != "/metrics" { #expect(Self.isJSON(String(buffer: response.body)), "\(uri)") }
                        }
                        requests += 1
                    }
                }
            }
            for value in Self.values {
                let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
                for uri in ["/api/v1/alarms/\(alarm)/shelve?minutes=\(encoded)", "/api/v1/alarms/\(alarm)/ack?minutes=\(encoded)"] {
                    try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(MonitorServerTests.token)"]) { response in
                        #expect(response.status.code < 500, "\(uri): \(response.status)")
                        #expect(Self.isJSON(String(buffer: response.body)), "\(uri)")
                    }
                }
            }
            #expect(requests == Self.routes.count * Self.parameters.count * Self.values.count)
        }
    }

    @Test func everyHeaderTakesExtremes() async throws {
        let state = try MonitorServerTests.state()
        let app = buildApplication(state: state, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0,
                                                                                 tokens: [MonitorServerTests.token: "alice"]))
        let alarm = try #require(state.alarms.first?.definition.id).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        // Live updates keep coming, so every stream that waits for one ends (limit=1).
        let publisher = Task {
            while !Task.isCancelled {
                state.feed.publish(.kpi(.marker("tick")))
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        defer { publisher.cancel() }
        try await app.test(.router) { client in
            for value in Self.values {
                // Content-Length: only a small decimal is believed; anything else is 400 or 413, never a trap.
                try await client.execute(uri: "/api/v1/tags", method: .get, headers: [.contentLength: value]) { response in
                    #expect([200, 400, 413].contains(response.status.code), "Content-Length \(value): \(response.status)")
                }
                try await client.execute(uri: "/api/v1/alarms/\(alarm)/ack", method: .post, headers: [.authorization: "Bearer \(value)"]) { response in
                    #expect([401, 403].contains(response.status.code), "Authorization \(value): \(response.status)")
                }
                // Last-Event-ID: a UInt64 resumes (a resync when the log does not hold it), anything else is 400.
                try await client.execute(uri: "/api/v1/stream?limit=1", method: .get,
                                         headers: [HTTPField.Name("Last-Event-ID")!: value]) { response in
                    let body = String(buffer: response.body)
                    if UInt64(value.trimmingCharacters(in: .whitespaces)) != nil || value.isEmpty {
                        #expect(response.status == .ok, "Last-Event-ID \(value): \(response.status)")
                    } else {
                        #expect(response.status == .badRequest && Self.isJSON(body), "Last-Event-ID \(value): \(response.status) \(body)")
                    }
                }
            }
        }
    }

    @Test func unknownRoutesAndMethodsAnswerJSON() async throws {
        let app = buildApplication(state: try MonitorServerTests.state(), configuration: HTTPConfiguration())
        try await app.test(.router) { client in
            for (uri, method) in [("/nope", HTTPRequest.Method.get), ("/api/v2/tags", .get), ("/api/v1/tags", .delete),
                                  ("/api/v1/alarms/x/ack", .get), ("/%2e%2e/%2e%2e/etc/passwd", .get)] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect([404, 405].contains(response.status.code), "\(method) \(uri): \(response.status)")
                    #expect(response.headers[.contentType] == "application/json", "\(method) \(uri)")
                    let body = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                    #expect((body?["error"] as? [String: Any])?["status"] as? Int == Int(response.status.code), "\(method) \(uri)")
                }
            }
        }
    }

    @Test func theBearerSchemeIsCaseInsensitive() async throws {
        let state = try MonitorServerTests.state()
        let app = buildApplication(state: state, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0,
                                                                                 tokens: [MonitorServerTests.token: "alice"]))
        let alarm = try #require(state.alarms.first?.definition.id).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await app.test(.router) { client in
            for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
                try await client.execute(uri: "/api/v1/alarms/\(alarm)/ack", method: .post,
                                         headers: [.authorization: "\(scheme) \(MonitorServerTests.token)"]) { response in
                    #expect(response.status == .ok, "\(scheme): \(response.status)")
                }
            }
            try await client.execute(uri: "/api/v1/alarms/\(alarm)/ack", method: .post, headers: [.authorization: "Basic xyz"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func aClientThatMissedUpdatesGetsAResyncSnapshot() async throws {
        let state = try MonitorServerTests.state()
        let app = buildApplication(state: state, configuration: HTTPConfiguration())
        // More updates than a client's queue holds: resuming from 0 cannot be replayed without a gap.
        for i in 0..<(state.feed.clientQueue + 500) { state.feed.publish(.kpi(.marker("i\(i)"))) }
        let last = state.feed.lastSequence
        // The snapshot covers every update so far; the stream then goes on with new ones.
        let publisher = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(10))
                state.feed.publish(.kpi(.marker("live")))
            }
        }
        defer { publisher.cancel() }
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/stream?after=0&limit=2", method: .get) { response in
                let body = String(buffer: response.body)
                let events = body.components(separatedBy: "\n\n").filter { $0.contains("event:") }
                #expect(events.first?.contains("event: resync") == true, "\(body.prefix(300))")
                // The publisher may add "live" updates before the client subscribes (under load): the snapshot then
                // stands for a later one, never an earlier one.
                let snapshotID = events.first?.split(separator: "\n").first { $0.hasPrefix("id: ") }.flatMap { UInt64($0.dropFirst(4)) }
                #expect((snapshotID ?? 0) >= last, "the snapshot covers every update so far: id \(String(describing: snapshotID)), last \(last)")
                let laterIDs = events.dropFirst().compactMap { $0.split(separator: "\n").first { $0.hasPrefix("id: ") }.flatMap { UInt64($0.dropFirst(4)) } }
                #expect(laterIDs.allSatisfy { $0 > (snapshotID ?? .max) }, "updates after the snapshot follow it: \(laterIDs)")
                #expect(events.first?.contains("\"tags\":[") == true)
                #expect(events.dropFirst().allSatisfy { $0.contains("\"name\":\"live\"") }, "only updates after the snapshot follow it")
            }
            // A resume id within the queue replays without a resync.
            try await client.execute(uri: "/api/v1/stream?after=\(last - 5)&limit=5", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(!body.contains("resync"), "\(body.prefix(300))")
                #expect(body.contains("id: \(last - 4)\n") && body.contains("id: \(last)\n"))
            }
        }
    }
}
