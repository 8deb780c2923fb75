import Foundation
import Historian
import Logging
import Monitor
import PlantConfig
import ServiceLifecycle
import Simulator
import SimulatorRecording
import Testing
import Timekeeping

/// Replay equals live by construction: the live daemon (pollers over loopback Modbus, ticker, historian flusher) on
/// a manual clock, and the replay of the run the simulator recorded meanwhile, both driven by ``ScanScheduler``,
/// write the same history: every tag sample and KPI at the same millisecond with the same value and quality, and
/// the same device and alarm events, through an outage of a device (timeouts, backoff, probes, DEVICE_DOWN).
@Suite(.serialized) struct ReplayEqualsLiveTests {
    /// The simulation stepped with the manual clock: published to the servers and recorded at each 100 ms step.
    final class Plant: @unchecked Sendable {   // Safe: only the test's task touches it.
        var simulation: PlantSimulation
        let servers: SimulatorServers
        let recorder: RunRecorder
        init(simulation: PlantSimulation, servers: SimulatorServers, recorder: RunRecorder) {
            self.simulation = simulation
            self.servers = servers
            self.recorder = recorder
        }

        /// Steps the simulation to `time` (s) and serves and records each step.
        func step(to time: Double) throws {
            while simulation.time + 0.05 < time {
                simulation.step()
                servers.publish(simulation)
                try recorder.record(simulation)
            }
        }
    }

    /// Everything the monitor wrote that the comparison covers, in time order: tag and KPI samples, device and
    /// alarm events (a device's error text is the client's live and the recording's fault name in replay).
    static func history(_ historian: SQLiteHistorian, plant: PlantConfig.Plant) throws -> [String] {
        var lines: [String] = []
        let series = try historian.series().map(\.name).filter { !$0.hasPrefix("truth:") }.sorted()
        for name in series {
            for sample in try historian.samples(name, from: .min, to: .max) {
                lines.append("\(sample.time) \(name) \(sample.value) \(sample.quality)")
            }
        }
        for event in try historian.events(from: .min, to: .max) where event.kind == .device || event.kind == .alarm {
            lines.append("\(event.time) \(event.kind) \(event.source) \(event.message.prefix { $0 != ":" })")
        }
        return lines.sorted()   // times are 13-digit ms: text order is time order
    }

    @Test func theLiveDaemonAndTheReplayOfItsRunWriteTheSameHistory() async throws {
        let plant = try MonitorIntegrationTests.demoPlant()   // scans of 100–300 ms, 500 ms response timeout
        let scenario = try Scenario.parse("""
            name: equal
            events:
              - {at: 2s, for: 6s, kind: pump-trip}
              - {at: 3s, for: 3s, kind: no-response, device: demo-refinery}
            """)
        let simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: 4, stepSize: 0.1)
        let servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        try servers.start()
        defer { servers.stop() }
        servers.publish(simulation)
        let served = servers.servedPlant(plant)
        let recordingPath = ReplayTests.temporaryPath("equal-recording.sqlite")
        let recorder = try RunRecorder(path: recordingPath, plant: served, file: ReplayTests.demoFile, scenario: scenario, seed: 4,
                                       simulation: simulation, interval: 0.1)
        try recorder.record(simulation)
        let stepped = Plant(simulation: simulation, servers: servers, recorder: recorder)

        // Live: the daemon's services on a manual clock whose wall time is the recording's.
        let clock = ManualClock()
        var options = MonitorOptions()
        options.clock = clock
        options.wallTime = clock.wallTime(epoch: Timestamp(milliseconds: RunRecorder.defaultEpoch))
        // A tick that never falls on a scan's instant (scans are on a 100 ms grid): live, the ticker and the pollers
        // are concurrent services, so at a shared instant their order is not defined.
        options.tickInterval = .milliseconds(1033)
        let liveHistorian = try SQLiteHistorian(path: ReplayTests.temporaryPath("equal-live.sqlite"))
        let state = MonitorState(plant: served, historian: liveHistorian, publishesLiveUpdates: false)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: monitorServices(state: state, options: options, logger: logger),
                                                      logger: logger))
        let task = Task { try await group.run() }
        let sleepers = served.devices.count + 2   // the pollers, the ticker, the flusher
        let end = ManualClock.Instant(offset: .seconds(12))
        while true {
            #expect(await clock.settle(sleepers: sleepers), "the daemon sleeps on the clock at \(clock.now)")
            guard let next = clock.nextDeadline, next <= end else { break }
            try stepped.step(to: Double(next.offset.wholeMilliseconds) / 1000)
            clock.advance(to: next)
        }
        #expect(state.deviceStatuses.allSatisfy { $0.up }, "every device is back by the end")
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        try recorder.finish()

        // Replay of the recording, into a second historian.
        let run = try RecordedRun.open(path: recordingPath)
        let replayHistorian = try SQLiteHistorian(path: ReplayTests.temporaryPath("equal-replay.sqlite"))
        let replayState = MonitorState(plant: served, historian: replayHistorian, publishesLiveUpdates: false)
        var replayOptions = ReplayOptions()
        replayOptions.tickInterval = options.tickInterval
        _ = try await Replay(run: run, state: replayState, options: replayOptions).run()

        let live = try Self.history(liveHistorian, plant: served)
        let replayed = try Self.history(replayHistorian, plant: served)
        #expect(live.contains { $0.hasSuffix("alarm demo-refinery:DEVICE_DOWN raised") }, "the outage raises DEVICE_DOWN")
        #expect(live.contains { $0.contains("demo-refinery") && $0.contains("device") && $0.hasSuffix(" up") })
        #expect(live.contains { $0.hasSuffix("bad(timeout)") }, "the outage's tags are bad with a timeout")
        #expect(live.contains { $0.contains(" kpi:") }, "KPIs are compared too")
        #expect(live.count > 1000, "\(live.count) lines")
        let firstDifference = zip(live, replayed).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil && live.count == replayed.count,
                "line \(firstDifference?.offset ?? -1): live \(firstDifference?.element.0 ?? "") | replay \(firstDifference?.element.1 ?? ""); \(live.count) vs \(replayed.count) lines")
    }
}
