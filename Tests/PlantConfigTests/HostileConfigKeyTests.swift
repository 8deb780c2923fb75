import Foundation
import PlantConfig
import ProcessModel
import Testing

/// The keys HostileNumberTests does not reach (issue 20, point 1): the plant's site, brine and wells, every alarm
/// key, the device's flags, every key of the `process:` section (from the parameter catalogue, so a key added
/// later is covered), and alarm override files. Each takes Int64/UInt64 extremes, negatives, NaN and
/// infinities, and is accepted with a usable value or reported; nothing traps.
struct HostileConfigKeyTests {
    static let extremes = HostileNumberTests.extremes + ["nan", "inf", "-0", "1e-320", "true", "\"\""]

    /// (line of the minimal plant, replacement with `$`); line 0 appends the text at the end of the file.
    static let templates: [(Int, String)] = [
        (3, "site: {name: S, country: FR, latitude: $, longitude: 7}"),
        (3, "site: {name: S, country: FR, latitude: 48, longitude: $}"),
        (4, "brine: {temperature: $, tds: 100, composition: {Li: 170}, sources: [s]}"),
        (4, "brine: {temperature: 150, tds: $, composition: {Li: 170}, sources: [s]}"),
        (4, "brine: {temperature: 150, tds: 100, density: $, composition: {Li: 170}, sources: [s]}"),
        (4, "brine: {temperature: 150, tds: 100, composition: {Li: $, Na: $}, sources: [s]}"),
        (0, "wells: [{name: W, role: production, flow: $, temperature: 150}]"),
        (0, "wells: [{name: W, role: production, flow: 100, temperature: $, pressure: $}]"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, unit: bar, alarms: {low_low: $, low: 1, high: 5}}"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, unit: bar, alarms: {low: 1, high_high: $}}"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, unit: bar, alarms: {high: 5, rate_of_change: $}}"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, unit: bar, alarms: {high: 5, deadband: $, off_delay: $}}"),
        (12, "      - {name: A, table: holding, address: 0, type: float32, unit: bar, alarms: {high: 5, off_delay: ${s}}}"),
        (13, "    any_unit: $"),
        (13, "    close_after_poll: $"),
    ]

    static func yaml(line: Int, _ text: String) -> String {
        if line == 0 { return minimalLines.joined(separator: "\n") + "\n" + text }
        return HostileNumberTests.yaml(line: line, text)
    }

    static func expectUsableOrReported(_ yaml: String, _ label: String) {
        do {
            let plant = try PlantLoader.load(yaml: yaml, file: "hostile.yaml")
            for tag in plant.allTags {
                if let range = tag.range { #expect(range.lowerBound.isFinite && range.upperBound.isFinite, "\(label)") }
                if let alarms = tag.alarms {
                    for limit in [alarms.lowLow, alarms.low, alarms.high, alarms.highHigh, alarms.rateOfChange].compactMap({ $0 }) {
                        #expect(limit.isFinite, "\(label)")
                    }
                }
            }
            #expect((plant.brine?.temperature.isFinite ?? true) && (plant.brine?.tds.isFinite ?? true), "\(label)")
            if plant.isMonitoringOnly { return }
            _ = try plant.flowsheetParameters()
        } catch let error as PlantConfigError {
            #expect(!error.issues.isEmpty && error.issues.allSatisfy { $0.line >= 1 }, "\(label)")
        } catch {
            Issue.record("\(label): unexpected \(type(of: error)): \(error)")
        }
    }

    @Test(arguments: extremes)
    func plantSiteBrineWellsAlarmsAndFlags(_ value: String) {
        for (line, template) in Self.templates {
            let text = template.replacingOccurrences(of: "${s}", with: value + "s").replacingOccurrences(of: "$", with: value)
            Self.expectUsableOrReported(Self.yaml(line: line, text), text)
        }
    }

    /// Every key of the parameter catalogue, nested as a plant file writes it, with every extreme, bare and with
    /// the key's unit.
    @Test(arguments: extremes)
    func everyProcessKey(_ value: String) {
        for parameter in ProcessParameterCatalogue.all {
            let parts = parameter.key.split(separator: ".").map(String.init)
            for written in [value, "\(value) \(parameter.unit ?? "")"] {
                var block = "process:\n"
                for (depth, part) in parts.enumerated() {
                    block += String(repeating: "  ", count: depth + 1) + part + ":" + (depth == parts.count - 1 ? " \(written)\n" : "\n")
                }
                Self.expectUsableOrReported(minimalLines.joined(separator: "\n") + "\n" + block, "\(parameter.key) = \(written)")
            }
        }
    }

    @Test(arguments: extremes)
    func alarmOverrideFiles(_ value: String) throws {
        let plant = try PlantLoader.load(yaml: minimalLines.joined(separator: "\n"), file: "minimal.yaml")
        for body in ["{high: $}", "{low: $, high: 10}", "{high: 5, priority: $}", "{high: 5, on_delay: $}", "{high: 5, deadband: $}"] {
            let text = "alarms:\n  A: " + body.replacingOccurrences(of: "$", with: value)
            do {
                let overrides = try AlarmOverrides.load(yaml: text, file: "alarms.yaml", plant: plant)
                let limits = overrides.limits["A"] ?? nil
                #expect(limits.map { [$0.low, $0.high].compactMap { $0 }.allSatisfy(\.isFinite) } ?? true, "\(text)")
            } catch let error as PlantConfigError {
                #expect(!error.issues.isEmpty, "\(text)")
            }
        }
    }
}
