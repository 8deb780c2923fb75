import CommandSupport
import Foundation
import Modbus
import PlantConfig
import RegisterVocabulary

/// The named reads of `geolith read FILE [TAG…]`: which tags, and reading them from one device.
extension ReadCommand {
    /// The tags named after the file (none: every tag) of `--device` (none: of every device), in the plant's
    /// order. An unknown device or tag is a command error with the nearest names.
    func selectedTags(of plant: Plant, file: String) throws -> [(Device, Tag)] {
        let names = Array(arguments.dropFirst())
        if let device, !plant.devices.contains(where: { $0.name == device }) {
            throw DeviceCommandError.unknown("device", [device], among: plant.devices.map(\.name), in: file)
        }
        var selected: [(Device, Tag)] = []
        for device in plant.devices where self.device == nil || device.name == self.device {
            for tag in device.tags where names.isEmpty || names.contains(tag.name) { selected.append((device, tag)) }
        }
        let unknown = names.filter { name in !selected.contains { $0.1.name == name } }
        guard unknown.isEmpty else {
            let scope = self.device.map { " of device \($0)" } ?? ""
            throw DeviceCommandError.unknown("tag", unknown, among: selected.isEmpty && self.device == nil
                ? plant.allTags.map(\.name) : plant.devices.filter { self.device == nil || $0.name == self.device }
                    .flatMap(\.tags).map(\.name), in: file + scope)
        }
        return selected
    }

    /// Reads `tags` of `device` (at `--endpoint` if given) in the device's read plan, printing a line per tag
    /// (``format(tag:registers:)``, or bad with the error); returns the failed requests, one line each.
    func read(_ tags: [Tag], of device: Device) async -> [String] {
        let target = endpoint.map { ModbusEndpoint.tcp(host: $0.host, port: $0.port) } ?? device.endpoint.modbusEndpoint
        let client = ModbusClient(endpoint: target, unitID: UInt8(clamping: device.unitID), anyUnit: device.anyUnit,
                                  timeouts: ModbusTimeouts(connect: device.timeouts.connect,
                                                           response: .milliseconds(timeout), byte: device.timeouts.byte))
        let items = tags.map { ReadItem(table: $0.table, address: $0.address, count: max(1, $0.registerCount)) }
        let plan = ReadPlan(items: items, limits: device.readLimits)
        var failures: [String] = []
        for request in plan.requests {
            do {
                let registers = try await client.read(request.table, address: request.address, count: request.count)
                for index in request.items {
                    let tag = tags[index]
                    let slice = Array(registers[(tag.address - request.address)...])
                    print(Self.format(tag: tag, registers: slice))
                }
            } catch {
                failures.append("\(device.name): \(error)")
                for index in request.items {
                    print("\(tags[index].name.padding(toLength: 20, withPad: " ", startingAt: 0)) —  bad (\(error))")
                }
            }
        }
        await client.close()
        return failures
    }
}
