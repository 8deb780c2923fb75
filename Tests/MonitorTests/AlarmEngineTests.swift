import Monitor
import PlantConfig
import RegisterVocabulary
import Testing

/// The ISA-18.2 state table, delays, deadband, shelving, out-of-service and EEMUA 191 figures.
@Suite struct AlarmEngineTests {
    static let high = AlarmDefinition(id: "T:H", source: "T", kind: .high, limit: 100, deadband: 2, priority: 200, message: "T high")

    func engine(_ definitions: [AlarmDefinition] = [high]) -> AlarmEngine { AlarmEngine(definitions: definitions) }

    @Test func stateTable() throws {
        var e = engine()
        // normal → unacknowledged active
        #expect(e.process(tag: "T", value: 101, quality: .good, at: 0).map(\.event) == [.raised])
        #expect(e.alarms["T:H"]?.state == .unacknowledgedActive)
        // unacknowledged active → acknowledged active
        #expect(try e.acknowledge("T:H", user: "op", at: 1)?.to == .acknowledgedActive)
        // acknowledged active → normal when it clears
        #expect(e.process(tag: "T", value: 90, quality: .good, at: 2).map(\.to) == [.normal])
        // normal → unacknowledged active → returned unacknowledged (clears before ack)
        _ = e.process(tag: "T", value: 101, quality: .good, at: 3)
        #expect(e.process(tag: "T", value: 90, quality: .good, at: 4).map(\.to) == [.returnedUnacknowledged])
        // returned unacknowledged → unacknowledged active if it comes back
        #expect(e.process(tag: "T", value: 101, quality: .good, at: 5).map(\.to) == [.unacknowledgedActive])
        _ = e.process(tag: "T", value: 90, quality: .good, at: 6)
        // returned unacknowledged → normal on acknowledgement
        #expect(try e.acknowledge("T:H", user: "op", at: 7)?.to == .normal)
        // acknowledging a normal alarm changes nothing
        #expect(try e.acknowledge("T:H", user: "op", at: 8) == nil)
        #expect(throws: AlarmEngine.ActionError.unknownAlarm("nope")) { try e.acknowledge("nope", user: "op", at: 9) }
    }

    @Test func deadbandHoldsTheAlarmUntilTheValueIsClearlyBack() {
        var e = engine()
        _ = e.process(tag: "T", value: 101, quality: .good, at: 0)
        #expect(e.process(tag: "T", value: 99, quality: .good, at: 1).isEmpty, "inside the 2-unit deadband")
        #expect(e.process(tag: "T", value: 97.9, quality: .good, at: 2).map(\.event) == [.cleared])
    }

    @Test func onAndOffDelays() {
        var definition = Self.high
        definition.onDelay = .seconds(5)
        definition.offDelay = .seconds(3)
        var e = engine([definition])
        #expect(e.process(tag: "T", value: 101, quality: .good, at: 0).isEmpty)
        #expect(e.process(tag: "T", value: 101, quality: .good, at: 4_000).isEmpty)
        #expect(e.process(tag: "T", value: 101, quality: .good, at: 5_000).map(\.event) == [.raised])
        // A short excursion back below does not clear it; one that lasts the off-delay does (by the timer).
        #expect(e.process(tag: "T", value: 90, quality: .good, at: 6_000).isEmpty)
        #expect(e.process(tag: "T", value: 101, quality: .good, at: 7_000).isEmpty)
        #expect(e.process(tag: "T", value: 90, quality: .good, at: 8_000).isEmpty)
        #expect(e.tick(at: 11_000).map(\.event) == [.cleared])
        // A spike shorter than the on-delay never raises it.
        #expect(e.process(tag: "T", value: 150, quality: .good, at: 20_000).isEmpty)
        #expect(e.process(tag: "T", value: 90, quality: .good, at: 21_000).isEmpty)
        #expect(e.tick(at: 30_000).isEmpty)
    }

    @Test func badValuesNeitherRaiseNorClear() {
        var e = engine()
        #expect(e.process(tag: "T", value: 500, quality: .bad(.outOfRange), at: 0).isEmpty)
        _ = e.process(tag: "T", value: 101, quality: .good, at: 1)
        #expect(e.process(tag: "T", value: 0, quality: .bad(.timeout), at: 2).isEmpty)
        #expect(e.alarms["T:H"]?.isActive == true)
    }

    @Test func shelvingExpiresAndIsBounded() throws {
        var e = engine()
        _ = e.process(tag: "T", value: 101, quality: .good, at: 0)
        #expect(throws: AlarmEngine.ActionError.self) { try e.shelve("T:H", user: "op", for: 9 * 3_600_000, at: 0) }
        _ = try e.shelve("T:H", user: "op", for: 60_000, at: 1_000)
        #expect(e.alarms["T:H"]?.isAnnunciated == false)
        #expect(e.tick(at: 30_000).isEmpty)
        #expect(e.tick(at: 61_000).map(\.event) == [.unshelved])
        #expect(e.alarms["T:H"]?.isAnnunciated == true)
    }

    @Test func outOfServiceIsNotAnnunciated() throws {
        var e = engine()
        _ = try e.setOutOfService("T:H", true, user: "eng", at: 0)
        _ = e.process(tag: "T", value: 101, quality: .good, at: 1)
        #expect(e.alarms["T:H"]?.isActive == true && e.alarms["T:H"]?.isAnnunciated == false)
        _ = try e.setOutOfService("T:H", false, user: "eng", at: 2)
        #expect(e.alarms["T:H"]?.isAnnunciated == true)
    }

    @Test func rateOfChangeOverAWindowIgnoresNoise() {
        let roc = AlarmDefinition(id: "T:ROC", source: "T", kind: .rateOfChange, limit: 5, message: "T fast")
        var e = engine([roc])
        // ±0.5 noise every second: 30 units/min between samples, but no trend.
        var raised = 0
        for second in 0..<180 {
            raised += e.process(tag: "T", value: 100 + (second % 2 == 0 ? 0.5 : -0.5), quality: .good, at: Int64(second) * 1000).count
        }
        #expect(raised == 0)
        // A real ramp of 10 units/min raises it.
        var events: [AlarmTransition] = []
        for second in 180..<300 {
            events += e.process(tag: "T", value: 100 + Double(second - 180) / 6, quality: .good, at: Int64(second) * 1000)
        }
        #expect(events.map(\.event).contains(.raised))
    }

    @Test func systemAlarmsForDevices() {
        var e = engine()
        #expect(e.setSystemCondition(.deviceDown, source: "plc1", active: true, message: "plc1 down", at: 0).map(\.event) == [.raised])
        #expect(e.alarms["plc1:DEVICE_DOWN"]?.definition.priority == 100)
        #expect(e.setSystemCondition(.deviceDown, source: "plc1", active: false, message: "plc1 down", at: 1).map(\.event) == [.cleared])
        #expect(e.setSystemCondition(.deviceDown, source: "plc2", active: false, message: "", at: 1).isEmpty)
    }

    @Test func eemua191Figures() {
        let definitions = (0..<12).map { AlarmDefinition(id: "A\($0):H", source: "A\($0)", kind: .high, limit: 1, message: "A\($0)") }
        var e = engine(definitions + [Self.high])
        // A flood: 12 alarms within 10 minutes.
        for i in 0..<12 { _ = e.process(tag: "A\(i)", value: 2, quality: .good, at: Int64(i) * 10_000) }
        // Chattering: T raised 3 times within a minute.
        for k in 0..<3 {
            _ = e.process(tag: "T", value: 101, quality: .good, at: 200_000 + Int64(k) * 20_000)
            _ = e.process(tag: "T", value: 90, quality: .good, at: 210_000 + Int64(k) * 20_000)
        }
        var health = e.health(at: 300_000)
        #expect(health.alarmsLast10Minutes == 15)
        #expect(health.floodWindows == 1)
        #expect(health.chattering == ["T:H"])
        #expect(health.standing.isEmpty)
        health = e.health(at: 25 * 3_600_000)
        #expect(health.standing.count == 12, "the A alarms have been active for over 24 h")
    }
}
