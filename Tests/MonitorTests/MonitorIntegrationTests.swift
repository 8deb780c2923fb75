import Foundation
import Historian
import Logging
import Monitor
import PlantConfig
import ProcessModel
import RegisterVocabulary
import ServiceLifecycle
import Simulator
import Testing
import Timekeeping

/// The monitor against the simulator over loopback (no mocks of Modbus): values, qualities, alarms and
/// KPIs come back as the simulator knows them to be.
@Suite(.serialized) struct MonitorIntegrationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The demo plant with fast scan groups (100–300 ms) so tests run in seconds.
    static func demoPlant() throws -> Plant {
        var plant = try PlantLoader.load(path: repository.appendingPathComponent("PlantConfigs/demo.yaml").path)
        for d in plant.devices.indices {
            for g in plant.devices[d].scanGroups.indices {
                plant.devices[d].scanGroups[g].period = .milliseconds(100 * (g + 1))
            }
            plant.devices[d].timeouts.response = .milliseconds(500)
            plant.devices[d].timeouts.connect = .seconds(1)
        }
        return plant
    }

    /// A running simulator (stepped by the test) and monitor.
    final class Rig: @unchecked Sendable {   // Safe: the test drives `simulation` from one task only.
        let plant: Plant
        var simulation: PlantSimulation
        let servers: SimulatorServers
        let state: MonitorState
        let group: ServiceGroup
        let task: Task<Void, any Error>

        init(scenario: Scenario = .none, options: MonitorOptions = .init(), historian: SQLiteHistorian? = nil, plant: Plant? = nil,
             logger: Logger? = nil, seed: UInt64 = 9) throws {
            let plant = try plant ?? MonitorIntegrationTests.demoPlant()
            simulation = try PlantSimulation(plant: plant, scenario: scenario, seed: seed)
            for _ in 0..<60 { simulation.step() }
            servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
            try servers.start()
            servers.publish(simulation)
            self.plant = servers.servedPlant(plant)
            state = MonitorState(plant: self.plant, historian: historian)
            let logger = logger ?? {
                var quiet = Logger(label: "test")
                quiet.logLevel = .critical
                return quiet
            }()
            group = ServiceGroup(configuration: .init(services: monitorServices(state: state, options: options, logger: logger), logger: logger))
            let group = self.group
            task = Task { try await group.run() }
        }

        func advance(to time: Double) {
            while simulation.time < time { simulation.step() }
            servers.publish(simulation)
        }

        func stop() async {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            servers.stop()
        }

        /// Waits until `condition` holds, at most `timeout`.
        func waitUntil(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while ContinuousClock.now < deadline {
                if condition() { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return condition()
        }
    }

    @Test func normalRunEveryTagGoodAndTrue() async throws {
        let rig = try Rig()
        let ok = await rig.waitUntil {
            let values = rig.state.tagValues
            return rig.plant.allTags.allSatisfy { values[$0.name]?.time ?? 0 > 0 && values[$0.name]?.quality.status != .bad }
        }
        #expect(ok, "every tag read and not bad: \(rig.state.tagValues.filter { $0.value.quality.status == .bad }.map(\.key))")
        let values = rig.state.tagValues
        for tag in rig.plant.allTags where tag.dataType != .string {
            let index = try #require(rig.simulation.index(ofTag: tag.name))
            let served = rig.simulation.served[index]
            let value = try #require(values[tag.name]).value
            #expect(abs(value - served) <= 1e-6 * max(1, abs(served)), "\(tag.name): monitor \(value), simulator served \(served)")
        }
        await rig.stop()
    }

    @Test func kpisMatchTheSimulatorsTruth() async throws {
        let rig = try Rig()
        let ok = await rig.waitUntil { rig.state.kpis.contains { $0.name == "li_recovery" } }
        #expect(ok)
        let kpis = Dictionary(uniqueKeysWithValues: rig.state.kpis.map { ($0.name, $0) })
        // What the instruments report: the simulator's served values of the tags bound to the four signals (noise
        // and the analysers' lag included: within a calibrated DLE cycle of 45 min the outlet Li moves faster than
        // its analyser follows, so the plant's own value is the soft sensors' test against the estimate,
        // SoftSensorConvergenceTests). Here: from served registers to the KPI, through decoding and the soft sensors.
        func served(_ signal: String) throws -> Double {
            let tag = try #require(rig.plant.allTags.first { $0.signal == signal }, "a tag bound to \(signal)")
            return rig.simulation.served[try #require(rig.simulation.index(ofTag: tag.name))]
        }
        let (feed, outlet, production, brine) = (try served("dle.inlet.flow"), try served("dle.outlet.li"),
                                                 try served("production.flow"), try served("brine.li"))
        // On the brine basis, as the estimate: the raffinate (feed × outlet) against the brine's Li.
        let trueRecovery = 100 * (1 - feed * outlet / (production * brine))
        let recovery = try #require(kpis["li_recovery"])
        #expect(abs(recovery.value - trueRecovery) < 1.5, "monitor \(recovery.value) %, served \(trueRecovery) %")
        let trueCaptured = (production * brine - feed * outlet) * 3.6 / 1000
        let captured = try #require(kpis["li_production"])
        #expect(abs(captured.value - trueCaptured) / trueCaptured < 0.03, "monitor \(captured.value), served \(trueCaptured) kg/h")
        #expect(recovery.quality.status != .bad)
        await rig.stop()
    }

    /// On a manual clock (the daemon's pollers and ticker sleep on it): scan counts and the recovery bound are
    /// measured in the daemon's own time, whatever the load of the machine.
    @Test func deadDeviceIsIsolatedAndRecoversWithinTheBackoffBound() async throws {
        let scenario = try Scenario.parse("name: t\nevents: [{at: 70, for: 1000, kind: no-response, device: demo-dle}]")
        let clock = ManualClock()
        var options = MonitorOptions()
        options.backoffBase = .milliseconds(100)
        options.backoffCap = .seconds(1)
        options.clock = clock
        options.wallTime = clock.wallTime(epoch: .now)
        let rig = try Rig(scenario: scenario, options: options)
        let sleepers = rig.plant.devices.count + 1   // the pollers and the ticker
        #expect(await clock.run(sleepers: sleepers, for: .seconds(10)) { rig.state.deviceStatuses.allSatisfy(\.up) })
        rig.advance(to: 75)
        let down = await clock.run(sleepers: sleepers, for: .seconds(10)) {
            rig.state.deviceStatuses.first { $0.name == "demo-dle" }?.up == false
        }
        #expect(down)
        let dleTags = rig.plant.devices[1].tags.map(\.name)
        let values = rig.state.tagValues
        #expect(dleTags.allSatisfy { values[$0]?.quality == .bad(.timeout) || values[$0]?.quality == .bad(.notConnected) },
                "\(dleTags.map { "\($0): \(values[$0]!.quality)" })")
        // Raised after the device's on-delay (two of its fastest scan periods).
        #expect(await clock.run(sleepers: sleepers, for: .seconds(10)) {
            rig.state.alarms.contains { $0.definition.id == "demo-dle:DEVICE_DOWN" && $0.isActive }
        })
        // The healthy devices keep their scans: count scans over one second of the clock while the DLE device is dead.
        let before = rig.state.deviceStatuses.first { $0.name == "demo-wellhead" }!.scans
        _ = await clock.run(sleepers: sleepers, for: .seconds(1))
        let after = rig.state.deviceStatuses.first { $0.name == "demo-wellhead" }!
        // Three groups at 100/200/300 ms: 10 + 5 + 3 scans per second; allow one late.
        #expect(after.scans - before >= 17, "wellhead scans in 1 s with the DLE device dead: \(after.scans - before)")
        #expect(after.overruns == 0)
        // The fault ends: the device is back within the backoff cap plus a scan.
        rig.advance(to: 1100)
        let start = clock.now
        let up = await clock.run(sleepers: sleepers, for: .seconds(5)) { rig.state.deviceStatuses.first { $0.name == "demo-dle" }?.up == true }
        #expect(up)
        #expect(start.duration(to: clock.now) < .seconds(1) + .milliseconds(400) + .milliseconds(300),
                "recovered in \(start.duration(to: clock.now))")
        #expect(rig.state.alarms.contains { $0.definition.id == "demo-dle:DEVICE_DOWN" && !$0.isActive })
        await rig.stop()
    }

    @Test func exceptionsTimeoutsAndSensorFaultsGetTheirReasons() async throws {
        let scenario = try Scenario.parse("""
            name: t
            events:
              - {at: 70, for: 30, kind: exception, device: demo-refinery, table: input, range: [0, 7], code: 2}
              - {at: 70, for: 30, kind: dropout, tag: PW1.AT101}
              - {at: 70, for: 30, kind: dropout, tag: PW1.TT101}
              - {at: 70, for: 30, kind: dropout, tag: PW1.AT102}
            """)
        let rig = try Rig(scenario: scenario)
        #expect(await rig.waitUntil { rig.state.tagValues["RO.FT501"]?.quality.isGood == true })
        rig.advance(to: 75)
        let flagged = await rig.waitUntil {
            let v = rig.state.tagValues
            return v["RO.FT501"]?.quality == .bad(.exception, detail: 2) && v["PW1.AT101"]?.quality == .bad(.sensorSentinel)
                && v["PW1.TT101"]?.quality == .bad(.decodeError) && v["PW1.AT102"]?.quality == .bad(.outOfRange)
        }
        let v = rig.state.tagValues
        #expect(flagged, "RO.FT501 \(v["RO.FT501"]!.quality), PW1.AT101 \(v["PW1.AT101"]!.quality), PW1.TT101 \(v["PW1.TT101"]!.quality)")
        // An exception answers for its request only: the device stays up, and requests outside the range
        // (here the discrete inputs) stay good.
        #expect(rig.state.deviceStatuses.first { $0.name == "demo-refinery" }?.up == true)
        #expect(v["REF.RUN"]?.quality.isGood == true)
        rig.advance(to: 105)
        #expect(await rig.waitUntil { rig.state.tagValues["RO.FT501"]?.quality.isGood == true && rig.state.tagValues["PW1.TT101"]?.quality.isGood == true })
        await rig.stop()
    }

    /// Late answers, dropped connections and a restart: the device's tags turn bad with the right reason, the
    /// device-down alarm is raised, and it recovers when the fault ends.
    @Test(arguments: [("late-response", Quality.bad(.timeout)), ("drop-connections", Quality.bad(.commFailure)),
                      ("restart", Quality.bad(.notConnected))])
    func communicationFaultKinds(kind: String, expected: Quality) async throws {
        let scenario = try Scenario.parse("name: t\nevents: [{at: 70, for: 1000, kind: \(kind), device: demo-dle, value: 2}]")
        var options = MonitorOptions()
        options.backoffBase = .milliseconds(100)
        options.backoffCap = .milliseconds(500)
        let rig = try Rig(scenario: scenario, options: options)
        #expect(await rig.waitUntil { rig.state.deviceStatuses.allSatisfy(\.up) })
        rig.advance(to: 75)
        let flagged = await rig.waitUntil { rig.state.tagValues["DLE.FT401"]?.quality == expected }
        #expect(flagged, "\(kind): DLE.FT401 is \(rig.state.tagValues["DLE.FT401"]!.quality)")
        #expect(await rig.waitUntil { rig.state.alarms.contains { $0.definition.id == "demo-dle:DEVICE_DOWN" && $0.isActive } })
        rig.advance(to: 1100)
        #expect(await rig.waitUntil { rig.state.tagValues["DLE.FT401"]?.quality.isGood == true }, "\(kind): recovery")
        await rig.stop()
    }

    @Test func historianHoldsTheRun() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-monitor-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let historian = try SQLiteHistorian(path: path, batchInterval: .milliseconds(200))
        let rig = try Rig(historian: historian)
        #expect(await rig.waitUntil { rig.state.kpis.count >= 5 })
        // Let the plant move (the compressor stores changes, not repeats), one simulated second per scan.
        for second in 61...70 {
            rig.advance(to: Double(second))
            // Wait until the fast group has scanned the new state.
            let scans = rig.state.deviceStatuses.first { $0.name == "demo-wellhead" }!.scans
            #expect(await rig.waitUntil(.seconds(5)) { rig.state.deviceStatuses.first { $0.name == "demo-wellhead" }!.scans > scans })
        }
        await rig.stop()
        let reader = try SQLiteHistorian(path: path)
        // PW1.FT101 has a 0.1 L/s deadband (swinging door): a steady flow stores few points; PW1.TT101 has none.
        #expect(try reader.samples("PW1.TT101", from: 0, to: .max).count >= 3)
        #expect(try !reader.samples("PW1.FT101", from: 0, to: .max).isEmpty)
        #expect(try !reader.samples("kpi:li_recovery", from: 0, to: .max).isEmpty)
        #expect(try reader.events(from: 0, to: .max, kind: .device).contains { $0.message == "up" })
    }
}
