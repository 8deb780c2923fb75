import ArgumentParser
import CommandSupport
import Foundation
import PlantConfig
import ProcessModel
import ProcessStudies
import Reporting

/// `geolith compare`: plants, or variants of one, side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Compare plants or variants: every KPI side by side, its difference, and the stage that explains it.",
        discussion: """
            geolith compare A.yaml B.yaml [C.yaml …] compares plant descriptions; geolith compare A.yaml \
            --variant name:key=value[,key=value] … compares variants of one plant (each variant's overrides on top of \
            A and its --set). Differences are \
            against the first case; each is split exactly over the stages that cause it (well, heat exchange, DLE, \
            concentration, refining, operation, site grid: their Li yields, water and electricity per m³), and the \
            stage with the largest share is named with its figures and the changed parameters that feed it.
            """)

    @Argument(help: "Plant descriptions (YAML); the first is the reference.")
    var files: [String]

    @Option(help: "A variant of the first plant: name:key=value[,key=value]. Repeatable.")
    var variant: [String] = []

    @Option(name: .customLong("set"), help: "Override a process parameter in every case: key=value[unit]. Repeatable.")
    var settings: [String] = []

    @Option(help: "Output format: text, csv, json or markdown.")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv, json, markdown }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one plant description") }
        guard files.count + variant.count >= 2 else {
            throw ValidationError("give two or more plant descriptions, or one and --variant name:key=value")
        }
        for setting in settings where !setting.contains("=") {
            throw ValidationError("--set \(setting): expected key=value")
        }
    }

    func run() throws {
        let inputs = try cases()
        let comparison: PlantComparison
        do {
            comparison = try PlantComparison(inputs)
        } catch {
            throw ModelCommandError(kind: .invalidDescription, message: error.message)
        }
        switch format {
        case .text: print(comparison.text())
        case .csv: print(comparison.csv(), terminator: "")
        case .json: print(try comparison.json())
        case .markdown: print(comparison.report().markdown(), terminator: "")
        }
    }

    /// The cases compared: each file's plant under its id, then each `--variant` of the first plant, all with
    /// `--set`; a repeated name gets `-2`, `-3`… A bad override is a command error naming the case.
    func cases() throws -> [(name: String, source: String, parameters: FlowsheetParameters)] {
        let overrides = settings.map(splitSetting)
        var inputs: [(name: String, source: String, parameters: FlowsheetParameters)] = []
        var names = Set<String>()
        func add(_ name: String, _ source: String, _ plant: Plant, _ extra: [(key: String, value: String)]) throws {
            var name = name
            var n = 2
            while names.contains(name) { name = "\(name)-\(n)"; n += 1 }
            names.insert(name)
            do {
                inputs.append((name, source, try plant.flowsheetParameters(overrides: overrides + extra)))
            } catch let error as ProcessParameterError {
                throw ModelCommandError(kind: .badOverride, message: "\(name): \(error.message)")
            }
        }
        var first: Plant?
        for file in files {
            let (plant, _) = try loadPlantText(file)
            first = first ?? plant
            try add(plant.id, file, plant, [])
        }
        for text in variant {
            let (name, pairs) = try Self.parseVariant(text)
            try add(name, pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ", "), first!, pairs)
        }
        return inputs
    }

    /// `name:key=value[,key=value]`, each key checked against the catalogue.
    static func parseVariant(_ text: String) throws -> (String, [(key: String, value: String)]) {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
            throw ValidationError("--variant \(text): expected name:key=value[,key=value]")
        }
        let name = String(text[..<colon])
        guard !name.contains("="), !name.contains(",") else {
            throw ValidationError("--variant \(text): give the variant a name first: name:key=value")
        }
        var pairs: [(key: String, value: String)] = []
        for item in text[text.index(after: colon)...].split(separator: ",") {
            guard item.contains("=") else { throw ValidationError("--variant \(name): \"\(item)\" is not key=value") }
            let pair = splitSetting(String(item))
            guard ProcessParameterCatalogue.parameter(pair.key) != nil else {
                throw ValidationError(
                    "--variant \(name): unknown process parameter \"\(pair.key)\""
                        + KeySuggestions.hint(for: pair.key, among: ProcessParameterCatalogue.all.map(\.key)))
            }
            pairs.append(pair)
        }
        guard !pairs.isEmpty else { throw ValidationError("--variant \(name): no key=value given") }
        return (name, pairs)
    }
}
