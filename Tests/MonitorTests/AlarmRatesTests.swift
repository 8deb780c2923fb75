import Historian
import Monitor
import PlantConfig
import RegisterVocabulary
import Testing

/// The alarm-rate rules are one set (``AlarmRateRules``): the replay report's figures over a run and the live
/// engine's health over the last 24 h count the same raises the same way.
@Suite struct AlarmRatesTests {
    @Test func chatteringIsThreeRaisesWithinAMinute() {
        #expect(AlarmRateRules.chatters([0, 30_000, 60_000]))
        #expect(!AlarmRateRules.chatters([0, 30_000, 60_001]))
        #expect(!AlarmRateRules.chatters([0, 1_000]), "two raises never chatter")
        #expect(AlarmRateRules.chatters([0, 100_000, 120_000, 130_000]))
        #expect(!AlarmRateRules.isFlood(10) && AlarmRateRules.isFlood(11))
    }

    /// The raises of `AlarmEngineTests.eemua191Figures` (a flood of 12, T chattering), journalled as the monitor
    /// journals them: the report's rates and the engine's health agree.
    @Test func theReportAndTheEngineAgree() {
        let high = AlarmDefinition(id: "T:H", source: "T", kind: .high, limit: 100, deadband: 2, priority: 200, message: "T high")
        let definitions = (0..<12).map { AlarmDefinition(id: "A\($0):H", source: "A\($0)", kind: .high, limit: 1, message: "A\($0)") }
        var engine = AlarmEngine(definitions: definitions + [high])
        var transitions: [AlarmTransition] = []
        for i in 0..<12 { transitions += engine.process(tag: "A\(i)", value: 2, quality: .good, at: Int64(i) * 10_000) }
        for k in 0..<3 {
            transitions += engine.process(tag: "T", value: 101, quality: .good, at: 200_000 + Int64(k) * 20_000)
            transitions += engine.process(tag: "T", value: 90, quality: .good, at: 210_000 + Int64(k) * 20_000)
        }
        let journal = transitions.map(\.journalEvent)
        let rates = AlarmRates(events: journal, start: 0, end: 300_000)
        let health = engine.health(at: 300_000)
        #expect(rates.raised == 15 && health.alarmsLast10Minutes == 15)
        #expect(rates.floods == 1 && health.floodWindows == 1)
        #expect(rates.peak == 15)
        #expect(rates.chattering == ["T:H"] && health.chattering == rates.chattering)
        #expect(rates.counts.first?.id == "T:H" && rates.counts.first?.count == 3)
    }
}
