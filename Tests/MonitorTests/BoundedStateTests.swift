import Foundation
import Historian
import Monitor
import PlantConfig
import RegisterVocabulary
import Testing

/// What the daemon keeps must stay bounded however long it runs: each test drives one structure through more
/// updates than it may hold and asserts its size, and that what it reports is still right.
@Suite struct BoundedStateTests {
    /// A chattering alarm raised every 2 s for 48 h: 86,400 raises. The engine used to keep every raise for
    /// 24 h and pruned the list only when the figures were asked for, so without HTTP clients it grew
    /// without end.
    @Test func alarmHistoryStaysBoundedOverTwoDaysOfChattering() {
        let definitions = [AlarmDefinition(id: "T:H", source: "T", kind: .high, limit: 100, message: "T high"),
                           AlarmDefinition(id: "U:H", source: "U", kind: .high, limit: 100, message: "U high")]
        var engine = AlarmEngine(definitions: definitions)
        let hours: Int64 = 48
        var raised = 0
        var largest = 0
        var second: Int64 = 0
        while second < hours * 3600 {
            // T goes above its limit on even seconds and below on odd ones: one raise every 2 s.
            let value = second % 2 == 0 ? 101.0 : 90.0
            let transitions = engine.process(tag: "T", value: value, quality: .good, at: second * 1000)
            raised += transitions.filter { $0.event == .raised }.count
            // U raises once, in the first hour only: its record must be forgotten a day later.
            if second < 3600 {
                _ = engine.process(tag: "U", value: second == 10 ? 101 : 90, quality: .good, at: second * 1000)
            }
            largest = max(largest, engine.retainedHistory)
            second += 1
        }
        #expect(raised == Int(hours * 3600 / 2))
        // The raises of 10 minutes (301 with both ends), at most 145 ten-minute windows, a record per alarm,
        // and each tag's last minute of values (61 at most, kept for rate of change).
        #expect(largest <= 301 + 145 + 2 + 2 * 61, "largest history held: \(largest) entries for \(raised) raises")
        let health = engine.health(at: hours * 3_600_000)
        #expect(health.alarmsLast10Minutes == 300)
        #expect(health.floodWindows == 144, "every 10-minute window of the last day had 300 raises")
        #expect(health.chattering == ["T:H"], "U raised once, two days ago")
        #expect(engine.retainedHistory <= 300 + 145 + 1 + 2 * 61)
    }

    /// Rate-of-change samples: one window's worth per tag, however long the tag is scanned.
    @Test func rateOfChangeSamplesStayWithinTheirWindow() {
        let rate = AlarmDefinition(id: "T:ROC", source: "T", kind: .rateOfChange, limit: 50, message: "T")
        var engine = AlarmEngine(definitions: [rate])
        for second in 0..<(6 * 3600) {
            _ = engine.process(tag: "T", value: Double(second % 7), quality: .good, at: Int64(second) * 1000)
        }
        // 60 s window at 1 s scans: 61 samples (the reference one window old, and everything after it).
        #expect(engine.retainedHistory <= 61)
    }

    /// The live feed's log holds `capacity` updates, and a client that resumes still gets the newest ones in
    /// order, as the typed changes they were published as.
    @Test func liveFeedHoldsItsCapacity() async {
        let feed = LiveFeed(capacity: 100)
        for i in 0..<1_050 {
            if i % 2 == 0 {
                feed.publish(tag: "T\(i % 10)", value: TagValue(value: Double(i), quality: .good, time: Int64(i)))
            } else {
                feed.publish(.kpi(KPIValue(name: "n\(i)", label: "", value: Double(i), unit: "", quality: .good, at: Int64(i))))
            }
        }
        #expect(feed.retained == 100)
        #expect(feed.lastSequence == 1_050)
        var replayed: [LiveUpdate] = []
        for await update in feed.updates(after: 1_045) {
            replayed.append(update)
            if replayed.count == 5 { break }
        }
        #expect(replayed.map(\.sequence) == [1_046, 1_047, 1_048, 1_049, 1_050])
        #expect(replayed[0].kind == .kpi && replayed[0].event == .kpi(KPIValue(name: "n1045", label: "", value: 1045, unit: "", quality: .good, at: 1045)))
        #expect(replayed[1].kind == .tag)
        #expect(replayed[1].event == .tag(name: "T6", value: TagValue(value: 1046, quality: .good, time: 1046)))
    }
}
