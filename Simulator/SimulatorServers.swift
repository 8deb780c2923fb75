import Foundation
public import Modbus
public import PlantConfig
public import RegisterVocabulary
import Synchronization

/// The Modbus servers of a simulated plant: one per device of the plant description, on its configured
/// endpoint (or an ephemeral port on a chosen host), each serving the registers of its tags from a
/// `RegisterStore` that `publish` updates atomically per device, so no client reads a torn value.
public final class SimulatorServers: Sendable {
    /// A device as served.
    public struct Served: Sendable, Hashable {
        public var device: String
        public var unitID: UInt8
        public var endpoint: ModbusEndpoint
    }

    private struct Entry: Sendable {
        let device: String
        let unitID: UInt8
        let server: ModbusServer
        let store: RegisterStore
    }

    private let entries: [Entry]
    private let state = Mutex<[String: DeviceFaults]>([:])
    /// Fault rules added to the scenario's, by device (``addFaults(_:device:)``).
    private let extra = Mutex<[String: [FaultRule]]>([:])
    private let served = Mutex<[Served]>([])

    /// - Parameters:
    ///   - plant: the plant description.
    ///   - host: serve every TCP device on this host instead of its configured one (e.g. "127.0.0.1").
    ///   - ephemeralPorts: serve every TCP device on a free port (tests); `served` tells which.
    ///   - rtuDevices: serial devices to serve RTU devices on, by device name, instead of the configured ones.
    public init(plant: Plant, host: String? = nil, ephemeralPorts: Bool = false, rtuDevices: [String: String] = [:]) {
        entries = plant.devices.map { device in
            var endpoint = device.endpoint.modbusEndpoint
            switch endpoint {
            case .tcp(let configuredHost, let port):
                endpoint = .tcp(host: host ?? configuredHost, port: ephemeralPorts ? 0 : port)
            case .rtu(var settings):
                if let path = rtuDevices[device.name] { settings.device = path }
                endpoint = .rtu(settings)
            }
            let store = RegisterStore()
            let unit = UInt8(clamping: device.unitID)
            return Entry(device: device.name, unitID: unit, server: ModbusServer(endpoint: endpoint, unitID: unit, store: store), store: store)
        }
    }

    /// Starts every server.
    /// - Returns: the devices as served (with the bound ports).
    @discardableResult
    public func start() throws -> [Served] {
        var result: [Served] = []
        do {
            for entry in entries {
                let port = try entry.server.start()
                var endpoint = entry.server.endpoint
                if case .tcp(let host, _) = endpoint { endpoint = .tcp(host: host, port: port) }
                result.append(Served(device: entry.device, unitID: entry.unitID, endpoint: endpoint))
            }
        } catch {
            stop()
            throw error
        }
        served.withLock { $0 = result }
        return result
    }

    public var servedDevices: [Served] { served.withLock { $0 } }

    /// The plant description with each TCP endpoint replaced by where it is served (for a monitor in the
    /// same process or test).
    public func servedPlant(_ plant: Plant) -> Plant {
        var copy = plant
        let byName = Dictionary(uniqueKeysWithValues: servedDevices.map { ($0.device, $0) })
        for index in copy.devices.indices {
            if case .tcp(let host, let port)? = byName[copy.devices[index].name]?.endpoint {
                copy.devices[index].endpoint = .tcp(host: host, port: port)
            }
        }
        return copy
    }

    /// Writes the simulation's served values into the stores (one atomic update per device) and applies
    /// the communication faults of the moment.
    public func publish(_ simulation: borrowing PlantSimulation) {
        for entry in entries {
            let writes = simulation.registerWrites(device: entry.device)
            entry.store.update { tables in
                for write in writes { tables.set(write.table, address: write.address, values: write.values) }
            }
        }
        applyFaults(simulation.deviceFaults)
    }

    private func applyFaults(_ faults: [String: DeviceFaults]) {
        let previous = state.withLock { state -> [String: DeviceFaults] in
            let old = state
            state = faults
            return old
        }
        for entry in entries {
            let now = faults[entry.device] ?? DeviceFaults()
            let before = previous[entry.device] ?? DeviceFaults()
            guard now != before else { continue }
            let rules = rules(for: entry.device, now)
            entry.server.setFaults(rules)
            if now.down && !before.down {
                entry.server.stop()
            } else if !now.down && before.down {
                // A restart: the device comes back on the same port. If the port is taken meanwhile, the
                // device stays down and the next change of faults tries again.
                _ = try? entry.server.start()
            }
        }
    }

    /// Adds fault rules to a device's scenario faults, e.g. one lost answer in ten
    /// (`FaultRule(kind: .noResponse, every: 10)`), for tests and benchmarks of device health.
    public func addFaults(_ added: [FaultRule], device: String) {
        extra.withLock { $0[device] = added }
        let now = state.withLock { $0[device] ?? DeviceFaults() }
        entries.first { $0.device == device }?.server.setFaults(rules(for: device, now))
    }

    /// The server's rules for a device's faults: the added ones first, then the scenario's.
    private func rules(for device: String, _ faults: DeviceFaults) -> [FaultRule] {
        var rules = extra.withLock { $0[device] ?? [] }
        if faults.silent { rules.append(FaultRule(kind: .noResponse)) }
        if faults.dropConnections { rules.append(FaultRule(kind: .dropConnection)) }
        for exception in faults.exceptions {
            rules.append(FaultRule(table: exception.table, range: exception.range, kind: .exception(exception.code)))
        }
        if faults.delay > 0 { rules.append(FaultRule(kind: .delay(.milliseconds(Int64(faults.delay * 1000))))) }
        return rules
    }

    /// Server statistics by device.
    public var statistics: [String: ServerStatistics] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.device, $0.server.statistics) })
    }

    /// Stops every server.
    public func stop() {
        for entry in entries where entry.server.isRunning { entry.server.stop() }
    }
}
