import Foundation
import PlantConfig
import ProcessModel
import Testing

/// Descriptions for monitoring only (no site, brine, wells or process), units as meters and analysers give them,
/// and unit ids as each transport allows them.
@Suite struct MonitoringOnlyTests {
    static let devicesOnly = """
        id: meters
        name: Energy meters
        devices:
          - name: m1
            endpoint: {protocol: tcp, host: 127.0.0.1, port: 1502}
            tags:
              - {name: E1, table: input, address: 0, type: uint32, unit: Wh}
              - {name: E2, table: input, address: 2, type: uint32, unit: kWh}
              - {name: E3, table: input, address: 4, type: float32, unit: MWh}
              - {name: LI, table: input, address: 6, type: uint16, unit: ppm, signal: brine.li}
        """

    @Test func aDevicesOnlyDescriptionLoads() throws {
        let plant = try PlantLoader.load(yaml: Self.devicesOnly, file: "meters.yaml")
        #expect(plant.isMonitoringOnly)
        #expect(plant.site == nil && plant.brine == nil && plant.wells.isEmpty && plant.process == nil)
        #expect(plant.missingProcessSections == ["site", "brine", "wells", "process"])
        #expect(plant.allTags.count == 4)
    }

    @Test func theProcessModelRefusesItSayingWhatItLacks() throws {
        let plant = try PlantLoader.load(yaml: Self.devicesOnly, file: "meters.yaml")
        let error = try #require(throws: PlantConfigError.self) { try plant.flowsheetParameters() }
        #expect(error.issues.map(\.keyPath) == ["brine"])
        #expect(error.description.contains("monitoring only"), "\(error)")
        #expect(error.description.contains("meters.yaml"), "\(error)")
    }

    @Test func aProcessSectionWithoutBrineIsAProblem() throws {
        let yaml = Self.devicesOnly + "\nprocess: {dle: {recovery: 0.9}}\n"
        let error = try #require(throws: PlantConfigError.self) { try PlantLoader.load(yaml: yaml, file: "p.yaml") }
        #expect(error.issues.map(\.keyPath) == ["process"])
        #expect(error.issues.first?.kind == .missingKey)
        #expect(error.issues.first?.message.contains("brine") == true)
    }

    @Test func energyUnitsConvertToJoules() throws {
        let plant = try PlantLoader.load(yaml: Self.devicesOnly, file: "meters.yaml")
        let units = plant.allTags.map(\.unit)
        #expect(units.map(\.symbol) == ["Wh", "kWh", "MWh", "mg/L"])
        #expect(units[0].toSI(1) == 3600)
        #expect(units[1].toSI(1) == 3.6e6)
        #expect(units[2].toSI(2) == 7.2e9)
        #expect(EngineeringUnit.named("Wh")?.dimension == .energy)
    }

    @Test func ppmIsReadAsMilligramsPerLitreAndSaidSo() throws {
        let plant = try PlantLoader.load(yaml: Self.devicesOnly, file: "meters.yaml")
        #expect(plant.tag(named: "LI")?.unit.symbol == "mg/L")
        #expect(plant.notes.count == 1)
        #expect(plant.notes.first?.hasPrefix("meters.yaml:10:") == true, "\(plant.notes)")
        #expect(plant.notes.first?.contains("ppm read as mg/L") == true, "\(plant.notes)")
    }

    static func rtu(unitID: String, parity: String = "") -> String {
        """
        id: r
        name: RTU plant
        devices:
          - name: d
            endpoint: {protocol: rtu, device: /dev/ttyUSB0, baud: 19200\(parity)}
            unit_id: \(unitID)
            tags: [{name: T, table: holding, address: 0, type: uint16}]
        """
    }

    static func tcp(unitID: String) -> String {
        rtu(unitID: unitID).replacingOccurrences(of: "protocol: rtu, device: /dev/ttyUSB0, baud: 19200",
                                                 with: "protocol: tcp, host: 127.0.0.1, port: 502")
    }

    @Test(arguments: ["0", "1", "247", "255"])
    func tcpTakesAnyByte(_ id: String) throws {
        #expect(try PlantLoader.load(yaml: Self.tcp(unitID: id), file: "t.yaml").devices[0].unitID == Int(id))
    }

    @Test(arguments: [("0", "0 is broadcast"), ("248", "outside 1...247 for RTU"), ("255", "outside 1...247 for RTU")])
    func rtuTakesOneTo247(_ id: String, _ message: String) throws {
        let error = try #require(throws: PlantConfigError.self) { try PlantLoader.load(yaml: Self.rtu(unitID: id), file: "r.yaml") }
        #expect(error.issues.map(\.kind) == [.invalidUnitID])
        #expect(error.issues.first?.line == 6)
        #expect(error.issues.first?.message.contains(message) == true, "\(error)")
    }

    @Test func tcpUnitIDsAboveAByteAreRefused() throws {
        let error = try #require(throws: PlantConfigError.self) { try PlantLoader.load(yaml: Self.tcp(unitID: "256"), file: "t.yaml") }
        #expect(error.issues.first?.message == "unit id 256 is outside 0...255 for TCP")
    }

    @Test func aDefaultParityIsSaid() throws {
        let defaulted = try PlantLoader.load(yaml: Self.rtu(unitID: "1"), file: "r.yaml")
        #expect(defaulted.notes.count == 1)
        #expect(defaulted.notes.first?.contains("parity: not given: even") == true, "\(defaulted.notes)")
        let given = try PlantLoader.load(yaml: Self.rtu(unitID: "1", parity: ", parity: none"), file: "r.yaml")
        #expect(given.notes.isEmpty)
        guard case let .rtu(_, _, parity, _, _) = given.devices[0].endpoint else { Issue.record("not RTU"); return }
        #expect(parity == .none)
    }

    @Test func retriesAndTheDownDelayHaveDefaultsAndLimits() throws {
        let plant = try PlantLoader.load(yaml: Self.devicesOnly, file: "meters.yaml")
        #expect(plant.devices[0].retries == 1)
        #expect(plant.devices[0].downDelay == nil)
        #expect(plant.devices[0].effectiveDownDelay == .seconds(2), "two periods of the default 1 s scan group")
        let set = Self.devicesOnly.replacingOccurrences(
            of: "    endpoint: {protocol: tcp, host: 127.0.0.1, port: 1502}",
            with: "    endpoint: {protocol: tcp, host: 127.0.0.1, port: 1502}\n    retries: 3\n    down_delay: 10s\n"
                + "    scan_groups: [{name: fast, period: 250ms}, {name: slow, period: 5s}]")
        let configured = try PlantLoader.load(yaml: set, file: "m.yaml").devices[0]
        #expect(configured.retries == 3 && configured.effectiveDownDelay == .seconds(10))
        let defaulted = try PlantLoader.load(yaml: set.replacingOccurrences(of: "    down_delay: 10s\n", with: ""), file: "m.yaml")
        #expect(defaulted.devices[0].effectiveDownDelay == .milliseconds(500), "two periods of the fastest group")
        let bad = set.replacingOccurrences(of: "retries: 3", with: "retries: 11").replacingOccurrences(of: "10s", with: "2h")
        let error = try #require(throws: PlantConfigError.self) { try PlantLoader.load(yaml: bad, file: "m.yaml") }
        #expect(error.issues.map(\.keyPath) == ["devices[0].retries", "devices[0].down_delay"], "\(error)")
    }
}
