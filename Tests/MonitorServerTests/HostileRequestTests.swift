import Foundation
import Historian
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Monitor
import MonitorServer
import PlantConfig
import Testing

/// Numbers a client chooses never reach a trapping operation: each of these requests once stopped the daemon
/// with an overflow trap (issue 20, points 1, 2 and 4). Each now gets a JSON 4xx, or a normal answer, and the
/// process goes on.
@Suite(.serialized) struct HostileRequestTests {
    static let extremes = [
        "9223372036854775807", "-9223372036854775808", "18446744073709551615", "9223372036854775808", "-1", "0",
        "NaN", "inf", "1e300",
    ]

    /// A monitor state with a real historian file, so history requests reach the historian's bucket arithmetic.
    static func stateWithHistorian() throws -> (MonitorState, String) {
        let plant = try PlantLoader.load(
            path: MonitorServerTests.repository.appendingPathComponent("PlantConfigs/demo.yaml").path)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("geolith-hostile-\(UUID().uuidString).sqlite").path
        let historian = try SQLiteHistorian(path: path)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        historian.append((0..<10).map { Sample(series: "PW1.FT101", time: now - Int64($0) * 1000, value: Double($0)) })
        _ = try historian.flush()
        return (MonitorState(plant: plant, historian: historian), path)
    }

    @Test func extremeTimesInHistoryAndJournalRequests() async throws {
        let (state, path) = try Self.stateWithHistorian()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let app = buildApplication(
            state: state, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0, tokens: [:]))
        try await app.test(.router) { client in
            var uris: [String] = []
            for value in Self.extremes {
                for base in ["/api/v1/tags/PW1.FT101/history", "/api/v1/kpis/li_recovery/history", "/api/v1/events",
                             "/api/v1/alarms/journal"] {
                    uris += ["\(base)?to=\(value)", "\(base)?from=\(value)", "\(base)?from=0&to=\(value)",
                             "\(base)?from=\(value)&to=9223372036854775807", "\(base)?maxPoints=\(value)",
                             "\(base)?limit=\(value)"]
                }
            }
            for uri in uris {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status.code < 500 || response.status == .serviceUnavailable, "\(uri): \(response.status)")
                    let body = try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                    #expect(body != nil, "\(uri): not JSON")
                }
            }
            // The valid extremes of the range still answer: the whole history from year 1 to 9999.
            let range = HistoryBounds.time
            try await client.execute(
                uri: "/api/v1/tags/PW1.FT101/history?from=\(range.lowerBound)&to=\(range.upperBound)&maxPoints=10000",
                method: .get
            ) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                let points = body?["points"] as? [[String: Any]] ?? []
                #expect(points.reduce(0) { $0 + (($1["count"] as? Int) ?? 0) } == 10, "every stored sample counted once")
            }
            // One past the range is refused with a message naming the range.
            try await client.execute(uri: "/api/v1/events?to=\(range.upperBound + 1)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("years 1 to 9999"))
            }
        }
    }

    @Test func historianClampsTimesItIsGiven() throws {
        let (state, path) = try Self.stateWithHistorian()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let historian = try #require(state.historian)
        // The library entry point, called with the whole Int64 range, neither traps nor loses the samples.
        let points = try historian.history("PW1.FT101", from: .min, to: .max, maxPoints: 7)
        #expect(points.reduce(0) { $0 + $1.count } == 10)
        #expect(points.count <= 7)
    }

    @Test func shelveMinutesAreCheckedBeforeTheyAreMultiplied() async throws {
        let state = try MonitorServerTests.state()
        let app = buildApplication(
            state: state,
            configuration: HTTPConfiguration(host: "127.0.0.1", port: 0, tokens: [MonitorServerTests.token: "alice"]))
        let alarm = try #require(state.alarms.first?.definition.id)
        let escaped = alarm.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? alarm
        try await app.test(.router) { client in
            for minutes in ["153722867280913", "9223372036854775807", "-9223372036854775808", "0", "-5", "481"] {
                try await client.execute(
                    uri: "/api/v1/alarms/\(escaped)/shelve?minutes=\(minutes)", method: .post,
                    headers: [.authorization: "Bearer \(MonitorServerTests.token)"]
                ) { response in
                    #expect(response.status == .badRequest, "minutes=\(minutes): \(response.status)")
                }
            }
            try await client.execute(
                uri: "/api/v1/alarms/\(escaped)/shelve?minutes=480", method: .post,
                headers: [.authorization: "Bearer \(MonitorServerTests.token)"]
            ) { response in
                #expect(response.status == .ok, "the maximum, 8 h, is accepted")
            }
        }
        #expect(state.alarms.first { $0.definition.id == alarm }?.shelvedUntil != nil)
    }

    @Test func anyLastEventIDResumesWithoutTrapping() async throws {
        let feed = LiveFeed(capacity: 8)
        for i in 0..<20 { feed.publish(.kpi(.marker("i\(i)"))) }
        for after: UInt64 in [.max, .max - 1, 19, 20, 21, 0, 11, 12] {
            let stream = feed.updates(after: after)
            feed.publish(.kpi(.marker("marker\(after)")))
            var received: [UInt64] = []
            for await update in stream {
                received.append(update.sequence)
                if case .kpi(let kpi) = update.event, kpi.name == "marker\(after)" { break }
            }
            let last = feed.lastSequence
            // Replayed: what is still in the log after `after`; then the live marker.
            let expected = after >= last - 1 ? [last] : Array(max(after + 1, last - 8)...last)
            #expect(received == expected, "after \(after)")
        }
    }
}
