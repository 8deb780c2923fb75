import Foundation
import Historian
import HistorianPostgres
import Monitor
import PlantConfig
import RegisterVocabulary
import Testing

/// The monitor's side of a historian that is behind: a full spool raises a system alarm (and clears it once the
/// spool has room), and the live state it publishes for a fleet overview says where the historian stands.
@Suite struct HistorianStatusTests {
    @Test func aFullSpoolIsAnAlarmNotACrash() throws {
        let plant = try PlantLoader.load(path: ReplayTests.demoFile)
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-alarm-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: spool + suffix) } }
        var options = PostgresHistorian.Options()
        options.spoolPath = spool
        options.spoolLimitBytes = 32 * 1024
        options.timeout = .seconds(1)
        // Nothing listens on port 9: the server is down from the start.
        let historian = try PostgresHistorian(location: try PostgresLocation(url: "postgres://geolith@127.0.0.1:9/geolith?sslmode=disable"),
                                              plant: plant.id, options: options)
        defer { try? historian.close() }
        let state = MonitorState(plant: plant, historian: historian)
        let tag = try #require(plant.allTags.first)
        var time: Int64 = 1_767_225_600_000
        for _ in 0..<200 where !historian.status.spoolFull {
            time += 1000
            state.apply([(tag, TagValue(value: Double(time % 7_000), quality: .good, time: time))], at: time)
            state.tick(at: time, staleAfter: [:])
            historian.append((0..<200).map { Sample(series: "load\($0)", time: time, value: 1) })
            try historian.flush()
        }
        #expect(historian.status.spoolFull)
        state.tick(at: time + 1000, staleAfter: [:])
        let alarm = try #require(state.alarms.first { $0.definition.kind == .historianSpoolFull }, "a full spool raises an alarm")
        #expect(alarm.isActive && alarm.definition.priority == 100)
        let snapshot = state.snapshot(at: time + 1000)
        #expect(snapshot.historian.behind && snapshot.historian.spoolFull && snapshot.activeAlarms >= 1)
        #expect(snapshot.alarms.contains { $0.id == alarm.definition.id })
        #expect(snapshot.devices.count == plant.devices.count && snapshot.name == plant.name)
    }
}
