import Foundation
import GRDB
import Historian
import Testing

/// The journal's typed kind and detail (issue 18, point 2): stored as text as before, so databases and spool files
/// written by earlier versions read back typed, and what does not decode is kept rather than lost.
@Suite struct JournalEventTests {
    static let alarm = JournalEvent.AlarmChange(event: .raised, from: "normal", to: "unacknowledgedActive", priority: 200, value: 12.5)
    static let fault = JournalEvent.CommFault(fault: .exception, devices: ["demo-wellhead"], table: "holding", from: 100, to: 120, code: 2)

    @Test func typedEventsRoundTripThroughSQLite() throws {
        let historian = try SQLiteHistorian.inMemory()
        historian.record(JournalEvent(time: 1, kind: .alarm, source: "PW1.TT101:H", message: "raised: high", detail: .alarm(Self.alarm)))
        historian.record(JournalEvent(time: 2, kind: .scenario, source: "outage", message: "begins: outage", detail: .commFault(Self.fault)))
        historian.record(JournalEvent(time: 3, kind: .config, source: "demo.yaml", message: "loaded"))
        historian.record(JournalEvent(time: 4, kind: .other("maintenance"), source: "op", message: "pump swapped"))
        try historian.flush()
        let events = try historian.events(from: 0, to: 10).sorted { $0.time < $1.time }
        #expect(events.map(\.kind) == [.alarm, .scenario, .config, .other("maintenance")])
        #expect(events[0].detail == .alarm(Self.alarm) && events[0].detail.alarm?.event == .raised)
        #expect(events[1].detail.commFault == Self.fault)
        #expect(events[2].detail == .none && events[3].detail == .none)
        #expect(try historian.events(from: 0, to: 10, kind: .alarm, limit: 10).map(\.source) == ["PW1.TT101:H"])
    }

    /// Rows as earlier versions wrote them: an alarm's detail without its event (it was only in the message), a
    /// scenario's fault, an empty detail, and text that is not JSON.
    @Test func rowsOfEarlierVersionsReadTyped() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SQLiteHistorian(path: path).flush()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            let rows: [(Int64, String, String, String, String)] = [
                (1, "alarm", "PW1.TT101:H", "raised: PW1.TT101 high", #"{"from":"normal","to":"unacknowledgedActive","priority":200,"value":12.5}"#),
                (2, "alarm", "PW1.TT101:H", "acknowledged: PW1.TT101 high", #"{"from":"unacknowledgedActive","to":"acknowledgedActive","priority":200}"#),
                (3, "scenario", "outage", "begins: outage",
                 #"{"fault":"exception","table":"holding","from":100,"to":120,"code":2,"devices":["demo-wellhead"]}"#),
                (4, "device", "demo-wellhead", "up", "{}"),
                (5, "alarm", "X:H", "raised: x", "{not json"),
            ]
            for row in rows {
                try db.execute(sql: "INSERT INTO events (time, kind, source, message, detail) VALUES (?, ?, ?, ?, ?)",
                               arguments: [row.0, row.1, row.2, row.3, row.4])
            }
        }
        try queue.close()
        let events = try SQLiteHistorian(path: path).events(from: 0, to: 10).sorted { $0.time < $1.time }
        #expect(events[0].detail.alarm == Self.alarm, "the event comes from the message")
        #expect(events[1].detail.alarm?.event == .acknowledged && events[1].detail.alarm?.value == nil)
        #expect(events[2].detail.commFault == Self.fault)
        #expect(events[3].kind == .device && events[3].detail == .none)
        #expect(events[4].detail == .text("{not json"), "text that does not decode is kept as it was")
    }

    /// A spool file holds events as JSON with the detail as text; one written before the detail was typed reads.
    @Test func spooledEventsOfEarlierVersionsDecode() throws {
        let old = #"{"time":5,"kind":"alarm","source":"S0:HH","message":"cleared: s","detail":"{\"from\":\"acknowledgedActive\",\"to\":\"normal\",\"priority\":100}","user":"op"}"#
        let event = try JSONDecoder().decode(JournalEvent.self, from: Data(old.utf8))
        #expect(event.kind == .alarm && event.user == "op")
        #expect(event.detail.alarm == JournalEvent.AlarmChange(event: .cleared, from: "acknowledgedActive", to: "normal", priority: 100, value: nil))
        let again = try JSONDecoder().decode(JournalEvent.self, from: JSONEncoder().encode(event))
        #expect(again == event)
    }
}
