import Foundation
import Historian
import Logging
import Monitor
import PlantConfig
import ServiceLifecycle
import Simulator
import SimulatorRecording
import Testing

/// A live monitor polls the simulator over loopback while the simulator records the same run; the replay of
/// that recording must give the live monitor's alarms, at the same times, and its KPIs.
@Suite(.serialized) struct ReplayLiveTests {
    @Test func replayOfARecordingReproducesTheLiveMonitor() async throws {
        var plant = try MonitorIntegrationTests.demoPlant()   // scans of 100–300 ms, 500 ms response timeout
        // A flow limit that a pump trip crosses within seconds, so the run lasts 14 s of real time.
        plant = plant.applying(try AlarmOverrides.load(yaml: "alarms:\n  PW1.FT101: {low: 20, priority: 200}\n", file: "t.yaml", plant: plant))
        let scenario = try Scenario.parse("""
            name: live-and-replay
            events:
              - {at: 2s, for: 9s, kind: pump-trip}
              - {at: 3s, for: 4s, kind: no-response, device: demo-refinery}
            """)
        let simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: 4, stepSize: 0.1)
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        try servers.start()
        defer { servers.stop() }
        servers.publish(simulation)
        let served = servers.servedPlant(plant)
        let recordingPath = ReplayTests.temporaryPath("live-recording.sqlite")
        let recorder = try RunRecorder(path: recordingPath, plant: served, file: ReplayTests.demoFile, scenario: scenario, seed: 4,
                                       simulation: simulation, interval: 0.1)
        let live = try SQLiteHistorian(path: ReplayTests.temporaryPath("live.sqlite"))
        let state = MonitorState(plant: served, historian: live)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: monitorServices(state: state, logger: logger), logger: logger))
        let task = Task { try await group.run() }
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while ContinuousClock.now < deadline, !state.deviceStatuses.allSatisfy({ $0.up }) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(state.deviceStatuses.allSatisfy { $0.up }, "every device answers before the run starts")

        let wallStart = Int64(Date().timeIntervalSince1970 * 1000)   // simulated time 0
        _ = try await SimulationRunner(speed: .realTime, clock: ContinuousClock())
            .run(simulation, for: 14, everyStep: { try recorder.record($0) }) { servers.publish($0) }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        try recorder.finish()
        let liveKPIs = Dictionary(uniqueKeysWithValues: state.kpis.map { ($0.name, $0.value) })
        let liveEvents = try live.events(from: wallStart, to: .max, kind: .alarm, limit: 10_000)
            .map { (id: $0.source, event: String($0.message.prefix { $0 != ":" }), offset: $0.time - wallStart) }

        let (replayed, _, replayEvents) = try await ReplayTests.replay(recordingPath, plant: served)
        let replay = replayEvents.map { (id: $0.source, event: String($0.message.prefix { $0 != ":" }), offset: $0.time - RunRecorder.defaultEpoch) }

        func raised(_ list: [(id: String, event: String, offset: Int64)]) -> Set<String> { Set(list.filter { $0.event == "raised" }.map(\.id)) }
        #expect(raised(liveEvents) == raised(replay), "live \(raised(liveEvents).sorted()) vs replay \(raised(replay).sorted())")
        #expect(raised(replay).isSuperset(of: ["PW1.FT101:L", "demo-refinery:DEVICE_DOWN"]))
        for event in replay where ["raised", "cleared"].contains(event.event) {
            let match = liveEvents.first { $0.id == event.id && $0.event == event.event }
            guard let match else {
                Issue.record("\(event.id) \(event.event) at +\(event.offset) ms in the replay, not live")
                continue
            }
            // Scans are 100–300 ms apart and the live monitor's backoff probes land up to one jittered delay
            // (≤ 2 s here) after the outage ends.
            let tolerance: Int64 = event.id.hasSuffix("DEVICE_DOWN") && event.event == "cleared" ? 2_500 : 1_000
            #expect(abs(match.offset - event.offset) <= tolerance, "\(event.id) \(event.event): live +\(match.offset) ms, replay +\(event.offset) ms")
        }
        // Both read the same served values at other instants, so they differ by the sensors' noise (0.1 % of
        // span a reading): Li recovery within 1.5 points (σ of the analysers 0.5 mg/L), Li captured within 3 %,
        // sorbent health within 0.5 point, the product rate within 3σ of its meter (0–5000 kg/h: σ = 5 kg/h).
        let tolerances: [(String, Double)] = [("li_recovery", 1.5), ("li_production", 0.03 * (liveKPIs["li_production"] ?? 0)),
                                              ("sorbent_health", 0.5), ("product_rate", 15)]
        for (name, tolerance) in tolerances {
            let a = try #require(liveKPIs[name], "live \(name)")
            let b = try #require(replayed.kpis.first { $0.name == name }?.value, "replayed \(name)")
            #expect(abs(a - b) <= tolerance, "\(name): live \(a), replay \(b)")
        }
    }
}
