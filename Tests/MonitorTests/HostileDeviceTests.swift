import Foundation
import Historian
import Logging
import Monitor
import PlantConfig
import RegisterVocabulary
import ServiceLifecycle
import Testing

/// The monitor polling Tests/Peers/hostile_modbus_server.py: a device whose answers carry the wrong unit id, a
/// protocol id of 0x0100 or an MBAP length that lies once had 152, 224 and 240 of its samples stored as good
/// (issue 20, point 2). Now its tags are bad(commFailure), the device's last error names the field, and the
/// historian holds no good sample of them; a well-behaved device on the same server stays good.
@Suite(.serialized) struct HostileDeviceTests {
    /// Mode of the peer (address block) for each device, and the field its error must name.
    static let devices: [(name: String, mode: Int, field: String?)] = [
        ("honest", 0, nil), ("wrong-unit", 1, "unit id"), ("protocol-0x0100", 2, "protocol id"),
        ("length-long", 4, "MBAP length"), ("length-short", 5, "MBAP length"),
    ]

    static func plant(port: Int) throws -> Plant {
        var yaml = """
            id: hostile
            name: Hostile devices
            site: {name: Loopback, country: FR}
            brine: {temperature: 160, tds: 100, composition: {Li: 180}, sources: [test]}
            devices:

            """
        for device in devices {
            yaml += """
                  - name: \(device.name)
                    endpoint: {protocol: tcp, host: 127.0.0.1, port: \(port)}
                    unit_id: 1
                    timeouts: {response: 300ms, byte: 50ms, connect: 1s}
                    scan_groups: [{name: fast, period: 100ms}]
                    tags:
                      - {name: \(device.name).VALUE, table: holding, address: \(device.mode * 100 + 7), type: uint16, unit: "1"}

                """
        }
        return try PlantLoader.load(yaml: yaml, file: "hostile.yaml")
    }

    @Test func badFramesAreNeverStoredAsGood() async throws {
        let python = ProcessInfo.processInfo.environment["GEOLITH_PEER_PYTHON"] ?? "/usr/bin/python3"
        let peer = Process()
        peer.executableURL = URL(fileURLWithPath: python)
        peer.arguments = [MonitorIntegrationTests.repository.appendingPathComponent("Tests/Peers/hostile_modbus_server.py").path]
        let out = Pipe()
        peer.standardOutput = out
        try peer.run()
        defer {
            kill(peer.processIdentifier, SIGKILL)
            peer.waitUntilExit()
        }
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)), "peer said \(line)")

        let historian = try SQLiteHistorian.inMemory()
        let state = MonitorState(plant: try Self.plant(port: port), historian: historian)
        var logger = Logger(label: "hostile")
        logger.logLevel = .critical
        var options = MonitorOptions()
        options.backoffBase = .milliseconds(50)
        options.backoffCap = .milliseconds(200)
        let group = ServiceGroup(configuration: .init(services: monitorServices(state: state, options: options, logger: logger),
                                                      logger: logger))
        let task = Task { try await group.run() }
        // Until the honest device has been read 10 times and every hostile one has failed at least 3 times.
        let deadline = ContinuousClock.now + .seconds(15)
        func settled() -> Bool {
            state.deviceStatuses.allSatisfy { status in
                status.name == "honest" ? status.requests >= 10 : status.errors.values.reduce(0, +) >= 3
            }
        }
        while !settled(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        #expect(settled())

        let values = state.tagValues
        let statuses = Dictionary(uniqueKeysWithValues: state.deviceStatuses.map { ($0.name, $0) })
        for device in Self.devices {
            let tag = "\(device.name).VALUE"
            let stored = try historian.samples(tag, from: 0, to: .max)
            if let field = device.field {
                #expect(values[tag]?.quality == .bad(.commFailure), "\(tag): \(String(describing: values[tag]))")
                #expect(statuses[device.name]?.lastError?.contains(field) == true,
                        "\(device.name): \(statuses[device.name]?.lastError ?? "no error")")
                #expect(!stored.contains { $0.quality.isGood }, "\(tag): a good sample stored from a bad frame")
            } else {
                #expect(values[tag]?.quality == .good && values[tag]?.value == Double(device.mode * 100 + 7))
                #expect(stored.contains { $0.quality.isGood })
            }
        }
    }
}
