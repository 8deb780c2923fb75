import ProcessModel

/// The components of an experiment in model order (the modulator first, as in CADET-Core).
struct ExperimentComponents {
    var ordered: [ColumnExperiment.Component]
    /// Index of the modulator in `ordered` (0), or `nil`.
    var modulator: Int?
    /// Index of the target in `ordered`.
    var target: Int
}

/// The binding section, in model order.
struct ExperimentBinding {
    var components: [ColumnBinding]
    var kinetics: ColumnKinetics
    /// K.
    var referenceTemperature: Double
    var modulated: Bool
}

extension ConfigReader {
    enum ComponentRole: String { case modulator, target, other }

    func experimentComponents(_ node: ConfigNode, _ path: String) -> ExperimentComponents? {
        guard let items = list(node, path) else { return nil }
        guard !items.isEmpty else {
            report(node.location, path, "an experiment needs at least one component", .invalidValue)
            return nil
        }
        var read: [(component: ColumnExperiment.Component, role: ComponentRole)] = []
        var seen: Set<String> = []
        let roles: [(String, ComponentRole)] = [("modulator", .modulator), ("target", .target), ("other", .other)]
        for (i, item) in items.enumerated() {
            let itemPath = "\(path)[\(i)]"
            guard let fields = mapping(item, itemPath, keys: ["name", "role", "molar_mass_g_per_mol"]) else { continue }
            let name = fields.get("name", required: true, string)
            let role = fields.get("role") { choice($0, $1, roles, what: "role") } ?? .other
            var mass = fields.get("molar_mass_g_per_mol") { number($0, $1, above: 0, most: 1e6) }
            guard let name else { continue }
            if name.contains(where: { ".[]=,:".contains($0) || $0.isWhitespace }) {
                report(fields.node("name")!.location, fields.path("name"),
                       "\"\(name)\" cannot name a component: key paths use it (no spaces, dots, brackets, = , :)", .invalidValue)
                continue
            }
            if !seen.insert(name).inserted {
                report(fields.node("name")!.location, fields.path("name"), "component \"\(name)\" is listed twice", .duplicateName)
                continue
            }
            if mass == nil && fields.node("molar_mass_g_per_mol") == nil {
                mass = Self.knownMolarMasses[name]
                if mass == nil {
                    report(fields.location, itemPath,
                           "missing required key \"molar_mass_g_per_mol\" (known without it: "
                               + Self.knownMolarMasses.keys.sorted().joined(separator: ", ") + ")", .missingKey)
                }
            }
            if let mass { read.append((ColumnExperiment.Component(name: name, molarMass: mass), role)) }
        }
        guard read.count == items.count else { return nil }
        let modulators = read.filter { $0.role == .modulator }, targets = read.filter { $0.role == .target }
        if modulators.count > 1 || targets.count > 1 {
            report(node.location, path, "at most one modulator and one target (the component the KPIs follow)", .invalidValue)
            return nil
        }
        let ordered = modulators.map(\.component) + read.filter { $0.role != .modulator }.map(\.component)
        let modulator: Int? = modulators.isEmpty ? nil : 0
        guard let target = targets.first.flatMap({ t in ordered.firstIndex { $0 == t.component } })
            ?? ordered.indices.first(where: { $0 != modulator })
        else {
            report(node.location, path, "the modulator needs another component to modulate", .invalidValue)
            return nil
        }
        return ExperimentComponents(ordered: ordered, modulator: modulator, target: target)
    }

    static let bindingParameterKeys = [
        "capacity_mg_per_g", "capacity_mol_per_m3", "affinity_m3_per_mol", "k_d_per_s", "k_ldf_per_s",
        "gamma_m3_per_mol", "beta", "enthalpy_kj_per_mol", "activation_energy_kj_per_mol",
    ]

    func experimentBinding(
        _ node: ConfigNode, _ path: String, components: ExperimentComponents, density: Double?, densityGiven: Bool
    ) -> ExperimentBinding? {
        let names = components.ordered.map(\.name)
        guard let fields = mapping(node, path, keys: ["model", "kinetics", "reference_temperature_c"] + names) else {
            return nil
        }
        let models: [(String, Bool)] = [("langmuir", false), ("modulated_langmuir", true)]
        let modulated = fields.get("model") { choice($0, $1, models, what: "binding model") } ?? (components.modulator != nil)
        if modulated && components.modulator == nil {
            report(fields.node("model")?.location ?? fields.location, fields.path("model"),
                   "modulated_langmuir needs a component with role: modulator (the salt)", .invalidValue)
        }
        let kineticsChoices: [(String, ColumnKinetics)] = [("kinetic", .kineticLangmuir), ("ldf", .linearDrivingForce)]
        let kinetics = fields.get("kinetics", required: true) { choice($0, $1, kineticsChoices, what: "kinetics") }
        let celsius = fields.get("reference_temperature_c") { number($0, $1, above: -273.15, most: 400) } ?? 25
        var bindings = Array(repeating: ColumnBinding.inert, count: names.count)
        for (index, name) in names.enumerated() {
            guard let entry = fields.node(name) else { continue }
            if index == components.modulator {
                report(entry.location, fields.path(name), "\(name) is the modulator: it sets the affinity and does not bind", .invalidValue)
                continue
            }
            let binding = bindingParameters(entry, fields.path(name), molarMass: components.ordered[index].molarMass,
                                            kinetics: kinetics, density: density, densityGiven: densityGiven)
            if let binding { bindings[index] = binding }
        }
        guard let kinetics else { return nil }
        return ExperimentBinding(
            components: bindings, kinetics: kinetics, referenceTemperature: celsius + 273.15,
            modulated: modulated && components.modulator != nil)
    }

    private func bindingParameters(
        _ node: ConfigNode, _ path: String, molarMass: Double, kinetics: ColumnKinetics?, density: Double?,
        densityGiven: Bool
    ) -> ColumnBinding? {
        guard let fields = mapping(node, path, keys: Self.bindingParameterKeys) else { return nil }
        var capacity: Double?
        switch oneOf(fields, ["capacity_mg_per_g", "capacity_mol_per_m3"]) {
        case "capacity_mg_per_g":
            let perGram = fields.get("capacity_mg_per_g") { number($0, $1, atLeast: 0, most: 10_000) }
            if let density {
                // mg/g × kg/m³ = g/m³ of sorbent; ÷ g/mol → mol/m³.
                capacity = perGram.map { $0 * density / molarMass }
            } else if !densityGiven {
                report(fields.node("capacity_mg_per_g")!.location, fields.path("capacity_mg_per_g"),
                       "a capacity in mg/g needs sorbent.density_kg_per_m3 (or give capacity_mol_per_m3)", .missingKey)
            }
        case "capacity_mol_per_m3":
            capacity = fields.get("capacity_mol_per_m3") { number($0, $1, atLeast: 0, most: 1e7) }
        default: break
        }
        let affinity = fields.get("affinity_m3_per_mol", required: true) { number($0, $1, atLeast: 0, most: 1e9) }
        let kd = fields.get("k_d_per_s", required: kinetics == .kineticLangmuir) { number($0, $1, atLeast: 0, most: 1e6) }
        let ldf = fields.get("k_ldf_per_s", required: kinetics == .linearDrivingForce) { number($0, $1, atLeast: 0, most: 1e6) }
        let gamma = fields.get("gamma_m3_per_mol") { number($0, $1, atLeast: -0.1, most: 0.1) } ?? 0
        let beta = fields.get("beta") { number($0, $1, atLeast: 0, most: 10) } ?? 0
        let enthalpy = fields.get("enthalpy_kj_per_mol") { number($0, $1, atLeast: -1000, most: 1000) } ?? 0
        let activation = fields.get("activation_energy_kj_per_mol") { number($0, $1, atLeast: -1000, most: 1000) } ?? 0
        guard let capacity, let affinity else { return nil }
        return ColumnBinding(
            capacity: capacity, affinity: affinity, desorptionRate: kd ?? 0, ldfRate: ldf ?? 0,
            adsorptionEnthalpy: enthalpy * 1000, activationEnergy: activation * 1000, modulatorGamma: gamma,
            modulatorBeta: beta)
    }
}
