import Monitor
import PlantConfig
import ProcessModel
import Foundation
import RegisterVocabulary
import Testing

@Suite struct SoftSensorTests {
    @Test func kpiQualityIsTheWorstOfItsInputs() {
        var sensors = SoftSensors()
        let kpis = sensors.compute(["brine.li": (180, .good), "dle.outlet.li": (9, .uncertain(.stale))], at: 0)
        let recovery = kpis.first { $0.name == "li_recovery" }!
        #expect(abs(recovery.value - 95) < 1e-9)
        #expect(recovery.quality == .uncertain(.stale))
        let bad = sensors.compute(["brine.li": (180, .bad(.timeout)), "dle.outlet.li": (9, .good)], at: 1000)
        #expect(bad.first { $0.name == "li_recovery" }?.quality == .bad(.inputBad))
        #expect(sensors.compute(["brine.li": (180, .good)], at: 2000).allSatisfy { $0.name != "li_recovery" }, "missing input: no KPI")
    }

    @Test func cycleKPIsFromTheEluateWhileAColumnElutes() {
        var sensors = SoftSensors()
        var time: Int64 = 0
        func step(phase1: Double, eluate: Double, li: Double) -> [KPIValue] {
            time += 60_000
            return sensors.compute(["dle.column.1.phase": (phase1, .good), "dle.column.2.phase": (1, .good),
                                    "eluate.flow": (eluate, .good), "eluate.li": (li, .good)], at: time)
        }
        for _ in 0..<10 { _ = step(phase1: 1, eluate: 0, li: 0) }
        for _ in 0..<30 { _ = step(phase1: 3, eluate: 24, li: 800) }   // 30 min at 24 m³/h, 800 mg/L
        let kpis = step(phase1: 1, eluate: 0, li: 0)
        let volume = kpis.first { $0.name == "cycle_eluate_volume" }!.value
        let li = kpis.first { $0.name == "cycle_li_eluted" }!.value
        #expect(abs(volume - 12) < 1e-9, "30 min at 24 m³/h")
        #expect(abs(li - 12 * 0.8) < 1e-9, "12 m³ at 0.8 kg/m³")
        #expect(sensors.completedCycles.count == 1)
    }

    @Test func balancesCloseForConsistentFlows() {
        var sensors = SoftSensors()
        // 100 m³/h at 180 mg/L in; 100 m³/h at 9 mg/L out; the eluate carries the rest: 17.1 kg/h.
        let signals: [String: SoftSensors.Input] = [
            "production.flow": (100 / 3.6, .good), "reinjection.flow": (100 / 3.6, .good), "brine.li": (180, .good),
            "dle.outlet.li": (9, .good), "eluate.flow": (20, .good), "eluate.li": (855, .good),
        ]
        for t in 0..<100 { _ = sensors.compute(signals, at: Int64(t) * 60_000) }
        let kpis = sensors.compute(signals, at: 100 * 60_000)
        #expect(abs(kpis.first { $0.name == "li_balance_closure" }!.value) < 1e-9)
        #expect(sensors.reconciliation()?.suspects == [])
    }
}

@Suite struct SoftSensorGarbageTests {
    /// Bad, NaN and infinite inputs never crash the soft sensors nor poison the integrated balances.
    @Test func garbageInputsAreIgnored() {
        var sensors = SoftSensors()
        let names = ["production.flow", "brine.li", "reinjection.flow", "dle.outlet.li", "eluate.flow", "eluate.li",
                     "dle.column.1.phase", "dle.inlet.flow", "product.rate", "freshwater.flow", "power.total", "dle.sorbent.capacity"]
        for (step, garbage) in [Double.nan, .infinity, -.infinity, 1e308, -1e308, 0].enumerated() {
            var signals: [String: SoftSensors.Input] = [:]
            for name in names { signals[name] = (garbage, step % 2 == 0 ? .bad(.timeout) : .good) }
            for kpi in sensors.compute(signals, at: Int64(step) * 1000) { #expect(kpi.value.isFinite, "\(kpi.name)") }
        }
        let good: [String: SoftSensors.Input] = ["production.flow": (10, .good), "reinjection.flow": (10, .good), "brine.li": (100, .good),
                                                  "dle.outlet.li": (10, .good), "eluate.flow": (3.24, .good), "eluate.li": (1000, .good)]
        _ = sensors.compute(good, at: 10_000)
        let kpis = sensors.compute(good, at: 20_000)
        #expect(kpis.first { $0.name == "li_balance_closure" }.map { $0.value.isFinite } == true)
    }
}

@Suite struct StaleTagTests {
    /// A tag without a new value for its stale limit turns uncertain(stale) and raises a system alarm that
    /// clears with the next good value.
    @Test func staleTagsAreFlaggedAndAlarmed() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("PlantConfigs/demo.yaml")
        let plant = try PlantLoader.load(path: file.path)
        let state = MonitorState(plant: plant, historian: nil)
        let tag = plant.tag(named: "PW1.FT101")!
        let registers = try RegisterCodec.encodeRaw(24, as: .float32, order: .cdab)
        let value = registers.withUnsafeBufferPointer { TagPipeline.evaluate(tag, registers: $0, at: 1000) }
        #expect(value.quality == .good)
        state.apply([(tag, value)], at: 1000)
        state.tick(at: 2000, staleAfter: ["PW1.FT101": 3000])
        #expect(state.tagValues["PW1.FT101"]?.quality == .good)
        state.tick(at: 5000, staleAfter: ["PW1.FT101": 3000])
        #expect(state.tagValues["PW1.FT101"]?.quality == .uncertain(.stale))
        #expect(state.alarms.contains { $0.definition.id == "PW1.FT101:STALE" && $0.isActive })
        let fresh = registers.withUnsafeBufferPointer { TagPipeline.evaluate(tag, registers: $0, at: 6000) }
        state.apply([(tag, fresh)], at: 6000)
        #expect(state.tagValues["PW1.FT101"]?.quality == .good)
        #expect(state.alarms.contains { $0.definition.id == "PW1.FT101:STALE" && !$0.isActive })
    }
}

@Suite struct TagQualityTests {
    static func plant() throws -> Plant {
        try PlantLoader.load(path: MonitorIntegrationTests.repository.appendingPathComponent("PlantConfigs/demo.yaml").path)
    }

    /// A measurement at the top of its span may be a saturated transmitter (uncertain, clamped); a column phase
    /// 0–3 at 3 (eluting) is simply eluting.
    @Test func topOfSpanIsClampedForMeasurementsOnly() throws {
        let plant = try Self.plant()
        let flow = try #require(plant.tag(named: "PW1.FT101"))      // float32, span 0–48 L/s
        let phase = try #require(plant.tag(named: "DLE.C1.PHASE"))  // uint16, span 0–3
        let level = try #require(plant.tag(named: "REF.LT601"))     // uint16 × 0.1, span 0–100 %
        #expect(TagPipeline.evaluate(flow, served: 48, at: 1).quality == .uncertain(.clamped))
        #expect(TagPipeline.evaluate(flow, served: 47.9, at: 1).quality == .good)
        #expect(TagPipeline.evaluate(phase, served: 3, at: 1).quality == .good)
        #expect(TagPipeline.evaluate(phase, served: 4, at: 1).quality == .bad(.outOfRange))
        #expect(TagPipeline.evaluate(level, served: 100, at: 1).quality == .uncertain(.clamped))
    }

    /// Served values go through the registers: float32 rounding, sentinels and NaN as the live monitor sees them.
    @Test func servedValuesAreDecodedAsFromTheRegisters() throws {
        let plant = try Self.plant()
        let analyser = try #require(plant.tag(named: "PW1.AT101"))   // float32 with sentinel −9999
        let value = TagPipeline.evaluate(analyser, served: 170.123456789, at: 1)
        // Rounded to float32, then read as that float's shortest decimal (RegisterScaling), as live.
        #expect(value.value == 170.12346 && value.quality == .good)
        #expect(TagPipeline.evaluate(analyser, served: -9999, at: 1).quality == .bad(.sensorSentinel))
        #expect(TagPipeline.evaluate(analyser, served: .nan, at: 1).quality == .bad(.decodeError))
        let tds = try #require(plant.tag(named: "PW1.AT102"))        // uint16 × 0.1 g/L
        #expect(abs(TagPipeline.evaluate(tds, served: 100.04, at: 1).value - 100.0) < 1e-9)
    }
}

@Suite struct SoftSensorCycleTests {
    /// A two-column train: column 1 loads for 60 min then regenerates for 60, column 2 the other way round; the
    /// product comes in pulses (30 kg/h during column 1's regeneration, 10 during its load).
    static func signals(minute: Int) -> [String: SoftSensors.Input] {
        let inFirstHalf = minute % 120 < 60
        return ["dle.column.1.phase": (inFirstHalf ? 1 : (minute % 120 < 80 ? 2 : 3), .good),
                "dle.column.2.phase": (inFirstHalf ? (minute % 120 < 20 ? 2 : 3) : 1, .good),
                "product.rate": (inFirstHalf ? 10 : 30, .good), "refinery.running": (1, .good)]
    }

    /// Rate KPIs are averaged over the observed cycle: uncertain until a whole cycle is seen, then the cycle's
    /// mean (20 kg/h), whatever the moment of the pulse.
    @Test func ratesAreCycleAverages() throws {
        var sensors = SoftSensors()
        var rates: [(minute: Int, value: Double, quality: Quality)] = []
        for minute in 0..<(6 * 120) {
            let kpis = sensors.compute(Self.signals(minute: minute), at: Int64(minute) * 60_000)
            let rate = try #require(kpis.first { $0.name == "product_rate" })
            rates.append((minute, rate.value, rate.quality))
        }
        #expect(rates[30].quality == .uncertain(.incompleteCycle))
        let settled = rates.filter { $0.minute >= 4 * 120 }
        #expect(settled.allSatisfy { $0.quality == .good })
        #expect(settled.allSatisfy { abs($0.value - 20) < 0.5 }, "\(settled.map(\.value).min()!)…\(settled.map(\.value).max()!)")
    }

    /// A stopped pump or refinery shows its KPIs as idle, not as a measured zero.
    @Test func stoppedStagesAreIdle() throws {
        var sensors = SoftSensors(nameplateProductRate: 100)
        var signals: [String: SoftSensors.Input] = [
            "production.flow": (0, .good), "production.pump.running": (0, .good), "dle.inlet.flow": (0, .good),
            "brine.li": (180, .good), "dle.outlet.li": (180, .good), "product.rate": (0, .good),
            "refinery.running": (0, .good),
        ]
        _ = sensors.compute(signals, at: 0)
        var kpis = Dictionary(uniqueKeysWithValues: sensors.compute(signals, at: 1000).map { ($0.name, $0) })
        for name in ["li_recovery", "li_production", "product_rate", "refining_utilisation"] {
            let kpi = try #require(kpis[name], "\(name)")
            #expect(kpi.idle && kpi.value == 0, "\(name)")
        }
        signals["production.pump.running"] = (1, .good)
        signals["production.flow"] = (20, .good)
        signals["dle.inlet.flow"] = (20, .good)
        signals["dle.outlet.li"] = (18, .good)
        kpis = Dictionary(uniqueKeysWithValues: sensors.compute(signals, at: 2000).map { ($0.name, $0) })
        #expect(kpis["li_recovery"]?.idle == false)
        #expect(kpis["product_rate"]?.idle == true, "the refinery is still stopped")
    }
}
