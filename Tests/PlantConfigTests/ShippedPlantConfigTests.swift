import Foundation
import PlantConfig
import ProcessModel
import RegisterVocabulary
import Testing

/// The repository's PlantConfigs/ folder, found from this file's path.
let plantConfigsFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("PlantConfigs")

@Suite("Shipped plant descriptions")
struct ShippedPlantConfigTests {
    static let files = ["soultz-sous-forets.yaml", "rittershoffen.yaml", "insheim.yaml", "demo.yaml"]

    @Test(arguments: files)
    func loadsWithoutIssues(_ file: String) throws {
        let plant = try PlantLoader.load(path: plantConfigsFolder.appendingPathComponent(file).path)
        #expect(plant.devices.count >= 3)
        #expect(plant.allTags.count >= 40)
        // Mixed word orders as real meters use (docs/sources.md §5.2): at least ABCD and CDAB among 32-bit tags.
        let orders = Set(plant.allTags.filter { $0.registerCount >= 2 && $0.dataType != .string }.map(\.wordOrder))
        #expect(orders.isSuperset(of: [.abcd, .cdab]))
        // Every endpoint is TCP on loopback, on distinct ports.
        var ports: Set<Int> = []
        for device in plant.devices {
            guard case let .tcp(host, port) = device.endpoint else {
                Issue.record("\(device.name) is not a TCP endpoint")
                continue
            }
            #expect(host == "127.0.0.1")
            #expect(ports.insert(port).inserted)
        }
        // The catalogue's main signals are bound.
        let bound = Set(plant.allTags.compactMap(\.signal))
        for signal in [
            "production.flow", "production.temperature", "production.pressure", "brine.li", "dle.outlet.li",
            "dle.column.1.dp", "eluate.flow", "eluate.li", "freshwater.flow", "product.rate", "reinjection.flow",
            "reinjection.temperature", "power.total",
        ] {
            #expect(bound.contains(signal), "\(file) does not bind \(signal)")
        }
        // Brine figures are sourced.
        #expect(plant.brine?.lithium != nil)
        #expect(plant.brine?.sources.isEmpty == false)
        #expect(plant.process != nil)
    }

    @Test func portsAreDistinctAcrossPlants() throws {
        var ports: [Int] = []
        for file in Self.files {
            let plant = try PlantLoader.load(path: plantConfigsFolder.appendingPathComponent(file).path)
            for device in plant.devices {
                if case let .tcp(_, port) = device.endpoint { ports.append(port) }
            }
        }
        #expect(Set(ports).count == ports.count)
    }

    @Test func demoIsTheSmallest() throws {
        let counts = try Self.files.map {
            try PlantLoader.load(path: plantConfigsFolder.appendingPathComponent($0).path).allTags.count
        }
        #expect(counts.last == counts.min())
    }

    @Test func soultzFiguresMatchReference() throws {
        let plant = try PlantLoader.load(
            path: plantConfigsFolder.appendingPathComponent("soultz-sous-forets.yaml").path)
        // docs/sources.md §1.1: Li 170 mg/L, TDS ≈100 g/L, 159 °C at 24 L/s (2011).
        #expect(plant.brine?.lithium == 170)
        #expect(plant.brine?.tds == 100)
        #expect(plant.brine?.temperature == 159)
        let production = try #require(plant.wells.first { $0.role == .production })
        #expect(abs(production.flow - 24 * 3.6) < 1e-9)
        let flow = try #require(plant.tag(named: "PW1.FT101"))
        #expect(flow.wordOrder == .cdab)
        #expect(flow.unit.symbol == "L/s")
        #expect(flow.registerCount == 2)
        #expect(flow.location.line > 1)
    }
}

@Suite("Plant description details")
struct PlantConfigDetailTests {
    @Test(arguments: [
        (RegisterDataType.bool, 0, 1), (.int16, 0, 1), (.uint16, 0, 1), (.int32, 0, 2), (.uint32, 0, 2),
        (.float32, 0, 2), (.int64, 0, 4), (.uint64, 0, 4), (.float64, 0, 4), (.string, 8, 8),
    ])
    func registerCount(_ type: RegisterDataType, _ length: Int, _ expected: Int) {
        let tag = Tag(
            name: "T", table: .holding, address: 10, dataType: type, length: length,
            unit: EngineeringUnit.named("1")!, scanGroup: "g", location: .init(file: "f", line: 1, column: 1))
        #expect(tag.registerCount == expected)
        #expect(tag.lastAddress == 10 + expected - 1)
    }

    struct Sorbent: Decodable {
        var type: String
        var capacity: Double
        enum CodingKeys: String, CodingKey {
            case type
            case capacity = "capacity_mg_per_g"
        }
    }

    struct Process: Decodable {
        var sorbent: Sorbent
        var hours: Int
        enum CodingKeys: String, CodingKey {
            case sorbent
            case hours = "availability_hours_per_year"
        }
    }

    static func plant(process: String) -> String {
        minimalLines.joined(separator: "\n") + "\nprocess:\n" + process
    }

    @Test func processSectionDecodes() throws {
        let yaml = Self.plant(process: "  sorbent: {type: LDH, capacity_mg_per_g: 5.0}\n  availability_hours_per_year: 8000\n")
        let plant = try PlantLoader.load(yaml: yaml, file: "p.yaml")
        let process = try #require(plant.process).decode(Process.self)
        #expect(process.sorbent.type == "LDH")
        #expect(process.sorbent.capacity == 5.0)
        #expect(process.hours == 8000)
    }

    /// A bad process value stops the load, at the value's line and column.
    @Test func processValueErrorNamesPosition() throws {
        let yaml = Self.plant(process: "  sorbent: {type: LDH, capacity_mg_per_g: lots}\n  availability_hours_per_year: 8000\n")
        let error = try #require(throws: PlantConfigError.self) { try PlantLoader.load(yaml: yaml, file: "p.yaml") }
        let issue = try #require(error.issues.first)
        #expect(issue.file == "p.yaml")
        #expect(issue.line == minimalLines.count + 2)
        #expect(issue.column == 43)  // `lots`
        #expect(issue.keyPath == "process.sorbent.capacity_mg_per_g")
        #expect(issue.kind == .invalidValue)
        #expect(issue.message.contains("not a number"))
    }

    /// ConfigNode.decode still names the mapping that lacks a key its type requires.
    @Test func processMissingKeyNamesMapping() throws {
        let yaml = Self.plant(process: "  sorbent: {type: LDH}\n  availability_hours_per_year: 8000\n")
        let plant = try PlantLoader.load(yaml: yaml, file: "p.yaml")
        let error = try #require(throws: PlantConfigError.self) { try plant.process!.decode(Process.self) }
        let issue = try #require(error.issues.first)
        #expect(issue.kind == .missingKey)
        #expect(issue.keyPath == "process.sorbent")
        #expect(issue.line == minimalLines.count + 2)
        #expect(issue.column == 12)
        #expect(issue.message.contains("capacity"))
    }

    static let garbage: [String] = [
        "", "   \n\n", "- a\n- b\n", "just a string", "42", "{", "[", "a: [", "id: {", ":::", "? ? ?",
        "\u{0}\u{1}\u{2}", String(decoding: [0xFF, 0xFE, 0x00, 0x41, 0xC3, 0x28], as: UTF8.self),
        "id: &a [*a]", "id: *undefined", "%YAML 9.9\n---\nid: x", "id: x\nid: y",
        "devices: [[[[[[[[[[]]]]]]]]]]", "devices: [{tags: [{address: 1e400}]}]",
        "devices: [{unit_id: 999999999999999999999999, tags: [{address: 99999999999999999999, scale: 1e999}]}]",
        "devices: [{timeouts: {response: 1e300s}, scan_groups: [{period: -1s}], tags: {}}]",
        String(repeating: "devices:\n", count: 3), "\t\tid:\tx",
        String(repeating: "[", count: 100_000), "devices: [" + String(repeating: "{a: ", count: 900) + "1"
            + String(repeating: "}", count: 900) + "]",
        minimalLines.joined(separator: "\n").replacingOccurrences(of: "tags:", with: "tags: 7"),
        minimalLines.joined(separator: "\n").replacingOccurrences(of: "{", with: "[").replacingOccurrences(
            of: "}", with: "]"),
    ]

    @Test(arguments: garbage)
    func garbageIsReportedNotCrashed(_ yaml: String) {
        do {
            _ = try PlantLoader.load(yaml: yaml, file: "junk.yaml")
            Issue.record("garbage loaded as a plant: \(yaml.debugDescription)")
        } catch let error as PlantConfigError {
            #expect(!error.issues.isEmpty)
            #expect(error.issues.allSatisfy { $0.line >= 1 && $0.column >= 1 && $0.file == "junk.yaml" })
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func rtuEndpointAndHexAddressLoad() throws {
        var lines = minimalLines
        lines[6] = "    endpoint: {protocol: rtu, device: /dev/ttyUSB0, baud: 9600, parity: none, stop_bits: 2}"
        lines[12] = "      - {name: B, table: input, address: 0x10, type: uint16, unit: \"°C\"}"
        let plant = try PlantLoader.load(yaml: lines.joined(separator: "\n"), file: "rtu.yaml")
        let expected = Endpoint.rtu(device: "/dev/ttyUSB0", baud: 9600, parity: .none, dataBits: 8, stopBits: 2)
        #expect(plant.devices[0].endpoint == expected)
        #expect(plant.tag(named: "B")?.address == 16)
    }

    @Test func tcpKeysOnRTUEndpointAreRejected() throws {
        var lines = minimalLines
        lines[6] = "    endpoint: {protocol: rtu, device: /dev/ttyS0, baud: 19200, port: 502}"
        let error = try #require(throws: PlantConfigError.self) {
            try PlantLoader.load(yaml: lines.joined(separator: "\n"), file: "rtu.yaml")
        }
        #expect(error.issues.map(\.kind) == [.unknownKey])
        #expect(error.issues.first?.keyPath == "devices[0].endpoint.port")
        #expect(error.issues.first?.line == 7)
    }

    @Test func binaryFileIsReportedNotCrashed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-junk-\(UUID()).yaml")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: PlantConfigError.self) { try PlantLoader.load(path: url.path) }
    }
}
