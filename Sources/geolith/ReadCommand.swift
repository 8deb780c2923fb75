import ArgumentParser
import CommandSupport
import Foundation
import Modbus
import PlantConfig
import ProcessModel
import RegisterVocabulary

/// `geolith read`: a one-shot read for commissioning: named tags of a plant description, decoded with units
/// and quality, or raw registers by address (like mbpoll, but by name).
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read tags by name from live devices (or raw registers by address) and print them with units and quality.",
        discussion: """
            geolith read PlantConfigs/demo.yaml PW1.FT101 PW1.TT101
            geolith read PlantConfigs/demo.yaml --device demo-wellhead        (every tag of a device)
            geolith read --endpoint 127.0.0.1:15010 --table input --address 0 --count 2 --type float32 --order CDAB
            """)

    @Argument(help: "Plant description file, then tag names (none: every tag, or every tag of --device).")
    var arguments: [String] = []

    @Option(help: "Only tags of this device.")
    var device: String?

    @Option(help: "Connect here instead of the configured endpoint (host:port, [v6]:port), e.g. to a simulator.",
            transform: HostPort.init(parsing:))
    var endpoint: HostPort?

    @Option(help: "Raw read: unit id (0...255 over TCP; 255 or 0 for a device reached directly).")
    var unit: Int = 1

    @Option(help: "Raw read: table (coil, discrete_input, holding, input).")
    var table: RegisterTable = .holding

    @Option(help: "Raw read: first address (0-based, 0...65535).")
    var address: Int?

    @Option(help: "Raw read: registers (1...125) or bits (1...2000).")
    var count: Int = 1

    @Option(help: "Raw read: decode as this type (int16 … float64, string).")
    var type: RegisterDataType?

    @Option(help: "Raw read: word order (ABCD, CDAB, BADC, DCBA).")
    var order: WordOrder = .abcd

    @Option(help: "Response timeout, ms (1...60000).")
    var timeout: Int = 1000

    func validate() throws {
        guard (0...255).contains(unit) else {
            throw ValidationError("--unit \(unit) is outside 0...255 (Modbus TCP unit ids are one byte)")
        }
        guard (1...60_000).contains(timeout) else { throw ValidationError("--timeout must be 1...60000 ms") }
        if let address {
            guard endpoint != nil else { throw ValidationError("a raw read needs --endpoint host:port") }
            guard endpoint!.port >= 1 else { throw ValidationError("--endpoint: port 0 cannot be connected to") }
            guard (0...65535).contains(address) else { throw ValidationError("--address must be 0...65535") }
            let limit = table.isBitTable ? 2000 : 125
            guard (1...limit).contains(count) else {
                throw ValidationError("--count must be 1...\(limit) for \(table.rawValue) (one Modbus request)")
            }
            guard address + max(count, type?.registerCount(stringLength: count) ?? 1) <= 65536 else {
                throw ValidationError("--address \(address) with --count \(count) runs past register 65535")
            }
        } else if arguments.isEmpty {
            throw ValidationError("give a plant description and tag names, or --endpoint with --address for a raw read")
        }
    }

    func run() async throws {
        if let address { return try await readRaw(address: address) }
        let file = arguments[0]
        let plant = try loadPlant(file)
        let selected = try selectedTags(of: plant, file: file)
        var failures: [String] = []
        for device in plant.devices {
            let tags = selected.filter { $0.0.name == device.name }.map(\.1)
            guard !tags.isEmpty else { continue }
            failures += await read(tags, of: device)
        }
        if !failures.isEmpty {
            throw DeviceCommandError(kind: .unavailable, message: "\(failures.count) request\(failures.count == 1 ? "" : "s") "
                + "failed: " + failures.prefix(3).joined(separator: "; "))
        }
    }

    /// One line: name, value with unit, quality (out of range, sentinel and NaN are not good).
    static func format(tag: Tag, registers: [UInt16]) -> String {
        let name = tag.name.padding(toLength: 20, withPad: " ", startingAt: 0)
        if tag.dataType == .string {
            return "\(name) \"\(RegisterCodec.decodeString(registers.prefix(tag.length), order: tag.wordOrder))\"  good"
        }
        let raw = RegisterCodec.decodeRaw(registers, as: tag.dataType, order: tag.wordOrder)
        let value = tag.scaling.apply(raw, of: tag.dataType)
        let quality: String
        if let sentinel = tag.sentinel, raw == sentinel {
            quality = "bad (sensor sentinel)"
        } else if !value.isFinite {
            quality = "bad (not a number)"
        } else if let range = tag.range, !range.contains(value) {
            quality = "bad (out of range \(RegisterScaling.text(range.lowerBound))…\(RegisterScaling.text(range.upperBound)))"
        } else {
            quality = "good"
        }
        let text = tag.dataType == .bool ? (value != 0 ? "true" : "false") : RegisterScaling.text(value)
        return "\(name) \(text) \(tag.unit.symbol)  \(quality)"
    }

    private func readRaw(address: Int) async throws {
        let endpoint = self.endpoint!
        let client = ModbusClient(endpoint: .tcp(host: endpoint.host, port: endpoint.port), unitID: UInt8(unit),
                                  timeouts: ModbusTimeouts(response: .milliseconds(timeout)))
        let width = type?.registerCount(stringLength: count) ?? 1
        let registers: [UInt16]
        do {
            registers = try await client.read(table, address: address, count: max(count, width))
        } catch {
            await client.close()
            throw DeviceCommandError(kind: .unavailable, message: "\(endpoint) unit \(unit): \(error)")
        }
        for (offset, register) in registers.enumerated() {
            print(String(format: "[%d] %5d  0x%04X", address + offset, register, register))
        }
        if let type {
            if type == .string {
                print("string: \"\(RegisterCodec.decodeString(registers, order: order))\"")
            } else {
                let value = RegisterScaling().apply(RegisterCodec.decodeRaw(registers, as: type, order: order), of: type)
                print("\(type.rawValue) \(order.rawValue): \(RegisterScaling.text(value))")
            }
        }
        await client.close()
    }
}
