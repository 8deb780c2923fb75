import ArgumentParser
import Foundation
import Modbus
import PlantConfig
import ProcessModel

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

    @Option(help: "Connect here instead of the configured endpoint (host:port), e.g. to a simulator.")
    var endpoint: String?

    @Option(help: "Raw read: unit id.")
    var unit: Int = 1

    @Option(help: "Raw read: table (coil, discrete_input, holding, input).")
    var table: String = "holding"

    @Option(help: "Raw read: first address (0-based).")
    var address: Int?

    @Option(help: "Raw read: registers (or bits).")
    var count: Int = 1

    @Option(help: "Raw read: decode as this type (int16 … float64, string).")
    var type: String?

    @Option(help: "Raw read: word order (ABCD, CDAB, BADC, DCBA).")
    var order: String = "ABCD"

    @Option(help: "Response timeout, ms.")
    var timeout: Int = 1000

    func run() async throws {
        if let address { return try await readRaw(address: address) }
        guard let file = arguments.first else {
            throw ValidationError("give a plant description and tag names, or --endpoint with --address for a raw read")
        }
        let plant = try loadPlant(file)
        let names = Array(arguments.dropFirst())
        var selected: [(Device, Tag)] = []
        for device in plant.devices where self.device == nil || device.name == self.device {
            for tag in device.tags where names.isEmpty || names.contains(tag.name) { selected.append((device, tag)) }
        }
        let unknown = names.filter { name in !selected.contains { $0.1.name == name } }
        guard unknown.isEmpty else { throw ValidationError("no tag \(unknown.joined(separator: ", ")) in \(file)") }
        var failures = 0
        for device in plant.devices {
            let tags = selected.filter { $0.0.name == device.name }.map(\.1)
            guard !tags.isEmpty else { continue }
            var target = device.endpoint.modbusEndpoint
            if let endpoint { target = try Self.parse(endpoint: endpoint) }
            let client = ModbusClient(endpoint: target, unitID: UInt8(clamping: device.unitID), anyUnit: device.anyUnit,
                                      timeouts: ModbusTimeouts(connect: device.timeouts.connect,
                                                               response: .milliseconds(timeout), byte: device.timeouts.byte))
            let items = tags.map { ReadItem(table: $0.table, address: $0.address, count: max(1, $0.registerCount)) }
            let plan = ReadPlan(items: items, limits: device.readLimits)
            for request in plan.requests {
                do {
                    let registers = try await client.read(request.table, address: request.address, count: request.count)
                    for index in request.items {
                        let tag = tags[index]
                        let slice = Array(registers[(tag.address - request.address)...])
                        print(Self.format(tag: tag, registers: slice))
                    }
                } catch {
                    failures += request.items.count
                    for index in request.items {
                        print("\(tags[index].name.padding(toLength: 20, withPad: " ", startingAt: 0)) —  bad (\(error))")
                    }
                }
            }
            await client.close()
        }
        if failures > 0 { throw ExitCode(2) }
    }

    /// One line: name, value with unit, quality (out of range, sentinel and NaN are not good).
    static func format(tag: Tag, registers: [UInt16]) -> String {
        let name = tag.name.padding(toLength: 20, withPad: " ", startingAt: 0)
        if tag.dataType == .string {
            return "\(name) \"\(RegisterCodec.decodeString(registers.prefix(tag.length), order: tag.wordOrder))\"  good"
        }
        let raw = RegisterCodec.decodeRaw(registers, as: tag.dataType, order: tag.wordOrder)
        let value = raw * tag.scale + tag.offset
        let quality: String
        if let sentinel = tag.sentinel, raw == sentinel {
            quality = "bad (sensor sentinel)"
        } else if !value.isFinite {
            quality = "bad (not a number)"
        } else if let range = tag.range, !range.contains(value) {
            quality = "bad (out of range \(range.lowerBound)…\(range.upperBound))"
        } else {
            quality = "good"
        }
        let text = tag.dataType == .bool ? (value != 0 ? "true" : "false") : String(format: "%.6g", value)
        return "\(name) \(text) \(tag.unit.symbol)  \(quality)"
    }

    private func readRaw(address: Int) async throws {
        guard let endpoint else { throw ValidationError("a raw read needs --endpoint host:port") }
        guard let table = RegisterTable(rawValue: table) else {
            throw ValidationError("unknown table '\(table)' (coil, discrete_input, holding, input)")
        }
        guard let order = WordOrder(rawValue: order.uppercased()) else { throw ValidationError("unknown word order '\(order)'") }
        let dataType = try type.map { name in
            guard let type = RegisterDataType(rawValue: name) else { throw ValidationError("unknown type '\(name)'") }
            return type
        }
        let client = ModbusClient(endpoint: try Self.parse(endpoint: endpoint), unitID: UInt8(clamping: unit),
                                  timeouts: ModbusTimeouts(response: .milliseconds(timeout)))
        let width = dataType?.registerCount(stringLength: count) ?? 1
        let registers = try await client.read(table, address: address, count: max(count, width))
        for (offset, register) in registers.enumerated() {
            print(String(format: "[%d] %5d  0x%04X", address + offset, register, register))
        }
        if let dataType {
            if dataType == .string {
                print("string: \"\(RegisterCodec.decodeString(registers, order: order))\"")
            } else {
                print("\(dataType.rawValue) \(order.rawValue): \(RegisterCodec.decodeRaw(registers, as: dataType, order: order))")
            }
        }
        await client.close()
    }

    /// `host:port`, `[v6]:port` or `tcp://host:port`.
    static func parse(endpoint text: String) throws -> ModbusEndpoint {
        var rest = Substring(text)
        if rest.hasPrefix("tcp://") { rest = rest.dropFirst(6) }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
            throw ValidationError("endpoint '\(text)' is not host:port")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return .tcp(host: host, port: port)
    }
}
