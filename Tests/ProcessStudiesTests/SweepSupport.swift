import Foundation
import PlantConfig
import ProcessStudies

/// Runs real sweeps of the shipped plants in process and reads their CSV back.
enum SweepSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func plantPath(_ name: String = "rittershoffen") -> String {
        repository.appendingPathComponent("PlantConfigs/\(name).yaml").path
    }

    /// A prepared sweep of a shipped plant.
    static func definition(
        _ varies: [String], settings: [(key: String, value: String)] = [], design: SweepPlan.Design = .grid,
        plant name: String = "rittershoffen", model: SweepDefinition.Model = .steady
    ) throws -> SweepDefinition {
        let path = plantPath(name)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let plant = try PlantLoader.load(yaml: text, file: path)
        let plan = try SweepPlan(dimensions: try varies.map { try SweepDimension(parsing: $0) }, design: design)
        return try SweepDefinition(
            plant: plant, plantFile: path, plantText: text, settings: settings, plan: plan, model: model)
    }

    /// The bytes a run writes, and its summary.
    static func run(
        _ definition: SweepDefinition, jobs: Int = 2, shard: SweepShard? = nil, chunkSize: Int? = nil,
        keepTable: Bool = false
    ) throws -> (text: String, summary: SweepRunner.Summary) {
        var options = SweepRunner.Options(jobs: jobs)
        options.shard = shard
        options.chunkSize = chunkSize
        options.keepTable = keepTable
        var bytes: [UInt8] = []
        let summary = try SweepRunner.run(definition, options: options, write: { bytes += $0 })
        return (String(decoding: bytes, as: UTF8.self), summary)
    }

    /// A sweep CSV as records: column title → text.
    static func records(_ csv: String) -> [[String: String]] {
        let lines = csv.split(separator: "\n").filter { !$0.hasPrefix("#") }
        guard let header = lines.first.map(fields) else { return [] }
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, fields(line)))
        }
    }

    /// RFC 4180 fields of one line, written independently of the code under test.
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], current = "", quoted = false, previousQuote = false
        for c in line {
            if quoted {
                if c == "\"" { quoted = false; previousQuote = true } else { current.append(c) }
            } else if c == "\"" {
                if previousQuote { current.append("\"") }
                quoted = true
                previousQuote = false
            } else if c == "," {
                out.append(current)
                current = ""
                previousQuote = false
            } else {
                current.append(c)
                previousQuote = false
            }
        }
        out.append(current)
        return out
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("geolith-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension Dictionary where Key == String, Value == String {
    func number(_ column: String) -> Double? { self[column].flatMap(Double.init) }
}
