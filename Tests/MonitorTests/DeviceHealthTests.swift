import Foundation
import Logging
import Modbus
import Monitor
import PlantConfig
import ServiceLifecycle
import Simulator
import Synchronization
import Testing
import Timekeeping

/// Device health that does not chatter, against the simulator on loopback: a lost or late answer is retried and
/// raises nothing, a real outage raises DEVICE_DOWN within 3 s (one scan period to notice, the on-delay of two to
/// confirm), reconnections are counted only after a device was down, and a block that keeps answering with an
/// exception is logged once per change and alarmed.
@Suite(.serialized) struct DeviceHealthTests {
    /// Log messages, collected (the tests never bootstrap the logging system).
    final class Collected: LogHandler, @unchecked Sendable {   // Safe: `lines` is only touched under `lock`.
        private let lock = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            lock.withLock { $0.append(([event.message.description] + fields).joined(separator: " ")) }
        }
        var lines: [String] { lock.withLock { $0 } }
    }

    /// The demo plant served by the simulator, its scan groups at `fast`, 5 × and 30 × `fast` (as the demo plant's
    /// 1 s, 5 s and 30 s), polled by a monitor that logs into `log`.
    /// With `clock`, the monitor's pollers and ticker sleep on it and take their wall time from it.
    static func rig(fast: Duration, scenario: Scenario = .none, retries: Int = 1, log: Collected = Collected(),
                    clock: ManualClock? = nil) throws -> MonitorIntegrationTests.Rig
    {
        var plant = try MonitorIntegrationTests.demoPlant()
        for d in plant.devices.indices {
            for (g, factor) in zip(plant.devices[d].scanGroups.indices, [1, 5, 30]) {
                plant.devices[d].scanGroups[g].period = fast * factor
            }
            plant.devices[d].retries = retries
        }
        var options = MonitorOptions()
        options.backoffBase = .milliseconds(100)
        options.backoffCap = .milliseconds(500)
        if let clock {
            options.clock = clock
            options.wallTime = clock.wallTime(epoch: .now)
        }
        return try MonitorIntegrationTests.Rig(scenario: scenario, options: options, plant: plant,
                                               logger: Logger(label: "test") { _ in log }, seed: 3)
    }

    /// One lost answer in ten, or one late answer in ten (past the 500 ms response timeout), for 8 s at 100 ms
    /// scans: retried on a new connection, so the device never goes down and nothing is raised.
    @Test(arguments: [FaultRule.Kind.noResponse, .delay(.milliseconds(700))])
    func aLostOrLateAnswerRaisesNothing(_ kind: FaultRule.Kind) async throws {
        let rig = try Self.rig(fast: .milliseconds(100))
        #expect(await rig.waitUntil { rig.state.deviceStatuses.allSatisfy(\.up) })
        rig.servers.addFaults([FaultRule(kind: kind, every: 10)], device: "demo-dle")
        let end = ContinuousClock.now.advanced(by: .seconds(8))
        var everDown = false
        while ContinuousClock.now < end {
            everDown = everDown || rig.status("demo-dle").down
            try await Task.sleep(for: .milliseconds(20))
        }
        let status = rig.status("demo-dle")
        #expect(status.errors.values.reduce(0, +) >= 5, "the fault did act: \(status.errors)")
        #expect(!everDown, "one lost answer marked the device down")
        #expect(rig.alarm("demo-dle:DEVICE_DOWN") == nil)
        #expect(rig.state.alarmHealth(at: Int64(Date().timeIntervalSince1970 * 1000)).alarmsLast10Minutes == 0)
        #expect(status.reconnects == 0, "no outage, no reconnection")
        await rig.stop()
    }

    /// Without retries, the same fault takes the device down: the retries are what keep it up.
    @Test func withoutRetriesTheSameFaultTakesTheDeviceDown() async throws {
        let rig = try Self.rig(fast: .milliseconds(100), retries: 0)
        #expect(await rig.waitUntil { rig.state.deviceStatuses.allSatisfy(\.up) })
        rig.servers.addFaults([FaultRule(kind: .noResponse, every: 10)], device: "demo-dle")
        #expect(await rig.waitUntil { rig.status("demo-dle").reconnects >= 1 }, "down and back at least once")
        await rig.stop()
    }

    /// A device that stops (its server is gone: connections refused) at a quarter, half and three quarters of a
    /// 1 s scan period after a scan: DEVICE_DOWN is raised no earlier than the 2 s on-delay and within 3 s. On a
    /// manual clock, so the phase and the latency are the monitor's own time, whatever the load of the machine.
    @Test(arguments: [0.25, 0.5, 0.75])
    func aRealOutageRaisesWithinThreeSeconds(_ phase: Double) async throws {
        let scenario = try Scenario.parse("name: t\nevents: [{at: 100, for: 1000, kind: restart, device: demo-dle}]")
        let clock = ManualClock()
        let rig = try Self.rig(fast: .seconds(1), scenario: scenario, clock: clock)
        let sleepers = rig.plant.devices.count + 1   // the pollers and the ticker
        #expect(await clock.run(sleepers: sleepers, for: .seconds(10)) { rig.state.deviceStatuses.allSatisfy(\.up) })
        let last = rig.status("demo-dle").lastPoll
        #expect(await clock.run(sleepers: sleepers, for: .seconds(2)) { rig.status("demo-dle").lastPoll != last })
        _ = await clock.run(sleepers: sleepers, for: .seconds(phase))   // the outage's phase within the scan period
        rig.advance(to: 100)
        let stopped = clock.now
        let raised = await clock.run(sleepers: sleepers, for: .seconds(6)) { rig.alarm("demo-dle:DEVICE_DOWN")?.isActive == true }
        let latency = stopped.duration(to: clock.now)
        print("DEVICE_DOWN raised \(latency) after an outage \(phase) of a scan period after a scan")
        #expect(raised)
        #expect(latency <= .seconds(3), "raised \(latency) after the outage")
        #expect(latency >= .seconds(2) - .milliseconds(5), "the on-delay was not honoured: \(latency)")
        #expect(rig.status("demo-dle").down)
        // Back: one reconnection, and the alarm returns to normal.
        rig.advance(to: 1200)
        #expect(await clock.run(sleepers: sleepers, for: .seconds(10)) { rig.status("demo-dle").up })
        #expect(rig.status("demo-dle").reconnects == 1)
        #expect(rig.alarm("demo-dle:DEVICE_DOWN")?.isActive == false)
        #expect(rig.status("demo-wellhead").reconnects == 0)
        await rig.stop()
    }

    /// Blocks answering exception 2 for 3 s at 100 ms scans: one warning and a READ_FAILING alarm per block, then
    /// one recovery line each and the alarms clear; the device stays up throughout.
    @Test func aBlockThatKeepsFailingIsLoggedOnceAndAlarmed() async throws {
        let scenario = try Scenario.parse("""
            name: t
            events: [{at: 70, for: 3, kind: exception, device: demo-refinery, table: input, range: [0, 7], code: 2}]
            """)
        let log = Collected()
        let rig = try Self.rig(fast: .milliseconds(100), scenario: scenario, log: log)
        #expect(await rig.waitUntil { rig.state.deviceStatuses.allSatisfy(\.up) })
        rig.advance(to: 70)
        #expect(await rig.waitUntil { rig.state.alarms.contains { $0.definition.kind == .readFailing && $0.isActive } })
        try await Task.sleep(for: .seconds(1.5))   // more failing scans of every group, which must not log again
        let failing = log.lines.filter { $0.hasPrefix("read failing") }
        let alarmed = rig.state.alarms.filter { $0.definition.kind == .readFailing && $0.isActive }.map(\.definition.id)
        #expect(!failing.isEmpty && Set(failing).count == failing.count, "each block logged once: \(failing)")
        #expect(failing.count == alarmed.count, "\(failing) vs \(alarmed)")
        #expect(failing.allSatisfy { $0.contains("device=demo-refinery") && $0.contains("exception 2 (illegal data address)") })
        #expect(alarmed.allSatisfy { $0.hasPrefix("demo-refinery input ") && $0.hasSuffix(":READ_FAILING") }, "\(alarmed)")
        #expect(rig.status("demo-refinery").up)
        rig.advance(to: 75)
        #expect(await rig.waitUntil { rig.state.alarms.allSatisfy { $0.definition.kind != .readFailing || !$0.isActive } })
        let recovered = log.lines.filter { $0.hasPrefix("read recovered") }
        #expect(recovered.count == failing.count && Set(recovered).count == recovered.count, "\(log.lines)")
        await rig.stop()
    }
}

extension MonitorIntegrationTests.Rig {
    func status(_ device: String) -> DeviceStatus { state.deviceStatuses.first { $0.name == device }! }
    func alarm(_ id: String) -> AlarmStatus? { state.alarms.first { $0.definition.id == id } }
}
