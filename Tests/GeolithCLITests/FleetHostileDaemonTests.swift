import Foundation
import Historian
import HistorianPostgres
import PostgresTestSupport
import Testing

/// `geolith fleet` on a real PostgreSQL (a private cluster), with the monitor's hostile inputs (issue 20, points 1
/// and 5): every route, query parameter and path segment with extremes, NUL bytes, traversal and over-long text
/// gets JSON below 500 from the real database, and the server goes on. (MonitorServerTests' FleetHostileTests and
/// FuzzRouterTests cover the fleet's router over a SQLite store; this covers what only PostgreSQL refuses.)
@Suite(.serialized, .enabled(if: PostgresCluster.available)) struct FleetHostileDaemonTests {
    typealias Child = DaemonTests.Child

    static let values = ["9223372036854775807", "-9223372036854775808", "18446744073709551615", "-1", "0", "NaN", "inf",
                         "1e300", "", "%00", "a%00b", "%ZZ", "%C3%A9", "-62135596800000", "253402300799999"]
    static let segments = ["demo", "%00", "a%00b", "nope", "%2e%2e", "%2F", "%ZZ", "%C3%A9", "%FF", String(repeating: "a", count: 3000),
                           "'%3B%20DROP%20TABLE%20plants%3B--"]

    /// A status and whether the body is JSON; 0 when no answer came.
    static func request(port: Int, _ path: String) -> (Int, Bool) {
        guard let (status, body) = DaemonHardeningTests.response(port: port, path) else { return (0, false) }
        return (status, (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil)
    }

    @Test func everyFleetRouteTakesHostileInputOnARealDatabase() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.freshDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-fleet-hostile-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let passwordFile = folder.appendingPathComponent("password").path
        try cluster.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        // One plant with a tag, a KPI, an event and its published state.
        var options = PostgresHistorian.Options()
        options.password = cluster.password
        options.spoolPath = folder.appendingPathComponent("spool.sqlite").path
        let historian = try PostgresHistorian(location: database, plant: "demo", options: options)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        historian.declare(SeriesInfo(name: "PW1.FT101", kind: .tag, unit: "L/s", device: "wellhead"))
        historian.declare(SeriesInfo(name: "kpi:li_recovery", kind: .kpi, unit: "%"))
        historian.append((0..<60).flatMap { i in
            [Sample(series: "PW1.FT101", time: now - Int64(i) * 1000, value: 30), Sample(series: "kpi:li_recovery", time: now - Int64(i) * 1000, value: 90)]
        })
        historian.record(JournalEvent(time: now, kind: .alarm, source: "PW1.FT101:H", message: "raised"))
        historian.publish(PlantSnapshot(time: now, name: "Demo", site: "", devices: [.init(name: "wellhead", up: true)], alarms: [],
                                        activeAlarms: 0, unacknowledgedAlarms: 0, kpis: [],
                                        historian: HistorianStatus(backend: "postgresql", location: "")))
        try historian.flush()
        try historian.close()

        let fleet = try Child(["fleet", "--db", "\(database)", "--password-file", passwordFile, "--http", "127.0.0.1:0"])
        defer { if fleet.process.isRunning { fleet.signal(SIGKILL) } }
        #expect(fleet.waitFor(30) { $0.contains("fleet overview") }, "\(fleet.text)")
        let port = try #require(FleetDaemonTests.port(fleet))
        var failures: [String] = []
        var requests = 0
        func check(_ path: String) {
            let (status, json) = Self.request(port: port, path)
            requests += 1
            if status == 0 || status >= 500 || (!json && !path.hasPrefix("/metrics")) { failures.append("\(path.prefix(120)): \(status)") }
        }
        for template in ["/api/v1/plants/{}", "/api/v1/plants/{}/series", "/api/v1/plants/{}/kpis", "/api/v1/plants/{}/events",
                         "/api/v1/plants/demo/tags/{}/history", "/api/v1/plants/demo/kpis/{}/history", "/api/v1/plants/{}/tags/PW1.FT101/history"] {
            for segment in Self.segments { check(template.replacingOccurrences(of: "{}", with: segment)) }
        }
        for route in ["/api/v1/plants/demo/tags/PW1.FT101/history", "/api/v1/plants/demo/kpis/li_recovery/history", "/api/v1/plants/demo/events"] {
            for parameter in ["from", "to", "maxPoints", "limit", "kind"] {
                for value in Self.values { check("\(route)?\(parameter)=\(value)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(requests) requests failed: \(failures.prefix(10).joined(separator: "\n"))")
        // The plant's data is served as before, and the server is still up.
        let (status, _) = Self.request(port: port, "/api/v1/plants/demo/tags/PW1.FT101/history?from=\(now - 120_000)&to=\(now)")
        #expect(status == 200)
        fleet.signal(SIGTERM)
        #expect(fleet.waitForExit(30) == 0, "\(fleet.text.suffix(1000))")
    }
}
