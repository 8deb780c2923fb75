import Foundation
import Historian
import HistorianPostgres
import PlantConfig
import PostgresTestSupport
import RegisterVocabulary
import Testing

/// The shipped Grafana dashboard for the fleet database: every panel's and variable's SQL, with Grafana's macros
/// expanded as its PostgreSQL data source does, runs against a database a plant wrote to and returns that plant's rows.
@Suite(.enabled(if: PostgresCluster.available)) struct GrafanaDashboardTests {
    static let file = PostgresCluster.repository.appendingPathComponent("dashboards/grafana-fleet-postgres.json")

    /// Grafana's macros and variables for a range and a plant: time filters and buckets as its PostgreSQL data source
    /// writes them, `$plant` as a quoted list.
    static func expand(_ sql: String, plant: String, kpi: String, tag: String, from: String, to: String) -> String {
        var text = sql
        text = text.replacing(/\$__timeGroupAlias\(([^,]+),\s*'1h'\)/) { "date_bin('3600 seconds', \($0.1), timestamptz 'epoch') AS time" }
        text = text.replacing(/\$__timeGroupAlias\(([^,]+),\s*\$__interval\)/) { "date_bin('60 seconds', \($0.1), timestamptz 'epoch') AS time" }
        text = text.replacing(/\$__timeFilter\(([^)]+)\)/) { "\($0.1) BETWEEN '\(from)' AND '\(to)'" }
        return text.replacingOccurrences(of: "$__interval_ms", with: "60000").replacingOccurrences(of: "$single_plant", with: plant)
            .replacingOccurrences(of: "$plant", with: "'\(plant)'").replacingOccurrences(of: "$kpi", with: kpi)
            .replacingOccurrences(of: "$tag", with: tag)
    }

    @Test func everyPanelsSQLRunsOverTheRollups() throws {
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.file)) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let variables = try #require((dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]])
        #expect(panels.count >= 5)
        for panel in panels {
            #expect((panel["datasource"] as? [String: Any])?["type"] as? String == "grafana-postgresql-datasource")
        }

        // A plant's two hours: a KPI and a tag at 10 s, a bad minute, an alarm, its published state.
        let cluster = try PostgresCluster.shared()
        let database = try cluster.freshDatabase()
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-grafana-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: spool) }
        var options = PostgresHistorian.Options()
        options.password = cluster.password
        options.spoolPath = spool
        let historian = try PostgresHistorian(location: database, plant: "soultz", options: options)
        defer { try? historian.close() }
        let start: Int64 = 1_767_225_600_000
        historian.declare(SeriesInfo(name: "kpi:li_production", kind: .kpi, unit: "kg/h"))
        historian.declare(SeriesInfo(name: "PW1.FT101", kind: .tag, unit: "L/s", device: "wellhead"))
        for step in 0..<720 {
            let time = start + Int64(step) * 10_000
            historian.append([Sample(series: "kpi:li_production", time: time, value: 20 + Double(step % 60) / 10),
                              Sample(series: "PW1.FT101", time: time, value: 30, quality: (120..<126).contains(step) ? .bad(.timeout) : .good)])
        }
        historian.record(JournalEvent(time: start + 60_000, kind: .alarm, source: "PW1.FT101:H", message: "raised: flow high"))
        historian.publish(PlantSnapshot(time: start, name: "Soultz", site: "Soultz-sous-Forêts", devices: [.init(name: "wellhead", up: true)],
                                        alarms: [], activeAlarms: 1, unacknowledgedAlarms: 1, kpis: [],
                                        historian: HistorianStatus(backend: "postgresql", location: "")))
        try historian.flush()
        try historian.updateRollups(from: start, to: start + 7_200_000, inFlight: 0)

        for variable in variables {
            guard let query = variable["query"] as? String, variable["type"] as? String == "query" else { continue }
            let rows = try cluster.psql(Self.expand(query, plant: "soultz", kpi: "li_production", tag: "PW1.FT101", from: "", to: ""),
                                        database: database.database)
            #expect(!rows.isEmpty, "variable \(variable["name"] ?? "?") lists nothing")
        }
        var results: [Int: String] = [:]
        for panel in panels {
            let id = try #require(panel["id"] as? Int)
            for target in try #require(panel["targets"] as? [[String: Any]]) {
                let sql = Self.expand(try #require(target["rawSql"] as? String), plant: "soultz", kpi: "li_production", tag: "PW1.FT101",
                                      from: "2026-01-01 00:00:00+00", to: "2026-01-01 02:00:00+00")
                #expect(!sql.contains("$"), "an unexpanded macro or variable in panel \(id): \(sql)")
                let rows = try cluster.psql(sql, database: database.database)
                #expect(!rows.isEmpty, "panel \(id) (\(panel["title"] ?? "")) returns no rows")
                results[id] = rows
            }
        }
        #expect(results[1]?.hasPrefix("soultz|Soultz|1|1|1|1|") == true, "\(results[1] ?? "")")
        // The KPI's first minute from the minute rollups: values 20.0 … 20.5, mean 20.25.
        #expect(results[2]?.split(separator: "\n").first?.hasSuffix("|soultz|20.25") == true, "\(results[2] ?? "")")
        #expect(results[4]?.contains("|soultz|1") == true, "the bad minute: \(results[4] ?? "")")
        #expect(results[6]?.contains("raised: flow high") == true)
    }
}
