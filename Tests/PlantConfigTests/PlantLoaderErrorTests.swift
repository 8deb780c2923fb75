import Foundation
import PlantConfig
import Testing

/// The minimal valid plant (Fixtures/minimal.yaml), line by line, so that each case can replace one line.
let minimalLines: [String] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/minimal.yaml")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}()

/// One broken variant of the minimal plant: line `line` replaced, the issue expected at the column where
/// `token` starts in the new line (plus `shift`).
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var kind: PlantConfigError.Kind
    var line: Int
    var replacement: String
    var token: String
    var shift = 0
    var keyPath: String
    var message: String = ""

    var testDescription: String { "\(kind) at line \(line)" }

    var expectedColumn: Int {
        guard let range = replacement.range(of: token) else { return -1 }
        return replacement.unicodeScalars.distance(
            from: replacement.unicodeScalars.startIndex,
            to: range.lowerBound.samePosition(in: replacement.unicodeScalars)!
        ) + 1 + shift
    }

    var yaml: String {
        var lines = minimalLines
        lines[line - 1] = replacement
        return lines.joined(separator: "\n")
    }
}

let tagA = "      - {name: A, table: holding, address: 0, type: float32, unit: bar, signal: production.pressure}"
let tagB = "      - {name: B, table: input, address: 0, type: uint16, unit: \"°C\", scan_group: slow}"

let errorCases: [ErrorCase] = [
    ErrorCase(
        kind: .missingKey, line: 7, replacement: "    endpoint: {protocol: tcp, port: 15020}",
        token: "{protocol", keyPath: "devices[0].endpoint", message: "missing required key \"host\""),
    ErrorCase(
        kind: .unknownKey, line: 8, replacement: "    unit_idd: 1", token: "unit_idd",
        keyPath: "devices[0].unit_idd", message: "did you mean \"unit_id\"?"),
    ErrorCase(
        kind: .wrongType, line: 8, replacement: "    unit_id: one", token: "one",
        keyPath: "devices[0].unit_id", message: "expected an integer"),
    ErrorCase(
        kind: .wrongType, line: 8, replacement: "    unit_id: 99999999999999999999999999", token: "9999",
        keyPath: "devices[0].unit_id", message: "expected an integer"),
    ErrorCase(
        kind: .duplicateName, line: 13,
        replacement: "      - {name: A, table: input, address: 0, type: uint16, unit: \"°C\"}",
        token: "A,", keyPath: "devices[0].tags[1].name", message: "duplicate tag name \"A\""),
    ErrorCase(
        kind: .overlappingRegisters, line: 13,
        replacement: "      - {name: B, table: holding, address: 1, type: uint16, unit: \"°C\"}",
        token: "1,", keyPath: "devices[0].tags[1].address", message: "overlaps tag \"A\""),
    ErrorCase(
        kind: .addressOutOfRange, line: 12,
        replacement: "      - {name: A, table: holding, address: 65535, type: float32, unit: bar}",
        token: "65535", keyPath: "devices[0].tags[0].address", message: "runs past 65535"),
    ErrorCase(
        kind: .addressOutOfRange, line: 12,
        replacement: "      - {name: A, table: holding, address: -1, type: int16, unit: bar}",
        token: "-1", keyPath: "devices[0].tags[0].address", message: "outside 0...65535"),
    ErrorCase(
        kind: .unknownDataType, line: 12,
        replacement: "      - {name: A, table: holding, address: 0, type: float33, unit: bar}",
        token: "float33", keyPath: "devices[0].tags[0].type", message: "did you mean \"float32\"?"),
    ErrorCase(
        kind: .unknownWordOrder, line: 12,
        replacement: "      - {name: A, table: holding, address: 0, type: float32, word_order: ADCB, unit: bar}",
        token: "ADCB", keyPath: "devices[0].tags[0].word_order", message: "unknown word order"),
    ErrorCase(
        kind: .unknownUnit, line: 12,
        replacement: "      - {name: A, table: holding, address: 0, type: float32, unit: bars}",
        token: "bars", keyPath: "devices[0].tags[0].unit", message: "did you mean \"bar\"?"),
    ErrorCase(
        kind: .unknownSignal, line: 12,
        replacement: "      - {name: A, table: holding, address: 0, type: float32, unit: bar, signal: dle.column.x.dp}",
        token: "dle.column", keyPath: "devices[0].tags[0].signal", message: "unknown signal"),
    ErrorCase(
        kind: .unitMismatch, line: 12,
        replacement:
            "      - {name: A, table: holding, address: 0, type: float32, unit: kW, signal: production.pressure}",
        token: "kW", keyPath: "devices[0].tags[0].unit", message: "signal production.pressure is a pressure"),
    ErrorCase(
        kind: .alarmOrder, line: 12,
        replacement:
            "      - {name: A, table: holding, address: 0, type: float32, unit: bar, "
            + "alarms: {low_low: 5, low: 10, high: 8}}",
        token: "8}", keyPath: "devices[0].tags[0].alarms.high", message: "must be above low 10"),
    ErrorCase(
        kind: .invalidRange, line: 12,
        replacement: "      - {name: A, table: holding, address: 0, type: float32, unit: bar, range: [5, 1]}",
        token: "[5", keyPath: "devices[0].tags[0].range", message: "minimum 5.0 must be below maximum 1.0"),
    ErrorCase(
        kind: .invalidTimeout, line: 9, replacement: "    timeouts: {response: 0ms, byte: 50ms, connect: 2s}",
        token: "0ms", keyPath: "devices[0].timeouts.response", message: "above 0"),
    ErrorCase(
        kind: .invalidTimeout, line: 9, replacement: "    timeouts: {response: 500ms, byte: 50ms, connect: 61s}",
        token: "61s", keyPath: "devices[0].timeouts.connect", message: "at most 60 s"),
    ErrorCase(
        kind: .invalidScanPeriod, line: 10,
        replacement: "    scan_groups: [{name: fast, period: 5ms}, {name: slow, period: 30s}]",
        token: "5ms", keyPath: "devices[0].scan_groups[0].period", message: "between 10 ms and 1 day"),
    ErrorCase(
        kind: .invalidScanPeriod, line: 10,
        replacement: "    scan_groups: [{name: fast, period: 1s}, {name: slow, period: 2d}]",
        token: "2d", keyPath: "devices[0].scan_groups[1].period", message: "between 10 ms and 1 day"),
    ErrorCase(
        kind: .invalidUnitID, line: 8, replacement: "    unit_id: 256", token: "256",
        keyPath: "devices[0].unit_id", message: "outside 0...255 for TCP"),
    ErrorCase(
        kind: .invalidPort, line: 7, replacement: "    endpoint: {protocol: tcp, host: 127.0.0.1, port: 65536}",
        token: "65536", keyPath: "devices[0].endpoint.port", message: "outside 1...65535"),
    ErrorCase(
        kind: .invalidValue, line: 13,
        replacement: "      - {name: B, table: input, address: 0, type: uint16, unit: \"°C\", scan_group: slwo}",
        token: "slwo", keyPath: "devices[0].tags[1].scan_group", message: "did you mean \"slow\"?"),
    ErrorCase(
        kind: .invalidValue, line: 13,
        replacement: "      - {name: B, table: coil, address: 0, type: uint16, unit: \"1\"}",
        token: "uint16", keyPath: "devices[0].tags[1].type", message: "use type bool"),
]

@Suite("Plant description errors")
struct PlantLoaderErrorTests {
    @Test func minimalFixtureLoads() throws {
        let plant = try PlantLoader.load(yaml: minimalLines.joined(separator: "\n"), file: "minimal.yaml")
        #expect(plant.devices.count == 1)
        #expect(plant.allTags.map(\.name) == ["A", "B"])
        #expect(plant.devices[0].tags[1].scanGroup == "slow")
        #expect(plant.devices[0].tags[0].scanGroup == "fast")
    }

    @Test(arguments: errorCases)
    func reportsKindAtExactPosition(_ errorCase: ErrorCase) throws {
        let error = try #require(throws: PlantConfigError.self) {
            try PlantLoader.load(yaml: errorCase.yaml, file: "case.yaml")
        }
        #expect(error.issues.count == 1, "\(error)")
        let issue = try #require(error.issues.first)
        #expect(issue.kind == errorCase.kind)
        #expect(issue.file == "case.yaml")
        #expect(issue.line == errorCase.line)
        #expect(errorCase.expectedColumn > 0)
        #expect(issue.column == errorCase.expectedColumn, "\(issue)")
        #expect(issue.keyPath == errorCase.keyPath)
        #expect(issue.message.contains(errorCase.message), "\(issue.message)")
        #expect(
            issue.description.hasPrefix(
                "case.yaml:\(errorCase.line):\(errorCase.expectedColumn): \(errorCase.keyPath): "))
    }

    @Test func yamlSyntaxErrorCarriesYamsPosition() throws {
        var lines = minimalLines
        lines[2] = "site: {name: S, country: FR"  // unclosed flow mapping
        let error = try #require(throws: PlantConfigError.self) {
            try PlantLoader.load(yaml: lines.joined(separator: "\n"), file: "syntax.yaml")
        }
        let issue = try #require(error.issues.first)
        #expect(error.issues.count == 1)
        #expect(issue.kind == .yamlSyntax)
        // libyaml notices the missing `}` where the next key starts: line 4, column 6 (`: ` after `brine`).
        #expect(issue.line == 4)
        #expect(issue.column == 6)
    }

    @Test func duplicateKeyPointsAtSecondOccurrence() throws {
        var lines = minimalLines
        lines.insert("    unit_id: 2", at: 8)  // a second unit_id, on line 9
        let error = try #require(throws: PlantConfigError.self) {
            try PlantLoader.load(yaml: lines.joined(separator: "\n"), file: "dup.yaml")
        }
        #expect(error.issues.count == 1)
        #expect(error.issues.first?.line == 9)
        #expect(error.issues.first?.column == 5)
        #expect(error.issues.first?.message == "duplicate key \"unit_id\" in a mapping")
    }

    @Test func missingTopLevelKeyPointsAtDocumentStart() throws {
        let yaml = minimalLines.filter { !$0.hasPrefix("name:") }.joined(separator: "\n")
        let error = try #require(throws: PlantConfigError.self) { try PlantLoader.load(yaml: yaml, file: "m.yaml") }
        #expect(error.issues.map(\.kind) == [.missingKey])
        #expect(error.issues.first?.line == 1)
        #expect(error.issues.first?.column == 1)
        #expect(error.issues.first?.message == "missing required key \"name\"")
    }

    @Test func everyIssueIsReportedAtOnce() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/five-errors.yaml")
        let error = try #require(throws: PlantConfigError.self) { try PlantLoader.load(path: url.path) }
        #expect(error.issues.count == 5, "\(error)")
        #expect(
            error.issues.map(\.kind) == [
                .invalidPort, .invalidScanPeriod, .unknownUnit, .overlappingRegisters, .unknownSignal,
            ])
        #expect(error.issues.map(\.line) == [8, 10, 12, 13, 14])
        #expect(error.issues.allSatisfy { $0.file == "five-errors.yaml" })
        #expect(error.description.split(separator: "\n").count == 5)
    }
}
