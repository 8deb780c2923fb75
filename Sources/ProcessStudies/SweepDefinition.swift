public import PlantConfig
import ProcessModel

/// Everything that defines a sweep: the plant (and the exact text of its file), the `--set` overrides, the
/// varied dimensions and how points are chosen, and the model. Two runs with equal definitions produce the
/// same rows, whatever the machine, the job count or the sharding.
///
/// Each point is the plant as `geolith estimate FILE --set …` would see it with the point's values added as
/// further overrides, all applied in the catalogue's order (``ProcessParameterCatalogue/applicationOrder(_:)``:
/// `sorbent.type` and `refining.route` first, since they reset their family's defaults; `dle.model` last).
public struct SweepDefinition: Sendable {
    /// Which model evaluates the points.
    public enum Model: String, Sendable, CaseIterable {
        /// The steady-state flowsheet with the plant's DLE model.
        case steady
        /// Every point's DLE recovery from the column model's cyclic steady state (`dle.model: dynamic`).
        case dynamic
    }

    public let plant: Plant
    /// The plant file as given (informational: shards run elsewhere may name it differently).
    public let plantFile: String
    /// FNV-1a 64 of the plant file's text, in hex: shards of one sweep must share it.
    public let plantDigest: String
    public let settings: [(key: String, value: String)]
    public let plan: SweepPlan
    public let model: Model
    let evaluator: SweepEvaluator

    /// Prepares a sweep.
    ///
    /// - Throws: ``StudyError`` for an unknown or invalid `--set`, a key both set and varied, a varied
    ///   `dle.model` with `--model dynamic`, or a plant whose `process:` section has errors.
    public init(
        plant: Plant, plantFile: String, plantText: String, settings: [(key: String, value: String)],
        plan: SweepPlan, model: Model, columnCells: Int = 30
    ) throws(StudyError) {
        self.plant = plant
        self.plantFile = plantFile
        plantDigest = fnv1a64Hex(plantText)
        self.settings = settings
        self.plan = plan
        self.model = model
        do {
            _ = try plant.flowsheetParameters()  // the file's own errors, with their places
        } catch {
            throw StudyError(.invalidInput, "\(plantFile): \(error)")
        }
        let varied = Set(plan.dimensions.map(\.key))
        // The plant's `process:` section, the --set overrides and the varied keys are applied as one list in the
        // catalogue's order (as `geolith estimate FILE --set …` applies the file and its overrides), so a point
        // is the estimate of its values whatever the order of the options. Within one rank of the catalogue: the
        // file, then --set, then --vary; a set or varied key replaces the file's.
        var steps: [(order: Int, rank: Int, step: SweepEvaluator.Step)] = []
        let replaced = varied.union(settings.map(\.key))
        for (key, value) in plant.processAssignments where !replaced.contains(key) {
            guard let parameter = ProcessParameterCatalogue.parameter(key) else { continue }
            steps.append((ProcessParameterCatalogue.applicationOrder(key), 0, Self.fixed(parameter, value)))
        }
        for (key, value) in settings {
            guard let parameter = ProcessParameterCatalogue.parameter(key) else {
                let keys = ProcessParameterCatalogue.all.map(\.key)
                throw StudyError(
                    .unknownKey,
                    "--set: unknown process parameter \"\(key)\"" + KeySuggestions.hint(for: key, among: keys))
            }
            guard !varied.contains(key) else {
                throw StudyError(.invalidInput, "\(key) is both set (--set) and varied (--vary): give one")
            }
            var scratch = plant.describedParameters
            do {
                try parameter.set(value, in: &scratch)
            } catch {
                throw StudyError(.invalidInput, "--set: " + error.message)
            }
            steps.append((ProcessParameterCatalogue.applicationOrder(key), 1, Self.fixed(parameter, value)))
        }
        for (d, dimension) in plan.dimensions.enumerated() {
            steps.append((ProcessParameterCatalogue.applicationOrder(dimension.key), 2, .dimension(d)))
        }
        // Stable: equal ranks keep the order given.
        var program = steps.enumerated()
            .sorted { ($0.element.order, $0.element.rank, $0.offset) < ($1.element.order, $1.element.rank, $1.offset) }
            .map(\.element.step)
        if model == .dynamic {
            guard !varied.contains("dle.model") else {
                throw StudyError(.invalidInput, "--model dynamic sets dle.model for every point: do not also vary it")
            }
            program.append(.fixed(ProcessParameterCatalogue.parameter("dle.model")!, number: nil, word: "dynamic"))
        }
        // Assignments before the first varied one are the same for every point: apply them once.
        var prepared = plant.describedParameters
        var leading = 0
        for step in program {
            guard case let .fixed(parameter, number, word) = step else { break }
            do {
                if let number {
                    try parameter.set(number, in: &prepared)
                } else {
                    try parameter.set(word ?? "", in: &prepared)
                }
            } catch {
                throw StudyError(.invalidInput, "--set: " + error.message)
            }
            leading += 1
        }
        program.removeFirst(leading)
        let (keys, columns) = Self.reagentColumns(prepared: prepared, program: program, plan: plan)
        let dynamicWords = plan.dimensions.contains { $0.key == "dle.model" && $0.words.contains("dynamic") }
        evaluator = SweepEvaluator(
            plan: plan, prepared: prepared, program: program, kpis: FlowsheetKPI.all,
            reagentColumns: columns.mapValues { $0 + FlowsheetKPI.all.count }, reagentKeys: keys, cells: columnCells,
            mayRunColumnModel: model == .dynamic || prepared.dle.model == .dynamic || dynamicWords)
        notices = Self.notices(
            keys: settings.map(\.key) + plan.dimensions.map(\.key), reference: Self.reference(prepared, program),
            variedModels: plan.dimensions.first { $0.key == "dle.model" }?.words)
    }

    /// One sentence per set or varied key that changes no figure under the DLE model(s) of the sweep's points
    /// (each key once), for the command to print before it runs.
    public let notices: [String]

    static func notices(keys: [String], reference: FlowsheetParameters, variedModels: [String]?) -> [String] {
        let models = variedModels?.compactMap(SorptionStage.Model.init(rawValue:)) ?? [reference.dle.model]
        var seen = Set<String>()
        return keys.compactMap { key -> String? in
            guard seen.insert(key).inserted, key != "dle.model",
                let parameter = ProcessParameterCatalogue.parameter(key)
            else { return nil }
            return parameter.unusedNotice(underDLEModels: models)
        }
    }

    /// `prepared` with every fixed assignment of the program applied: the plant as every point sees it before
    /// its own values.
    static func reference(_ prepared: FlowsheetParameters, _ program: [SweepEvaluator.Step]) -> FlowsheetParameters {
        var reference = prepared
        for case let .fixed(parameter, number, word) in program {
            if let number {
                try? parameter.set(number, in: &reference)
            } else {
                try? parameter.set(word ?? "", in: &reference)
            }
        }
        return reference
    }

    /// A fixed assignment of the program: a number where the parameter takes one (so points set no text).
    private static func fixed(_ parameter: ProcessParameter, _ value: String) -> SweepEvaluator.Step {
        let number: Double? =
            switch parameter.kind {
            case .number, .integer: try? parameter.number(from: value)
            case .choice, .informational: nil
            }
        return .fixed(parameter, number: number, word: value)
    }

    /// The reagent columns: those of every refining route the sweep can reach, found by solving a probe plant
    /// per route (with wash salt, so that its column exists too).
    private static func reagentColumns(prepared: FlowsheetParameters, program: [SweepEvaluator.Step], plan: SweepPlan)
        -> (keys: [String], columns: [String: Int])
    {
        let reference = reference(prepared, program)
        var routes = [reference.refining.route]
        for d in plan.dimensions where d.key == "refining.route" {
            routes += d.words.compactMap(RefiningStage.Route.init(rawValue:))
        }
        var keys: [String] = []
        var columns: [String: Int] = [:]
        for route in routes {
            var probe = FlowsheetParameters(brine: reference.brine, productionFlow: reference.productionFlow)
            probe.refining.route = route
            probe.dle.washSalt = .gramsPerLitre(1)
            guard let result = try? Flowsheet.solve(probe) else { continue }
            for figure in result.figures where figure.section == "reagents" {
                let name = String(figure.label)
                guard columns[name] == nil, !keys.contains(figure.key) else { continue }
                columns[name] = keys.count
                keys.append(figure.key)
            }
        }
        return (keys, columns)
    }

    /// Columns of the CSV, in order: point, the varied keys, every KPI, the reagents, status, warnings, error.
    public var columnTitles: [String] {
        ["point"] + plan.dimensions.map(\.columnTitle) + evaluator.kpis.map { "\($0.key) [\($0.unit)]" }
            + evaluator.reagentKeys.map { "\($0) [t/t]" } + ["status", "warnings", "error"]
    }

    /// The KPI keys (reagents included) in column order, with their units.
    public var valueKeys: [(key: String, unit: String)] {
        evaluator.kpis.map { ($0.key, $0.unit) } + evaluator.reagentKeys.map { ($0, "t/t") }
    }

    /// Whether some point may run the column model (seconds per point rather than microseconds).
    public var mayRunColumnModel: Bool { evaluator.mayRunColumnModel }
}

/// FNV-1a, 64 bits, in hex: a stable fingerprint of a text (identity, not security).
func fnv1a64Hex(_ text: String) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
