import Foundation
import PlantConfig
import Simulator
import Testing

/// Numbers in a scenario file never reach a trapping operation (issue 20, point 1): every numeric key with Int64
/// and UInt64 extremes, negatives, NaN and infinities is refused with a ScenarioError or accepted within bounds
/// that a recording's Int64 milliseconds hold (`at: 1e308` once made `simulate --record` trap converting the
/// event time), and a bomb of aliases or of includes is refused before it expands.
struct HostileScenarioTests {
    static let extremes = [
        "9223372036854775807", "-9223372036854775808", "18446744073709551615", "-1", "0", "1e308", "-1e308",
        ".nan", ".inf", "-.inf", "1e308d", "99999999999999999999h", "0x10",
    ]

    static let templates = [
        "events: [{at: $, kind: stuck, tag: T}]",
        "events: [{at: 1m, for: $, kind: stuck, tag: T}]",
        "duration: $\nevents: []",
        "events: [{at: 1m, kind: drift, tag: T, value: $}]",
        "events: [{at: 1m, kind: spike, tag: T, value: $}]",
        "events: [{at: 1m, kind: noise-burst, tag: T, value: $}]",
        "events: [{at: 1m, kind: late-response, device: D, value: $}]",
        "events: [{at: 1m, kind: li-step, value: $}]",
        "events: [{at: 1m, kind: exception, device: D, range: [$, 10], code: 2}]",
        "events: [{at: 1m, kind: exception, device: D, range: [0, $], code: 2}]",
        "events: [{at: 1m, kind: exception, device: D, range: [0, 10], code: $}]",
    ]

    @Test(arguments: extremes)
    func everyNumericKeyTakesExtremes(_ value: String) {
        for template in Self.templates {
            let text = "name: hostile\n" + template.replacingOccurrences(of: "$", with: value)
            do {
                let scenario = try Scenario.parse(text, file: "hostile.yaml")
                for event in scenario.events {
                    // What a recording does with an accepted event: times in Int64 ms.
                    #expect(event.at.isFinite && event.at * 1000 < Double(Int64.max), "\(text)")
                    #expect(event.duration.map { $0.isFinite && $0 * 1000 < Double(Int64.max) } ?? true, "\(text)")
                    _ = Int64(event.at * 1000)
                }
                if let duration = scenario.duration { #expect(duration.isFinite && duration <= 1e9, "\(text)") }
            } catch let error as ScenarioError {
                #expect(!error.message.isEmpty, "\(text)")
            } catch {
                Issue.record("\(text): unexpected \(type(of: error)): \(error)")
            }
        }
    }

    @Test func anAliasBombIsRefusedBeforeItExpands() throws {
        var text = "name: bomb\nevents: []\nx0: &x0 [a, a, a, a, a, a, a, a, a]\n"
        for level in 1...9 {
            text += "x\(level): &x\(level) [" + Array(repeating: "*x\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let start = ContinuousClock.now
        let error = try #require(throws: ScenarioError.self) { try Scenario.parse(text, file: "bomb.yaml") }
        #expect(error.message.contains("aliases expand"), "\(error)")
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func anIncludeBombIsRefusedBeforeItExpands() throws {
        // Each file includes the next ten times: 10^8 events at the bottom if expanded.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-includes-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for level in 0..<9 {
            let include = level == 8 ? "[]" : "[" + Array(repeating: folder.appendingPathComponent("s\(level + 1).yaml").path, count: 10)
                .joined(separator: ", ") + "]"
            try "name: s\(level)\ninclude: \(include)\nevents: [{at: 1m, kind: pump-trip}]\n"
                .write(to: folder.appendingPathComponent("s\(level).yaml"), atomically: true, encoding: .utf8)
        }
        let start = ContinuousClock.now
        let error = try #require(throws: ScenarioError.self) {
            try Scenario.load(folder.appendingPathComponent("s0.yaml").path)
        }
        #expect(error.message.contains("events") || error.message.contains("nest"), "\(error)")
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
