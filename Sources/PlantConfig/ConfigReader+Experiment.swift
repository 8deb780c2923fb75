import ProcessModel

/// What the steps reader needs to know about the components and the column.
struct ExperimentContext {
    var components: [ColumnExperiment.Component]
    /// File order → model order (the modulator moves to 0).
    var names: [String]
    var target: Int
    var length: Double
    var area: Double
    var voidage: Double
    /// Péclet number v·L/D_ax when the column gives one (dispersion then follows each step's flow).
    var peclet: Double?
    var referenceTemperature: Double
}

extension ConfigReader {
    static let experimentKeys = [
        "experiment", "description", "sources", "column", "sorbent", "components", "binding", "steps", "cycles",
        "capacity_fade_per_cycle", "numerics",
    ]

    /// Molar masses (g/mol) of the species an experiment names without giving one: IUPAC standard atomic
    /// weights, abridged (docs/sources.md, "Molar masses"); Li as everywhere in Geolith.
    static let knownMolarMasses: [String: Double] = [
        "Li": 6.941, "Na": 22.990, "K": 39.098, "Mg": 24.305, "Ca": 40.078, "Cl": 35.453, "B": 10.81,
        "Sr": 87.62, "NaCl": 58.443, "KCl": 74.551, "LiCl": 42.394,
    ]

    /// Reads a column experiment; `nil` when any issue was reported.
    func experiment(_ root: ConfigNode) -> ColumnExperiment? {
        guard case .mapping = root else {
            report(root.location, "", "expected an experiment mapping (experiment, column, components, …)", .wrongType)
            return nil
        }
        guard let fields = mapping(root, "", keys: Self.experimentKeys) else { return nil }
        let name = fields.get("experiment", required: true, string) ?? ""
        _ = fields.get("description", string)
        _ = fields.get("sources") { node, path in list(node, path)?.enumerated().map { string($1, "\(path)[\($0)]") } }
        let readColumn = fields.get("column", required: true, experimentColumn)
        let density = fields.get("sorbent") { node, path -> Double? in
            guard let sorbent = mapping(node, path, keys: ["density_kg_per_m3"]) else { return nil }
            return sorbent.get("density_kg_per_m3", required: true) { number($0, $1, above: 0, most: 20_000) }
        }
        let components = fields.get("components", required: true, experimentComponents)
        let cycles = fields.get("cycles") { integer($0, $1, 1...100_000) } ?? 1
        let fade = fields.get("capacity_fade_per_cycle") { number($0, $1, atLeast: 0, below: 1) } ?? 0
        let numerics = fields.get("numerics", experimentNumerics) ?? ExperimentNumerics()
        guard let components else {
            // Binding and steps are read by component name: report only whether they are there.
            _ = fields.node("binding", required: true)
            _ = fields.node("steps", required: true)
            return nil
        }
        // With a broken column the rest is still read (against a stand-in column) so every problem shows at once;
        // the experiment is then not built.
        let column = readColumn ?? ExperimentColumn(length: 1, area: 1, voidage: 0.5, dispersion: 0, peclet: nil)
        let binding = fields.get("binding", required: true) { node, path in
            experimentBinding(node, path, components: components, density: density, densityGiven: fields.node("sorbent") != nil)
        }
        let context = ExperimentContext(
            components: components.ordered, names: components.ordered.map(\.name), target: components.target,
            length: column.length, area: column.area, voidage: column.voidage, peclet: column.peclet,
            referenceTemperature: binding?.referenceTemperature ?? 298.15)
        let steps = fields.get("steps", required: true) { experimentSteps($0, $1, context) }
        guard issues.isEmpty, let binding, let steps, !steps.isEmpty else { return nil }
        let geometry = ColumnGeometry(length: column.length, area: column.area, voidage: column.voidage)
        let isotherm = ColumnIsotherm(
            components: binding.components, kinetics: binding.kinetics, referenceTemperature: binding.referenceTemperature,
            modulated: binding.modulated, targetComponent: components.target)
        let model = ColumnModel(
            geometry: geometry, dispersion: column.dispersion ?? steps[0].flow.dispersion ?? 0, isotherm: isotherm,
            cells: numerics.cells, scheme: numerics.scheme)
        return ColumnExperiment(
            name: name, components: components.ordered, model: model,
            schedule: ColumnCycleSchedule(steps: steps, capacityFadePerCycle: fade), cycles: cycles,
            tolerances: ColumnTolerances(relative: numerics.rtol, absolute: numerics.atol),
            sampleInterval: numerics.sample)
    }

    // MARK: Numbers

    /// A finite number inside the bounds (strict where named `above`/`below`), or `nil` after a report.
    func number(
        _ node: ConfigNode, _ path: String, above: Double? = nil, atLeast: Double? = nil, below: Double? = nil,
        most: Double? = nil
    ) -> Double? {
        guard let value = double(node, path) else { return nil }
        var ok = true
        if let above, !(value > above) { ok = false }
        if let atLeast, !(value >= atLeast) { ok = false }
        if let below, !(value < below) { ok = false }
        if let most, !(value <= most) { ok = false }
        guard ok else {
            let low = above.map { "> \($0)" } ?? atLeast.map { "≥ \($0)" }
            let high = below.map { "< \($0)" } ?? most.map { "≤ \($0)" }
            report(node.location, path, "\(value) is out of range: must be \([low, high].compactMap { $0 }.joined(separator: " and "))", .invalidValue)
            return nil
        }
        return value
    }

    func integer(_ node: ConfigNode, _ path: String, _ range: ClosedRange<Int>) -> Int? {
        guard let value = int(node, path) else { return nil }
        guard range.contains(value) else {
            report(node.location, path, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)", .invalidValue)
            return nil
        }
        return value
    }

    /// The one key of `keys` that a mapping gives, or a report when it gives none (if required) or several.
    func oneOf(_ fields: Fields, _ keys: [String], required: Bool = true) -> String? {
        let given = keys.filter { fields.node($0) != nil }
        if given.count > 1 {
            report(fields.location, fields.path, "give one of \(given.joined(separator: ", ")), not several", .invalidValue)
            return nil
        }
        if given.isEmpty && required {
            report(fields.location, fields.path, "missing one of \(keys.joined(separator: ", "))", .missingKey)
        }
        return given.first
    }

    // MARK: Column

    struct ExperimentColumn {
        var length: Double
        var area: Double
        var voidage: Double
        var dispersion: Double?
        var peclet: Double?
    }

    private func experimentColumn(_ node: ConfigNode, _ path: String) -> ExperimentColumn? {
        let keys = ["length_m", "diameter_m", "area_m2", "porosity", "dispersion_m2_per_s", "peclet"]
        guard let fields = mapping(node, path, keys: keys) else { return nil }
        let length = fields.get("length_m", required: true) { number($0, $1, above: 0, most: 1000) }
        var area: Double?
        switch oneOf(fields, ["diameter_m", "area_m2"]) {
        case "diameter_m":
            area = fields.get("diameter_m") { number($0, $1, above: 0, most: 100) }.map { Double.pi * $0 * $0 / 4 }
        case "area_m2": area = fields.get("area_m2") { number($0, $1, above: 0, most: 10_000) }
        default: break
        }
        let voidage = fields.get("porosity", required: true) { number($0, $1, above: 0, below: 1) }
        var dispersion: Double?, peclet: Double?
        switch oneOf(fields, ["dispersion_m2_per_s", "peclet"]) {
        case "dispersion_m2_per_s": dispersion = fields.get("dispersion_m2_per_s") { number($0, $1, atLeast: 0, most: 1) }
        case "peclet": peclet = fields.get("peclet") { number($0, $1, above: 0, most: 1e9) }
        default: return nil
        }
        guard let length, let area, let voidage, dispersion != nil || peclet != nil else { return nil }
        return ExperimentColumn(length: length, area: area, voidage: voidage, dispersion: dispersion, peclet: peclet)
    }

    // MARK: Numerics

    struct ExperimentNumerics {
        var cells = 60
        var scheme = ColumnScheme.koren
        var rtol = 1e-5
        var atol = 1e-7
        var sample = 10.0
    }

    private func experimentNumerics(_ node: ConfigNode, _ path: String) -> ExperimentNumerics? {
        guard let fields = mapping(node, path, keys: ["cells", "scheme", "rtol", "atol", "sample_s"]) else { return nil }
        var numerics = ExperimentNumerics()
        if let cells = fields.get("cells", { integer($0, $1, 3...20_000) }) { numerics.cells = cells }
        let schemes: [(String, ColumnScheme)] = [("koren", .koren), ("third_order", .thirdOrder), ("upwind", .upwind)]
        if let scheme = fields.get("scheme", { choice($0, $1, schemes, what: "scheme") }) { numerics.scheme = scheme }
        if let rtol = fields.get("rtol", { number($0, $1, above: 0, most: 0.1) }) { numerics.rtol = rtol }
        if let atol = fields.get("atol", { number($0, $1, above: 0, most: 0.1) }) { numerics.atol = atol }
        if let sample = fields.get("sample_s", { number($0, $1, above: 0, most: 1e9) }) { numerics.sample = sample }
        return numerics
    }
}
