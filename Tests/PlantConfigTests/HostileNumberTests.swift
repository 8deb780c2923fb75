import Foundation
import PlantConfig
import Testing

/// Numbers in a plant file never reach a trapping operation: every numeric key of the minimal plant, given
/// Int64/UInt64 extremes, negatives, NaN and infinities, is either accepted or reported; the loader never uses
/// a value it reported (issue 20, point 3: `length: 9223372036854775807` and `address: 9223372036854775807`
/// were reported, then overflowed `address + count` in the overlap check, stopping `check-config`, `plan` and a
/// daemon reloading on SIGHUP).
struct HostileNumberTests {
    static let extremes = [
        "9223372036854775807", "-9223372036854775808", "18446744073709551615", "9223372036854775808",
        "-1", "0", "65535", "65536", "1e308", "-1e308", ".nan", ".inf", "-.inf", "0x7fffffffffffffff",
        "99999999999999999999999",
    ]

    /// A line of the minimal plant with one value replaced: (line number, template with `$`).
    static let templates: [(Int, String)] = [
        (7, "    endpoint: {protocol: tcp, host: 127.0.0.1, port: $}"),
        (8, "    unit_id: $"),
        (9, "    timeouts: {response: $, byte: 50ms, connect: 2s}"),
        (9, "    timeouts: {response: ${s}, byte: 50ms, connect: 2s}"),
        (10, "    scan_groups: [{name: fast, period: $}, {name: slow, period: 30s}]"),
        (10, "    scan_groups: [{name: fast, period: ${ms}}, {name: slow, period: 30s}]"),
        (12, "      - {name: A, table: holding, address: $, type: float32, unit: bar, signal: production.pressure}"),
        (12, "      - {name: A, table: holding, address: $, type: string, length: 4, unit: bar}"),
        (12, "      - {name: A, table: holding, address: 100, type: string, length: $, unit: bar}"),
        (12, "      - {name: A, table: holding, address: $, type: string, length: $, unit: bar}"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, scale: $, offset: $, unit: bar}"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, range: [$, 10], deadband: $, unit: bar}"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, sentinel: $, unit: bar}"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, unit: bar, alarms: {high: $, priority: $, on_delay: $}}"),
        (13, "    max_registers_per_request: $"),
        (13, "    max_gap: $"),
        (13, "    max_bits_per_request: $"),
    ]

    static func yaml(line: Int, _ text: String) -> String {
        var lines = minimalLines
        if line == 13 && !text.hasPrefix("      -") {
            // Device-level keys go before `tags:` (line 11).
            lines.insert(text, at: 10)
        } else {
            lines[line - 1] = text
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: extremes)
    func everyNumericKeyTakesExtremes(_ value: String) {
        for (line, template) in Self.templates {
            let text = template.replacingOccurrences(of: "${s}", with: value + "s")
                .replacingOccurrences(of: "${ms}", with: value + "ms")
                .replacingOccurrences(of: "$", with: value)
            do {
                let plant = try PlantLoader.load(yaml: Self.yaml(line: line, text), file: "hostile.yaml")
                // Accepted: everything the plant exposes is usable without arithmetic surprises.
                for device in plant.devices {
                    for tag in device.tags {
                        #expect((0...65535).contains(tag.address) && tag.lastAddress <= 65535, "\(text)")
                    }
                    for group in device.scanGroups { _ = device.readPlan(group: group.name) }
                }
            } catch let error as PlantConfigError {
                #expect(!error.issues.isEmpty, "\(text)")
                #expect(error.issues.allSatisfy { $0.line >= 1 && $0.column >= 1 }, "\(text)")
            } catch {
                Issue.record("\(text): unexpected \(type(of: error)): \(error)")
            }
        }
    }

    @Test func hugeLengthAndAddressAreReportedNotUsed() throws {
        let cases: [(String, PlantConfigError.Kind, String)] = [
            ("      - {name: A, table: holding, address: 100, type: string, length: 9223372036854775807, unit: bar}",
             .invalidValue, "devices[0].tags[0].length"),
            ("      - {name: A, table: holding, address: 9223372036854775807, type: float32, unit: bar}",
             .addressOutOfRange, "devices[0].tags[0].address"),
            ("      - {name: A, table: holding, address: 65500, type: string, length: 100, unit: bar}",
             .addressOutOfRange, "devices[0].tags[0].address"),
        ]
        for (line, kind, keyPath) in cases {
            let error = try #require(throws: PlantConfigError.self) {
                try PlantLoader.load(yaml: Self.yaml(line: 12, line), file: "hostile.yaml")
            }
            #expect(error.issues.contains { $0.kind == kind && $0.keyPath == keyPath }, "\(line): \(error)")
        }
    }
}
