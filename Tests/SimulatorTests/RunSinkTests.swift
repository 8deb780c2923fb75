import PlantConfig
import Simulator
import Synchronization
import Testing

/// The recorder speaks to a sink, not a database: what it hands over, in which order, and the devices a
/// communication fault hits (replay needs them).
@Suite struct RunSinkTests {
    /// Keeps every call, in order.
    final class MemorySink: RunSink {
        enum Call: Sendable, Hashable {
            case begin(SimulationRunInfo), declare(RecordedSeries), record(ScenarioRecord), append([RecordedPoint]), finish(Int64)
        }
        let calls = Mutex<[Call]>([])
        func begin(_ run: SimulationRunInfo) throws { calls.withLock { $0.append(.begin(run)) } }
        func declare(_ series: RecordedSeries) { calls.withLock { $0.append(.declare(series)) } }
        func record(_ event: ScenarioRecord) { calls.withLock { $0.append(.record(event)) } }
        func append(_ points: [RecordedPoint]) throws { calls.withLock { $0.append(.append(points)) } }
        func finish(at time: Int64) throws { calls.withLock { $0.append(.finish(time)) } }
    }

    @Test func theRecorderHandsTheSinkARunInOrder() throws {
        let plant = try TestSupport.plant("demo")
        let fault = ScenarioEvent(at: 3, duration: 4, kind: .noResponse(device: .servingSignal("production.flow")))
        let scenario = Scenario(name: "one-fault", events: [fault])
        var simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: 7, stepSize: 0.5)
        let sink = MemorySink()
        let recorder = try RunRecorder(sink: sink, plant: plant, file: "demo.yaml", scenario: scenario, seed: 7, simulation: simulation,
                                       interval: 2)
        for _ in 0..<20 {
            simulation.step()
            try recorder.record(simulation)
        }
        try recorder.finish()
        let calls = sink.calls.withLock { $0 }

        guard case .begin(let run) = calls.first else { Issue.record("the run does not begin first: \(calls.prefix(1))"); return }
        #expect(run.plant == plant.id && run.scenario == "one-fault" && run.seed == 7)
        #expect(run.started == RunRecorder.defaultEpoch)
        // Without a time, the run ends at its last recorded point.
        #expect(calls.last == .finish(RunRecorder.defaultEpoch + 8_500))

        let series = calls.compactMap { if case .declare(let s) = $0 { s } else { nil } }
        let signals = series.filter { $0.name.hasPrefix("signal:") }
        #expect(!signals.isEmpty && signals.allSatisfy { $0.kind == .truth })
        #expect(series.count == signals.count + 2 * simulation.tags.count)
        let flow = try #require(series.first { $0.name == "PW1.FT101" })
        #expect(flow.kind == .tag && !flow.device.isEmpty)
        #expect(series.contains(RecordedSeries(name: "truth:PW1.FT101", kind: .truth, unit: flow.unit, device: flow.device)))

        // Points at the first step, then every 2 simulated seconds (10 s at 0.5 s steps), every series each time.
        let appends = calls.compactMap { if case .append(let p) = $0 { p } else { nil } }
        #expect(appends.map { $0.first?.time } == [500, 2_500, 4_500, 6_500, 8_500].map { RunRecorder.defaultEpoch + $0 })
        #expect(appends.allSatisfy { $0.count == series.count })

        // The fault: planned, begins at 3 s, ends at 7 s, with the devices serving production.flow.
        let serving = plant.devices.filter { $0.tags.contains { $0.signal == "production.flow" } }.map(\.name).sorted()
        #expect(!serving.isEmpty)
        let events = calls.compactMap { if case .record(let e) = $0 { e } else { nil } }
        #expect(events.map(\.message) == ["planned: \(fault.label)", "begins: \(fault.label)", "ends: \(fault.label)"])
        #expect(events.map(\.time) == [3_000, 3_000, 7_000].map { RunRecorder.defaultEpoch + $0 })
        #expect(events[0].fault == nil)
        #expect(events[1].fault == ScenarioRecord.DeviceFault(kind: fault.kind, devices: serving))
        #expect(events[2].fault == events[1].fault)
    }
}
