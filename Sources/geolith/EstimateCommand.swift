import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel

/// `geolith estimate`: the steady-state flowsheet of a plant, as a table, JSON or CSV.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Estimate a plant's lithium yield, water use, refining throughput, energy and CO2 at steady state.",
        discussion: """
            Solves the plant's flowsheet (heat exchange, DLE sorption, concentration, refining, reinjection, with
            the spent-wash and permeate recycles) from its description. --set overrides any process parameter
            by key path, with an optional unit: --set production.flow=288m3/h --set dle.cycle_bed_volumes.load=20;
            overrides are applied with the file's own values in the catalogue's order, so their order does not matter,
            and a note says when one has no effect under the active DLE model. The specified, equilibrium and dynamic
            DLE models are shown side by side; when they differ by more than 10 points, with what limits each.
            --list-parameters prints every key with its unit, range, source and what uses it.
            """
    )

    @Argument(help: "Plant description (YAML).")
    var file: String?

    @Option(name: .customLong("set"), help: "Override a process parameter: key=value[unit]. Repeatable.")
    var settings: [String] = []

    @Option(help: "Also project production over this many years (reservoir Li decline).")
    var years: Int?

    @Option(help: "Output format: table, json or csv.")
    var format: Format = .table

    @Flag(help: "List every process parameter with its unit, range and source, and exit.")
    var listParameters = false

    @OptionGroup var uncertainty: UncertaintyOptions

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    func validate() throws {
        if let years, !(1...200).contains(years) { throw ValidationError("--years must be 1...200") }
        if !listParameters && file == nil { throw ValidationError("a plant description file is required") }
        for setting in settings where !setting.contains("=") {
            throw ValidationError("--set \(setting): expected key=value")
        }
    }

    func run() throws {
        if listParameters { return print(EstimateReport.parameterList()) }
        if let samples = uncertainty.samples { return try runUncertainty(samples) }
        let plant = try loadPlant(file!)
        let overrides = Self.overrides(settings)
        let parameters = try Self.parameters(of: plant, overrides: overrides)
        let models = try Self.modelComparison(of: plant, parameters)
        let coupled = try Self.coupledWithDynamicColumn(parameters)
        let (result, projection) = try Self.solved(plant, coupled, years: years)
        let report = EstimateReport(
            plant: plant, result: result, projection: projection, overrides: overrides, models: models)
        switch format {
        case .table: print(report.table())
        case .json: print(try report.json())
        case .csv: print(report.csv(), terminator: "")
        }
    }
}

extension EstimateCommand {
    /// `--set key=value` options as (key, value) pairs, as `Plant.flowsheetParameters(overrides:)` takes them.
    static func overrides(_ settings: [String]) -> [(key: String, value: String)] {
        settings.map(splitSetting)
    }
}

/// Standard error as a TextOutputStream, so notes do not mix into JSON or CSV on standard output.
nonisolated(unsafe) var standardError = StandardErrorStream()

struct StandardErrorStream: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
