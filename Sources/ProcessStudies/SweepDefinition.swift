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
        let base: FlowsheetParameters
        do {
            base = try plant.flowsheetParameters()
        } catch {
            throw StudyError(.invalidInput, "\(plantFile): \(error)")
        }
        let varied = Set(plan.dimensions.map(\.key))
        var steps: [(order: Int, step: SweepEvaluator.Step)] = []
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
            var scratch = base
            do {
                try parameter.set(value, in: &scratch)
            } catch {
                throw StudyError(.invalidInput, "--set: " + error.message)
            }
            let number: Double? =
                switch parameter.kind {
                case .number, .integer: try? parameter.number(from: value)
                case .choice, .informational: nil
                }
            steps.append(
                (ProcessParameterCatalogue.applicationOrder(key), .fixed(parameter, number: number, word: value)))
        }
        for (d, dimension) in plan.dimensions.enumerated() {
            steps.append((ProcessParameterCatalogue.applicationOrder(dimension.key), .dimension(d)))
        }
        // Stable: equal orders keep --set before --vary, each in the order given.
        var program = steps.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }
            .map(\.element.step)
        if model == .dynamic {
            guard !varied.contains("dle.model") else {
                throw StudyError(.invalidInput, "--model dynamic sets dle.model for every point: do not also vary it")
            }
            program.append(.fixed(ProcessParameterCatalogue.parameter("dle.model")!, number: nil, word: "dynamic"))
        }
        // Assignments before the first varied one are the same for every point: apply them once.
        var prepared = base
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
    }

    /// The reagent columns: those of every refining route the sweep can reach, found by solving a probe plant
    /// per route (with wash salt, so that its column exists too).
    private static func reagentColumns(prepared: FlowsheetParameters, program: [SweepEvaluator.Step], plan: SweepPlan)
        -> (keys: [String], columns: [String: Int])
    {
        var reference = prepared
        for case let .fixed(parameter, number, word) in program {
            if let number {
                try? parameter.set(number, in: &reference)
            } else {
                try? parameter.set(word ?? "", in: &reference)
            }
        }
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
