import Foundation
import Logging
import Monitor
import MonitorServer
import PlantConfig
import RegisterVocabulary
import ServiceLifecycle
import Simulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The demo plant served by the simulator on loopback (ephemeral ports), polled by a real monitor whose HTTP
/// server listens on 127.0.0.1 port 0: the daemon as `geolith demo` runs it, in process.
final class LiveMonitor: Sendable {
    let state: MonitorState
    let port: Int
    private let servers: SimulatorServers
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var base: String { "http://127.0.0.1:\(port)" }

    init(tokens: [String: String] = [:]) async throws {
        let plant = try PlantLoader.load(
            path: MonitorServerTests.repository.appendingPathComponent("PlantConfigs/demo.yaml").path)
        let simulation = try PlantSimulation(plant: plant, scenario: .none, seed: 1)
        servers = SimulatorServers(plant: plant, host: "127.0.0.1", ephemeralPorts: true)
        _ = try servers.start()
        servers.publish(simulation)
        state = MonitorState(plant: servers.servedPlant(plant), historian: nil)
        var logger = Logger(label: "live-monitor")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var services = monitorServices(state: state, logger: logger)
        services.append(
            buildApplication(state: state, configuration: HTTPConfiguration(host: "127.0.0.1", port: 0, tokens: tokens))
            {
                continuation.yield($0)
                continuation.finish()
            })
        group = ServiceGroup(configuration: .init(services: services, logger: logger))
        task = Task { [group] in try await group.run() }
        var bound: Int?
        for await port in ports { bound = port }
        guard let bound else {
            throw CocoaError(.coderReadCorrupt, userInfo: [NSLocalizedDescriptionKey: "the HTTP server did not start"])
        }
        port = bound
    }

    /// Waits until every device answered at least once (deadline in seconds).
    func waitUntilDevicesUp(_ timeout: Double = 20) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if state.deviceStatuses.allSatisfy({ $0.up && $0.requests > 0 }) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func get(_ path: String) async throws -> (status: Int, body: String) {
        try await Self.get(base + path)
    }

    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        servers.stop()
    }
}

extension KPIValue {
    /// A KPI to publish on a live feed as a marker a test looks for (by its name) or as padding (its label).
    static func marker(_ name: String, label: String = "") -> KPIValue {
        KPIValue(name: name, label: label, value: 1, unit: "", quality: .good, at: 1)
    }
}
